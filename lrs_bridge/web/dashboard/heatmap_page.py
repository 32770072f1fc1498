"""/dashboard/skill-gaps: the skill-gap heat map: per role and skill it targets, the share of
the role's learners below the target level and the mean gap, as at the end of the period, for
a phase and a team (the journey metrics' gap matrix); the same as CSV."""

from flask_babel import lazy_gettext as _l

from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.metric_filters import MetricPage, MetricQuery
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.skill_gaps", _l("Skill gaps"),
            _l("A heat map of role and skill: the share of learners below the target level, "
               "and the mean gap."))
# The cell colour: from a pale to a full warning colour as the share below target grows; the
# text turns white where that reads better than dark text (contrast above 4:1 either way).
_LIGHTEST, _DARKEST, _WHITE_TEXT = 0.06, 0.85, 0.75


def add_routes(bp) -> None:
    """The heat map and its CSV."""
    MetricPage("skill_gaps", "/dashboard/skill-gaps", "dashboard/skill_gaps.html",
               filters=("phase", "team"), metrics=("skill_gaps",), context=_page,
               table=_table).add_routes(bp)


def _page(query: MetricQuery, found: dict) -> dict:
    """The matrix of the period and filters asked for: a row per skill, a column per role."""
    names = Names(query.mapping)
    gaps = found["skill_gaps"]
    cells = {(c["role"], c["skill"]): _cell(c) for c in gaps["cells"]}
    roles = [(r, names.of("role", r)) for r in gaps["roles"]]
    # A row per skill: a mapping has many more skills than roles, and a page is higher
    # than it is wide.
    rows = [{"skill": skill, "name": names.of("skill", skill),
             "cells": [cells.get((role, skill)) for role, _ in roles]}
            for skill in gaps["skills"]]
    return {"roles": roles, "rows": rows}


def _table(query: MetricQuery, found: dict) -> tuple:
    """The matrix as CSV: a row per role and skill it targets."""
    names = Names(query.mapping)
    header = ["as_at", "role", "role_name", "skill", "skill_name", "target", "learners",
              "below_target", "share_below", "mean_gap"]
    return "skill-gaps", header, (
        [query.args["to"], c["role"], names.of("role", c["role"]), c["skill"],
         names.of("skill", c["skill"]), c["target"], c["learners"], c["below_target"],
         c["share_below"], c["mean_gap"]] for c in found["skill_gaps"]["cells"])


def _cell(cell: dict) -> dict:
    """A cell with its colour: the warning colour's opacity grows with the share below."""
    share = cell["share_below"]
    alpha = None if share is None else round(_LIGHTEST + (_DARKEST - _LIGHTEST) * share, 3)
    return {**cell, "alpha": alpha, "dark": alpha is not None and alpha > _WHITE_TEXT}

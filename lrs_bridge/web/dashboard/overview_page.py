"""/dashboard/overview: the journey funnel: per phase of the mapping, the learners in its
audience, those taking part and those who completed its paths, for a period, a role and a
team (the journey metrics: participation and phase completion); the same as CSV."""

from flask_babel import lazy_gettext as _l

from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.metric_filters import MetricPage, MetricQuery
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.overview", _l("Journey"),
            _l("The journey funnel: per phase, the learners in its audience, taking part "
               "and completing its paths."))


def add_routes(bp) -> None:
    """The journey overview and its CSV."""
    MetricPage("overview", "/dashboard/overview", "dashboard/overview.html",
               filters=("role", "team"), metrics=("participation", "phase_completion"),
               context=_page, table=_table).add_routes(bp)


def _page(query: MetricQuery, found: dict) -> dict:
    """The funnel of the period and filters asked for, as a table with bars."""
    rows = _rows(query, found)
    return {"rows": rows,
            "largest": max([max(r["audience"], r["following"]) for r in rows] + [1])}


def _table(query: MetricQuery, found: dict) -> tuple:
    """The funnel's numbers as CSV: a row per phase."""
    header = ["from", "to", "phase", "phase_name", "audience", "taking_part",
              "participation_rate", "following", "completed", "completion_rate"]
    start, end = query.args["from"], query.args["to"]
    return "journey-overview", header, (
        [start, end, r["phase"], r["name"], r["audience"], r["participants"],
         r["participation"], r["following"], r["completed"], r["completion"]]
        for r in _rows(query, found))


def _rows(query: MetricQuery, found: dict) -> list[dict]:
    names = Names(query.mapping)
    completion = {c["phase"]: c for c in found["phase_completion"]}
    rows = []
    for phase in found["participation"]["phases"]:
        done = completion[phase["phase"]]
        rows.append({"phase": phase["phase"], "name": names.of("phase", phase["phase"]),
                     "audience": phase["audience"], "participants": phase["participants"],
                     "participation": phase["rate"], "following": done["following"],
                     "completed": done["completed"], "completion": done["rate"]})
    return rows

"""/dashboard/paths: every learning path of the mapping with its phase, the learners on it,
how many completed it and the completion rate, for a period, a role and a team (the journey
metrics' path completion); the same as CSV."""

from flask_babel import lazy_gettext as _l

from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.metric_filters import MetricPage, MetricQuery
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.paths", _l("Paths"),
            _l("Each learning path: the learners on it, how many completed it, and who is "
               "past its due date."))


def add_routes(bp) -> None:
    """The paths page and its CSV."""
    MetricPage("paths", "/dashboard/paths", "dashboard/paths.html", filters=("role", "team"),
               metrics=("paths",), context=_page, table=_table).add_routes(bp)


def _page(query: MetricQuery, found: dict) -> dict:
    """The paths' completion for the period and filters asked for."""
    return {"rows": _rows(query, found)}


def _table(query: MetricQuery, found: dict) -> tuple:
    """The paths' completion as CSV: a row per path."""
    header = ["from", "to", "path", "path_name", "phase", "phase_name", "following",
              "completed", "completion_rate", "completed_in_period", "overdue"]
    start, end = query.args["from"], query.args["to"]
    return "paths", header, (
        [start, end, r["path"], r["name"], r["phase"], r["phase_name"], r["following"],
         r["completed"], r["rate"], r["completed_in_period"], r["overdue"]]
        for r in _rows(query, found))


def _rows(query: MetricQuery, found: dict) -> list[dict]:
    names = Names(query.mapping)
    return [{**path, "name": names.of("path", path["path"]),
             "phase_name": names.of("phase", path["phase"])} for path in found["paths"]]

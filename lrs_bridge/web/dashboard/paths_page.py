"""/dashboard/paths: every learning path of the mapping with its phase, the learners on it,
how many completed it and the completion rate, for a period, a role and a team (the journey
metrics' path completion); the same as CSV."""

from flask_babel import lazy_gettext as _l

from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.metric_filters import (
    MetricQuery,
    add_page_routes,
    csv_name,
    metric_query,
    read_report,
    render_page,
)
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.paths", _l("Paths"),
            _l("Each learning path: the learners on it, how many completed it, and who is "
               "past its due date."))
FILTERS = ("role", "team")


def add_routes(bp) -> None:
    """The paths page and its CSV."""
    add_page_routes(bp, "/dashboard/paths", "paths", paths_page, paths_csv)


def paths_page():
    """The paths' completion for the period and filters asked for."""
    query = metric_query(FILTERS)
    found = read_report(query, "paths")
    return render_page("dashboard/paths.html", query, found, FILTERS, "paths",
                       rows=_rows(query, found))


def paths_csv():
    """The paths' completion as CSV: a row per path."""
    query = metric_query(FILTERS)
    rows = _rows(query, read_report(query, "paths"))
    header = ["from", "to", "path", "path_name", "phase", "phase_name", "following",
              "completed", "completion_rate", "completed_in_period", "overdue"]
    start, end = query.args["from"], query.args["to"]
    return csv_response(csv_name("paths", query), header, (
        [start, end, r["path"], r["name"], r["phase"], r["phase_name"], r["following"],
         r["completed"], r["rate"], r["completed_in_period"], r["overdue"]] for r in rows))


def _rows(query: MetricQuery, found: dict) -> list[dict]:
    names = Names(query.mapping)
    return [{**path, "name": names.of("path", path["path"]),
             "phase_name": names.of("phase", path["phase"])} for path in found["paths"]]

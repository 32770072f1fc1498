"""/dashboard/overview: the journey funnel: per phase of the mapping, the learners in its
audience, those taking part and those who completed its paths, for a period, a role and a
team (the journey metrics: participation and phase completion); the same as CSV."""

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

PAGE = Page("dashboard.overview", _l("Journey"),
            _l("The journey funnel: per phase, the learners in its audience, taking part "
               "and completing its paths."))
FILTERS = ("role", "team")


def add_routes(bp) -> None:
    """The journey overview and its CSV."""
    add_page_routes(bp, "/dashboard/overview", "overview", overview_page, overview_csv)


def overview_page():
    """The funnel of the period and filters asked for, as a table with bars."""
    query = metric_query(FILTERS)
    found = read_report(query, "participation", "phase_completion")
    rows = _rows(query, found)
    largest = max([max(r["audience"], r["following"]) for r in rows] + [1])
    return render_page("dashboard/overview.html", query, found, FILTERS, "overview",
                       rows=rows, largest=largest)


def overview_csv():
    """The funnel's numbers as CSV: a row per phase."""
    query = metric_query(FILTERS)
    rows = _rows(query, read_report(query, "participation", "phase_completion"))
    header = ["from", "to", "phase", "phase_name", "audience", "taking_part",
              "participation_rate", "following", "completed", "completion_rate"]
    start, end = query.args["from"], query.args["to"]
    return csv_response(csv_name("journey-overview", query), header, (
        [start, end, r["phase"], r["name"], r["audience"], r["participants"],
         r["participation"], r["following"], r["completed"], r["completion"]] for r in rows))


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

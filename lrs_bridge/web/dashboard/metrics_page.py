"""/dashboard/metrics: charts of the journey metrics (time to productivity, retention at six
months by onboarding, participation per phase month by month), each with its table and CSV,
for a period and filters. Read from the metric tables through metrics_report.Report, as
GET /api/v1/metrics/journey is; a manager's figures are of their own team."""

from flask import abort, url_for
from flask_babel import lazy_gettext as _l

from lrs_bridge.web.dashboard import metrics_charts
from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.metric_filters import (
    csv_name,
    metric_query,
    read_report,
    render_page,
)
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.metrics", _l("Metrics"),
            _l("Charts of time to productivity, retention at six months and participation "
               "per phase, each with its table and CSV."))
FILTERS = ("phase", "role", "team")
METRICS = ("time_to_productivity", "retention", "participation")
CHARTS = ("time-to-productivity", "retention", "participation")


def add_routes(bp) -> None:
    """The metrics page and the CSV of each chart."""
    bp.add_url_rule("/dashboard/metrics", "metrics", metrics_page)
    bp.add_url_rule("/dashboard/metrics/<chart>.csv", "metrics_csv", metrics_csv)


def metrics_page():
    """The three charts of the period and filters, with the form that changes them."""
    query, charts = _charts()
    for chart in charts:
        chart.csv = url_for("dashboard.metrics_csv", chart=chart.key, **query.args)
    return render_page("dashboard/metrics.html", query, "metrics", charts=charts)


def metrics_csv(chart: str):
    """The numbers of one chart (time-to-productivity, retention, participation) as CSV."""
    if chart not in CHARTS:
        abort(404)
    query, charts = _charts()
    found = charts[CHARTS.index(chart)]
    return csv_response(csv_name(chart, query), found.csv_head, found.csv_rows)


def _charts():
    """This request's filters and the charts of them."""
    query = metric_query(FILTERS)
    found = read_report(query, *METRICS)
    return query, [metrics_charts.time_to_productivity(found["time_to_productivity"]),
                   metrics_charts.retention(found["retention"]),
                   metrics_charts.participation(found["participation"], Names(query.mapping))]

"""/dashboard/metrics: charts of the journey metrics (time to productivity, retention at six
months by onboarding, participation per phase month by month), each with its table and CSV,
for a period and filters. Read from the metric tables through metrics_report.Report, as
GET /api/v1/metrics/journey is; a manager's figures are of their own team."""

from flask import abort, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from lrs_bridge.journey.model import Mapping
from lrs_bridge.metrics_report import Report, default_within
from lrs_bridge.store.dashboard_reads import teams
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.dashboard import metrics_charts
from lrs_bridge.web.dashboard.access import team_manager, viewer
from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.metrics_filters import read_filters
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.metrics", _l("Metrics"),
            _l("Charts of time to productivity, retention at six months and participation "
               "per phase, each with its table and CSV."))
METRICS = ("time_to_productivity", "retention", "participation")
CHARTS = ("time-to-productivity", "retention", "participation")


def add_routes(bp) -> None:
    """The metrics page and the CSV of each chart."""
    bp.add_url_rule("/dashboard/metrics", "metrics", metrics_page)
    bp.add_url_rule("/dashboard/metrics/<chart>.csv", "metrics_csv", metrics_csv)


def metrics_page():
    """The three charts of the period and filters, with the form that changes them."""
    charts, chosen, mapping, choices = _charts()
    names = Names(mapping)
    for chart in charts:
        chart.csv = url_for("dashboard.metrics_csv", chart=chart.key, **chosen.args)
    return render_template(
        "dashboard/metrics.html", charts=charts, chosen=chosen, own_team=team_manager(viewer()),
        phases=[(p.id, names.of("phase", p.id)) for p in mapping.phases],
        roles=[(r.id, names.of("role", r.id)) for r in mapping.roles], teams=choices)


def metrics_csv(chart: str):
    """The numbers of one chart (time-to-productivity, retention, participation) as CSV."""
    if chart not in CHARTS:
        abort(404)
    charts, chosen, _, _ = _charts()
    found = charts[CHARTS.index(chart)]
    period = chosen.period
    return csv_response(f"{chart}-{period.start.isoformat()}-{period.end.isoformat()}.csv",
                        found.csv_head, found.csv_rows)


def _charts():
    """The charts of this request's filters; the filters, the mapping and the teams."""
    user = viewer()
    services = current_app.extensions["lrs_bridge"]
    mapping = services.mappings.current().mapping or Mapping()
    today = services.clock.now().date()
    with read_transaction(services.engine) as conn:
        choices = teams(conn, user.tenant_id, team_manager(user))
        chosen = read_filters(user, mapping, choices, today)
        body = Report(conn, user.tenant_id, mapping, chosen.period, chosen.filters,
                      default_within(mapping), today).build(METRICS)
    charts = [metrics_charts.time_to_productivity(body["time_to_productivity"]),
              metrics_charts.retention(body["retention"]),
              metrics_charts.participation(body["participation"], Names(mapping))]
    return charts, chosen, mapping, choices

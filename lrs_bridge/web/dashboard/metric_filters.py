"""The filters of the dashboard's metric pages (journey overview, paths, skill gaps) from the
query string: the period (`from`, `to`), `phase`, `role` and `team` as
GET /api/v1/metrics/journey takes them, an empty field meaning any. A bad value is a 400 page
naming it; a manager's figures are always those of their own team."""

from dataclasses import dataclass

from flask import current_app, render_template, url_for
from werkzeug.exceptions import BadRequest

from lrs_bridge.journey.metrics.period import Filters, Period
from lrs_bridge.journey.model import Mapping
from lrs_bridge.metrics_report import Report
from lrs_bridge.store.dashboard_reads import teams
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.dashboard.access import team_manager, viewer
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.pages import arg_choice, arg_text
from lrs_bridge.web.journey_query import period_of, team_of
from lrs_bridge.xapi.errors import XAPIError


@dataclass(frozen=True)
class MetricQuery:
    """What one metric page reads: the mapping, period and filters, and the parameters as
    given (for the form and the CSV link)."""

    mapping: Mapping
    period: Period
    filters: Filters
    args: dict[str, str]


def metric_query(names: tuple[str, ...]) -> MetricQuery:
    """The period and the filters of `names` (some of phase, role, team) this request asks
    for, narrowed to the viewer's team when they are a manager."""
    services = current_app.extensions["lrs_bridge"]
    mapping = services.mappings.current().mapping or Mapping()
    phase = arg_choice("phase", [p.id for p in mapping.phases]) if "phase" in names else None
    role = arg_choice("role", [r.id for r in mapping.roles]) if "role" in names else None
    team = arg_text("team", most=200) if "team" in names else None
    try:
        period = period_of(arg_text("from", most=10), arg_text("to", most=10),
                           services.clock.now().date())
        team = team_of(team)
    except XAPIError as err:  # the API's wording, as a 400 page
        raise BadRequest(err.message) from None
    filters = Filters(phase=phase, role=role, team=team, manager=team_manager(viewer()))
    given = {"phase": phase, "role": role, "team": team}
    args = {name: value for name, value in given.items() if value is not None}
    args |= {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return MetricQuery(mapping, period, filters, args)


def read_report(query: MetricQuery, *metrics: str) -> dict:
    """The named Report methods' results for the query, and the teams the viewer sees
    (`teams`) for the filter form, read in one transaction."""
    services = current_app.extensions["lrs_bridge"]
    user = viewer()
    with read_transaction(services.engine) as conn:
        # within_days is skill decay's, which none of these pages shows
        report = Report(conn, user.tenant_id, query.mapping, query.period, query.filters,
                        within_days=0, today=services.clock.now().date())
        found = {name: getattr(report, name)() for name in metrics}
        found["teams"] = teams(conn, user.tenant_id, team_manager(user))
    return found


def add_page_routes(bp, path: str, endpoint: str, page, csv) -> None:
    """A metric page at `path` and its CSV at `path`.csv (endpoint `endpoint`_csv)."""
    bp.add_url_rule(path, endpoint, page)
    bp.add_url_rule(f"{path}.csv", f"{endpoint}_csv", csv)


def render_page(template: str, query: MetricQuery, found: dict, names: tuple[str, ...],
                endpoint: str, **context):
    """A metric page: `template` with the filter form of `names` and the link to its CSV."""
    return render_template(template, form=form_context(query, names, found["teams"],
                                                       f"dashboard.{endpoint}"),
                           csv=url_for(f"dashboard.{endpoint}_csv", **query.args), **context)


def csv_name(what: str, query: MetricQuery) -> str:
    """The file name of a page's CSV: what it holds and its period."""
    return f"{what}-{query.args['from']}-to-{query.args['to']}.csv"


def form_context(query: MetricQuery, names: tuple[str, ...], teams_seen: list[str],
                 endpoint: str) -> dict:
    """What templates/dashboard/metric_filters.html shows: the fields of `names` with their
    choices in the request's language, and the values in force."""
    labels = Names(query.mapping)
    choices = {"phase": [(p.id, labels.of("phase", p.id)) for p in query.mapping.phases],
               "role": [(r.id, labels.of("role", r.id)) for r in query.mapping.roles],
               "team": [(t, t) for t in teams_seen]}
    asked = query.args.get("team")
    if asked is not None and asked not in teams_seen:  # keep the team asked for selectable
        choices["team"].append((asked, asked))
    return {"endpoint": endpoint, "fields": [(name, choices[name]) for name in names],
            "values": query.args, "period": query.period}

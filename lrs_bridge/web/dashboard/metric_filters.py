"""The filters of the dashboard's journey-metric pages (journey overview, paths, skill gaps,
metrics) from the query string: the period (`from`, `to`), `phase`, `role` and `team`, an empty
field meaning any. A value that cannot be used is a 400 page in the reader's language saying
which (GET /api/v1/metrics/journey checks the same, in its own English words); a team must be
one the viewer sees, and a manager's figures are always those of their own team."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template, request, url_for
from flask_babel import format_date, gettext
from werkzeug.exceptions import BadRequest

from lrs_bridge.journey.metrics.period import Filters, Period, default_period
from lrs_bridge.journey.model import Mapping
from lrs_bridge.metrics_report import Report
from lrs_bridge.store.dashboard_reads import teams
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.dashboard.access import team_manager, viewer
from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.journey_query import FIRST, LAST, MOST_DAYS, iso_day

_SHOWN = 60  # characters of a refused value the error page repeats


@dataclass(frozen=True)
class MetricQuery:
    """What one metric page reads: the mapping, period and filters; the filters it takes
    (`names`) and the teams the viewer may pick; the parameters in force (for the form and
    the CSV links)."""

    mapping: Mapping
    period: Period
    filters: Filters
    names: tuple[str, ...]
    teams: list[str]
    args: dict[str, str]


def metric_query(names: tuple[str, ...]) -> MetricQuery:
    """The period and the filters of `names` (some of phase, role, team) this request asks
    for, narrowed to the viewer's team when they are a manager."""
    services = current_app.extensions["lrs_bridge"]
    mapping = services.mappings.current().mapping or Mapping()
    manager = team_manager(viewer())
    seen = _teams_seen(manager) if "team" in names else []
    phase = _choice("phase", names, [p.id for p in mapping.phases], lambda value: gettext(
        "There is no phase “%(value)s” in the mapping.", value=value))
    role = _choice("role", names, [r.id for r in mapping.roles], lambda value: gettext(
        "There is no role “%(value)s” in the mapping.", value=value))
    team = _choice("team", names, seen, lambda value: gettext(
        "There is no team “%(value)s” among the learners you see.", value=value))
    period = _period(services.clock.now().date())
    given = {"phase": phase, "role": role, "team": team}
    args = {name: value for name, value in given.items() if value is not None}
    args |= {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return MetricQuery(mapping, period, Filters(phase=phase, role=role, team=team,
                                                manager=manager), names, seen, args)


def read_report(query: MetricQuery, *metrics: str) -> dict:
    """The named Report methods' results for the query, read in one transaction."""
    services = current_app.extensions["lrs_bridge"]
    with read_transaction(services.engine) as conn:
        # within_days is skill decay's, which none of these pages shows
        report = Report(conn, viewer().tenant_id, query.mapping, query.period, query.filters,
                        within_days=0, today=services.clock.now().date())
        return {name: getattr(report, name)() for name in metrics}


def render_page(template: str, query: MetricQuery, endpoint: str, **context):
    """A metric page: `template` with the filter form, which asks `endpoint` again."""
    return render_template(template, form=form_context(query, f"dashboard.{endpoint}"),
                           **context)


def csv_name(what: str, query: MetricQuery) -> str:
    """The file name of a page's CSV: what it holds and its period."""
    return f"{what}-{query.args['from']}-to-{query.args['to']}.csv"


def form_context(query: MetricQuery, endpoint: str) -> dict:
    """What templates/dashboard/metric_filters.html shows: the fields of the query's filters
    with their choices in the request's language, and the values in force."""
    labels = Names(query.mapping)
    choices = {"phase": [(p.id, labels.of("phase", p.id)) for p in query.mapping.phases],
               "role": [(r.id, labels.of("role", r.id)) for r in query.mapping.roles],
               "team": [(t, t) for t in query.teams]}
    return {"endpoint": endpoint, "fields": [(name, choices[name]) for name in query.names],
            "values": query.args, "period": query.period}


@dataclass(frozen=True)
class MetricPage:
    """A page of journey metrics at `path` with its CSV at `path`.csv (endpoints `endpoint`
    and `endpoint`_csv): both read the `filters` asked for and the Report's `metrics`;
    `context(query, found)` gives the template's values, `table(query, found)` the CSV's
    name (what it holds), header and rows."""

    endpoint: str
    path: str
    template: str
    filters: tuple[str, ...]
    metrics: tuple[str, ...]
    context: Callable[[MetricQuery, dict], dict]
    table: Callable[[MetricQuery, dict], tuple[str, list[str], Iterable[list]]]

    def add_routes(self, bp) -> None:
        """The page and its CSV."""
        bp.add_url_rule(self.path, self.endpoint, self.page)
        bp.add_url_rule(f"{self.path}.csv", f"{self.endpoint}_csv", self.csv)

    def page(self):
        """The page of the filters asked for, with the link to its CSV."""
        query = metric_query(self.filters)
        found = read_report(query, *self.metrics)
        return render_page(self.template, query, self.endpoint,
                           csv=url_for(f"dashboard.{self.endpoint}_csv", **query.args),
                           **self.context(query, found))

    def csv(self):
        """The page's numbers as CSV."""
        query = metric_query(self.filters)
        what, header, rows = self.table(query, read_report(query, *self.metrics))
        return csv_response(csv_name(what, query), header, rows)


def _teams_seen(manager: str | None) -> list[str]:
    services = current_app.extensions["lrs_bridge"]
    with read_transaction(services.engine) as conn:
        return teams(conn, viewer().tenant_id, manager)


def _value(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None  # an empty field of the form: any


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN else value[:_SHOWN] + "…"


def _choice(name: str, names: tuple[str, ...], allowed: list[str],
            refusal: Callable[[str], str]) -> str | None:
    """Parameter `name` (None when the page does not take it or it is empty), one of
    `allowed`; else a 400 with `refusal` of the value."""
    value = _value(name) if name in names else None
    if value is not None and value not in allowed:
        raise BadRequest(refusal(_shown(value)))
    return value


def _period(today: date) -> Period:
    given = _date("to", gettext("To"))
    end = given or today
    start = _date("from", gettext("From")) or default_period(end).start
    if end < start:
        raise BadRequest(gettext("The period ends (%(end)s) before it begins (%(start)s).",
                                 end=format_date(end), start=format_date(start)))
    if (end - start).days >= MOST_DAYS:
        raise BadRequest(gettext("A period may span at most five years."))
    return Period(start, end)


def _date(name: str, field: str) -> date | None:
    value = _value(name)
    if value is None:
        return None
    found = iso_day(value)
    if found is None:
        raise BadRequest(gettext(
            "%(field)s: “%(value)s” is not a date (YYYY-MM-DD, e.g. 2026-03-01).",
            field=field, value=_shown(value)))
    if not FIRST <= found <= LAST:
        raise BadRequest(gettext("%(field)s: a date between %(first)s and %(last)s, please.",
                                 field=field, first=FIRST.isoformat(), last=LAST.isoformat()))
    return found

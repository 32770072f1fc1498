"""GET /api/v1/metrics/journey: the journey metrics of the credential's tenant for a period,
narrowed by phase, role and team (README: Journey metrics)."""

import re
from datetime import date

from flask import current_app, g

from lrs_bridge.journey.metrics.period import METRICS, Filters, Period, default_period
from lrs_bridge.metrics_report import Report, default_within
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas.queries import JourneyMetricsQuery
from lrs_bridge.web.api.working_mapping import working
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.errors import BadRequest

FIRST, LAST = date(1900, 1, 1), date(9998, 12, 31)
MOST_DAYS = 5 * 366  # a longer period would mean a query with hundreds of months
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def get_journey():
    """Every journey metric (or those `metrics` names) of the period and filters."""
    require(g.credential, "progress/read")
    params = Params(JourneyMetricsQuery)
    services = current_app.extensions["lrs_bridge"]
    mapping = working(services).mapping
    filters = Filters(phase=params.choice("phase", tuple(p.id for p in mapping.phases)),
                      role=params.choice("role", tuple(r.id for r in mapping.roles)),
                      team=_team(params))
    today = services.clock.now().date()
    period = _period(params, today)
    wanted = _metrics(params)
    within = _within(params) if params.text("expiring_within") is not None \
        else default_within(mapping)
    with read_transaction(services.engine) as conn:
        body = Report(conn, g.credential.tenant_id, mapping, period, filters, within,
                      today).build(wanted)
    return json_response(body)


def _team(params: Params) -> str | None:
    value = params.text("team")
    # PostgreSQL cannot even compare a text holding NUL; no team name has control characters.
    if value is not None and any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise BadRequest("team: must not hold control characters")
    return value


def _period(params: Params, today: date) -> Period:
    given = _date(params, "to")
    end = given or today
    start = _date(params, "from") or default_period(end).start
    # Name the parameter the client gave: `from` when `to` is today by default.
    if end < start and given is None:
        raise BadRequest(f"from: {start.isoformat()} is after today ({end.isoformat()}), the "
                         "end of the period when `to` is left out")
    if end < start:
        raise BadRequest(f"to: {end.isoformat()} is before from ({start.isoformat()})")
    if (end - start).days >= MOST_DAYS:
        raise BadRequest(f"{'to' if given else 'from'}: the period may span at most five "
                         "years")
    return Period(start, end)


def _date(params: Params, name: str) -> date | None:
    value = params.text(name)
    if value is None:
        return None
    found = iso_day(value)
    if found is None:
        raise BadRequest(f"{name}: {value!r} is not a date (YYYY-MM-DD, e.g. 2026-03-01)")
    if not FIRST <= found <= LAST:
        raise BadRequest(f"{name}: must lie between {FIRST} and {LAST}")
    return found


def iso_day(value: str) -> date | None:
    """`value` as a date when it is one written YYYY-MM-DD, else None."""
    try:
        return date.fromisoformat(value) if _DATE.match(value) else None
    except ValueError:
        return None


def _metrics(params: Params) -> tuple[str, ...]:
    value = params.text("metrics")
    if value is None:
        return METRICS
    names = tuple(dict.fromkeys(name.strip() for name in value.split(",")))
    for name in names:
        if name not in METRICS:
            raise BadRequest(f"metrics: unknown metric {name!r}; one or more of "
                             f"{', '.join(METRICS)}, separated by commas")
    return names


def _within(params: Params) -> int:
    value = params.text("expiring_within")
    if not (value.isascii() and value.isdigit() and int(value) <= 3650):
        raise BadRequest("expiring_within: must be a whole number of days from 0 to 3650")
    return int(value)

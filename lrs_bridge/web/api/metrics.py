"""GET /api/v1/metrics/journey: the journey metrics of the credential's tenant for a period,
narrowed by phase, role and team (README: Journey metrics)."""

from flask import current_app, g

from lrs_bridge.journey.metrics.period import METRICS, Filters
from lrs_bridge.metrics_report import Report, default_within
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas.queries import JourneyMetricsQuery
from lrs_bridge.web.api.working_mapping import working
from lrs_bridge.web.auth import require
from lrs_bridge.web.journey_query import period_of, team_of
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.errors import BadRequest


def get_journey():
    """Every journey metric (or those `metrics` names) of the period and filters."""
    require(g.credential, "progress/read")
    params = Params(JourneyMetricsQuery)
    services = current_app.extensions["lrs_bridge"]
    mapping = working(services).mapping
    filters = Filters(phase=params.choice("phase", tuple(p.id for p in mapping.phases)),
                      role=params.choice("role", tuple(r.id for r in mapping.roles)),
                      team=team_of(params.text("team")))
    today = services.clock.now().date()
    period = period_of(params.text("from"), params.text("to"), today)
    wanted = _metrics(params)
    within = _within(params) if params.text("expiring_within") is not None \
        else default_within(mapping)
    with read_transaction(services.engine) as conn:
        body = Report(conn, g.credential.tenant_id, mapping, period, filters, within,
                      today).build(wanted)
    return json_response(body)


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

"""GET /api/v1/alerts: the credential's tenant's alerts, newest first, filtered."""

from flask import current_app, g
from sqlalchemy import Connection

from lrs_bridge.journey.alert_rules import KINDS
from lrs_bridge.learner_report import alert_entry
from lrs_bridge.store.alerts import list_alerts, page_key
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learner_list import learner_ids_by_email
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas.queries import ALERT_STATUSES, AlertsQuery
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.responses import json_response


def get_alerts():
    """A page of alerts: open ones unless `status` says otherwise."""
    require(g.credential, "progress/read")
    params = Params(AlertsQuery)
    filters = alert_filters(params, "open")
    since, after, limit = params.moment("since"), params.numbers("after", 2), params.limit()
    learner = params.learner()
    services = current_app.extensions["lrs_bridge"]
    tenant_id = g.credential.tenant_id
    with read_transaction(services.engine) as conn:
        found = list_alerts(conn, tenant_id, learner_ids=learner_ids(conn, tenant_id, learner),
                            since=since, after=after, limit=limit + 1, **filters)
    page = found[:limit]
    more = None
    if len(found) > limit:
        more = params.next_page("-".join(str(n) for n in page_key(page[-1])))
    return json_response({"alerts": [alert_entry(a) for a in page], "more": more})


def alert_filters(params: Params, default_status: str) -> dict:
    """`kind`, `status`, `phase`, `manager` and `team` as store.alerts.alert_query takes
    them."""
    status = params.choice("status", ALERT_STATUSES) or default_status
    return {"kind": params.choice("kind", KINDS), "phase": params.text("phase"),
            "manager": params.text("manager"), "team": params.text("team"),
            "status": None if status == "all" else status}


def learner_ids(conn: Connection, tenant_id: int, learner: int | str | None) -> list[int] | None:
    """The learners `learner` (an id or an e-mail address) names; None: any."""
    if learner is None:
        return None
    return learner_ids_by_email(conn, tenant_id, learner) if isinstance(learner, str) \
        else [learner]

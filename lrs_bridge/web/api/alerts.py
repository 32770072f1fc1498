"""GET /api/v1/alerts: the credential's tenant's alerts, newest first, filtered."""

from flask import current_app, g

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
    status = params.choice("status", ALERT_STATUSES) or "open"
    filters = {"kind": params.choice("kind", KINDS), "phase": params.text("phase"),
               "since": params.moment("since"), "manager": params.text("manager"),
               "team": params.text("team"), "after": params.numbers("after", 2),
               "status": None if status == "all" else status}
    learner, limit = params.learner(), params.limit()
    services = current_app.extensions["lrs_bridge"]
    tenant_id = g.credential.tenant_id
    with read_transaction(services.engine) as conn:
        ids = learner_ids_by_email(conn, tenant_id, learner) if isinstance(learner, str) \
            else None if learner is None else [learner]
        found = list_alerts(conn, tenant_id, learner_ids=ids, limit=limit + 1, **filters)
    page = found[:limit]
    more = None
    if len(found) > limit:
        more = params.next_page("-".join(str(n) for n in page_key(page[-1])))
    return json_response({"alerts": [alert_entry(a) for a in page], "more": more})


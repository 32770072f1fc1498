"""GET /api/v1/status: how far the progress engine has got with the credential's tenant."""

from flask import current_app, g

from lrs_bridge.store import progress_queue as queue
from lrs_bridge.store.delivery_figures import totals
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.progress_status import progress_status
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas.queries import EmptyQuery
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.responses import json_response


def get_status():
    """Statements stored and processed, the lag, the outbox and its deliveries to each
    connector, the mapping version in use."""
    require(g.credential, "progress/read")
    Params(EmptyQuery)  # takes none: refuses any
    services = current_app.extensions["lrs_bridge"]
    version = services.mappings.current().version
    now = services.clock.now()
    now_ms = int(now.timestamp() * 1000)
    with read_transaction(services.engine) as conn:
        found = progress_status(conn, g.credential.tenant_id, version, now_ms)
    waiting = found.waiting[queue.STORED] + found.waiting[queue.VOIDED]
    lag = 0.0 if found.oldest_mark is None else max(now_ms - found.oldest_mark, 0) / 1000
    return json_response({
        "at": now.isoformat(),
        "statements": {"stored": found.statements, "voided": found.voided,
                       "processed": found.statements - found.waiting[queue.STORED]},
        "lag": {"statements": waiting, "learners": found.waiting[queue.REBUILD],
                "seconds": round(lag, 3)},
        "outbox": {"size": found.outbox},
        "delivery": {"connectors": [f.as_json() for f in found.connectors],
                     "totals": totals(found.connectors)},
        "learners": found.learners,
        "mapping": {"version": version, "learners_behind": found.learners_behind},
        "unknown_actors": {"people": found.unknown_actors,
                           "statements": found.unknown_statements},
    })

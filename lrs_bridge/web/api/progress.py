"""GET /api/v1/progress: the credential's tenant's progress changes in the order they were
recorded, filtered, a page at a time; `next` continues after them, now or later."""

from flask import current_app, g

from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learners import load_learners
from lrs_bridge.store.progress_feed import feed_page, horizon
from lrs_bridge.web.api.feed_entries import feed_entry, feed_learner
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.progress_request import feed_request
from lrs_bridge.web.api.schemas.queries import ProgressQuery
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.responses import json_response


def get_progress():
    """A page of progress entries after the cursor `after`."""
    require(g.credential, "progress/read")
    params = Params(ProgressQuery)
    services = current_app.extensions["lrs_bridge"]
    asked = feed_request(params, services, g.credential.tenant_id)
    limit = params.limit()
    with read_transaction(services.engine) as conn:
        bound = horizon(conn)
        rows = feed_page(conn, asked.tenant_id, asked.filter(conn), bound, asked.after, limit)
        people = load_learners(conn, {row.learner_id for row in rows})
    # A short page read everything within the horizon: the next read starts there, so that
    # it does not read again what this filter left out.
    cursor = rows[-1].position if len(rows) == limit else \
        max(asked.after or (0, 0), bound.cursor())
    following = params.next_page(f"{cursor[0]}-{cursor[1]}")
    entries = [feed_entry(row, feed_learner(row.learner_id, people.get(row.learner_id),
                                            asked.today)) for row in rows]
    return json_response({"entries": entries, "next": following},
                         headers={"Link": f'<{following}>; rel="next"'})

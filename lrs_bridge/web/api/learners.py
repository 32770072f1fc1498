"""GET /api/v1/learners and /api/v1/learners/<id>: the credential's tenant's learners with
where they stand, read at the server's time or at `at`."""

from flask import current_app, g

from lrs_bridge.bootstrap import Services
from lrs_bridge.journey.learners import STATUSES
from lrs_bridge.learner_report import learner_report, learner_summary
from lrs_bridge.store.alerts import open_counts
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learner_list import LearnerFilter, learner_ids, learner_of_tenant
from lrs_bridge.store.learners import load_learners
from lrs_bridge.store.progress import view_states
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas.queries import LearnerQuery, LearnersQuery
from lrs_bridge.web.api.working_mapping import working
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.errors import NotFound


def list_learners():
    """A page of learners, in id order, with their phase, paths and open alerts."""
    require(g.credential, "progress/read")
    params = Params(LearnersQuery)
    where = LearnerFilter(email=params.text("email"), team=params.text("team"),
                          manager=params.text("manager"), role=params.text("role"),
                          status=params.choice("status", STATUSES))
    limit, after = params.limit(), params.numbers("after", 1)
    services = _services()
    snapshot = working(services)
    now = params.moment("at") or services.clock.now()
    tenant_id = g.credential.tenant_id
    with read_transaction(services.engine) as conn:
        ids = learner_ids(conn, tenant_id, where, now.date(), after=after[0] if after else None,
                          limit=limit + 1)
        page = ids[:limit]
        people = load_learners(conn, set(page))
        states = view_states(conn, tenant_id, page)
        alerts = open_counts(conn, tenant_id, page)
    return json_response({
        "learners": [learner_summary(people[i], states[i], snapshot.mapping, now,
                                     alerts.get(i, 0)) for i in page],
        "more": params.next_page(str(page[-1])) if len(ids) > limit else None,
    })


def get_learner(learner_id: int):
    """One learner with their paths, steps, skills and open alerts."""
    require(g.credential, "progress/read")
    params = Params(LearnerQuery)
    services = _services()
    snapshot = working(services)
    now = params.moment("at") or services.clock.now()
    tenant_id = g.credential.tenant_id
    with read_transaction(services.engine) as conn:
        person = learner_of_tenant(conn, tenant_id, learner_id)
        if person is None:
            raise NotFound(f"no learner {learner_id}")
        body = learner_report(conn, tenant_id, person, snapshot.mapping, snapshot.version, now)
    return json_response(body)


def _services() -> Services:
    return current_app.extensions["lrs_bridge"]


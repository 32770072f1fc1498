"""What the dashboard reads besides the progress API's readers: open alerts counted by kind,
one learner's evidence in time, the managers and teams of a tenant and how many learners one
sees."""

from sqlalchemy import Connection, func, select

from lrs_bridge.journey.progress_state import Evidence
from lrs_bridge.store.learner_list import manager_is, team_of
from lrs_bridge.store.progress_codec import load_evidence
from lrs_bridge.store.tables import alerts, learners, progress_evidence

_A, _L, _E = alerts.c, learners.c, progress_evidence.c


def open_alert_counts(conn: Connection, tenant_id: int,
                      manager: str | None = None) -> dict[str, int]:
    """How many open alerts there are of each kind (of `manager`'s team only, when given)."""
    query = (select(_A.kind, func.count()).where(_A.tenant_id == tenant_id, _A.status == "open")
             .group_by(_A.kind))
    if manager is not None:
        query = query.where(_A.learner_id.in_(team_of(tenant_id, manager)))
    return dict(conn.execute(query).all())


def learner_count(conn: Connection, tenant_id: int, manager: str | None = None) -> int:
    """How many learners the tenant has (in `manager`'s team only, when given)."""
    query = select(func.count()).select_from(learners).where(_L.tenant_id == tenant_id)
    if manager is not None:
        query = query.where(manager_is(manager))
    return conn.execute(query).scalar_one()


def managers(conn: Connection, tenant_id: int) -> list[tuple[str, int]]:
    """(manager e-mail in lower case, team size) of every manager the roster names."""
    email = func.lower(_L.manager_email)
    query = (select(email, func.count()).where(_L.tenant_id == tenant_id, _L.manager_email != "")
             .group_by(email).order_by(email))
    return [(address, count) for address, count in conn.execute(query)]


def teams(conn: Connection, tenant_id: int, manager: str | None = None) -> list[str]:
    """The teams the roster names, in order (of `manager`'s learners only, when given)."""
    query = (select(_L.team).where(_L.tenant_id == tenant_id, _L.team != "")
             .group_by(_L.team).order_by(_L.team))
    if manager is not None:
        query = query.where(manager_is(manager))
    return list(conn.execute(query).scalars())


def learner_evidence(conn: Connection, tenant_id: int, learner_id: int) -> list[Evidence]:
    """Every statement that counts for the learner, as the progress engine holds it, oldest
    first (a range of the evidence table's key: no scan of the statements)."""
    query = select(_E.statement_id, _E.data).where(_E.tenant_id == tenant_id,
                                                   _E.learner_id == learner_id)
    found = [load_evidence(row.statement_id, row.data) for row in conn.execute(query)]
    return sorted(found, key=lambda e: e.order)

"""What an administrator does to the outbox: put dead deliveries back in the queue, and delete
settled deliveries and the events no delivery refers to any more. Pending deliveries, and the
events they need, are never deleted."""

from dataclasses import dataclass

from sqlalchemy import Connection, delete, exists, select, update

from lrs_bridge.store.tables import connectors, deliveries, outbox

_D = deliveries.c


@dataclass(frozen=True)
class Selection:
    """The connectors a command acts on (None: every one) and their tenants (None: every
    one)."""

    connector_ids: list[int] | None = None
    tenant_ids: list[int] | None = None


def select_connectors(conn: Connection, *, name: str | None = None,
                      tenant_id: int | None = None) -> Selection | None:
    """The connector called `name` (None when there is none), or those of a tenant, or all."""
    if name is None:
        return Selection(None, None if tenant_id is None else [tenant_id])
    query = select(connectors.c.id, connectors.c.tenant_id).where(connectors.c.name == name)
    if tenant_id is not None:
        query = query.where(connectors.c.tenant_id == tenant_id)
    row = conn.execute(query).first()
    return None if row is None else Selection([row.id], [row.tenant_id])


def retry_dead(conn: Connection, chosen: Selection, now_ms: int,
               event_id: str | None = None) -> int:
    """Make the dead deliveries of `chosen` (of one event, if given) pending again, due now,
    with no attempts; return how many."""
    query = update(deliveries).where(_D.status == "dead")
    query = _of(query, chosen)
    if event_id is not None:
        query = query.where(_D.outbox_id.in_(_events(chosen, event_id)))
    return conn.execute(query.values(status="pending", attempts=0, next_attempt=now_ms,
                                     last_error=None, updated=now_ms)).rowcount


def deliveries_of_event(conn: Connection, chosen: Selection, event_id: str) -> dict[str, int]:
    """How many deliveries of the event `chosen` has, by status."""
    query = _of(select(_D.status).where(_D.outbox_id.in_(_events(chosen, event_id))), chosen)
    found: dict[str, int] = {}
    for status in conn.execute(query).scalars():
        found[status] = found.get(status, 0) + 1
    return found


@dataclass(frozen=True)
class Purged:
    deliveries: int
    events: int


def purge(conn: Connection, chosen: Selection, statuses: tuple[str, ...],
          before_ms: int | None = None) -> Purged:
    """Delete the deliveries of `chosen` with one of `statuses` (done, dead) settled before
    `before_ms` (None: whenever), then the events of their tenants written before it that no
    delivery refers to."""
    if not set(statuses) <= {"done", "dead"}:
        raise ValueError(f"only settled deliveries can be purged, not {statuses}")
    gone = _of(delete(deliveries).where(_D.status.in_(statuses)), chosen)
    if before_ms is not None:
        gone = gone.where(_D.updated < before_ms)
    removed = conn.execute(gone).rowcount
    unused = delete(outbox).where(_unreferenced(conn))
    if chosen.tenant_ids is not None:
        unused = unused.where(outbox.c.tenant_id.in_(chosen.tenant_ids))
    if before_ms is not None:
        unused = unused.where(outbox.c.created < before_ms)
    return Purged(removed, conn.execute(unused).rowcount)


def _unreferenced(conn: Connection):
    # No index leads from an event to its deliveries: PostgreSQL plans NOT EXISTS as one hash
    # anti-join, while SQLite would scan the deliveries once per event, and reads NOT IN
    # (a list it builds once) instead.
    if conn.dialect.name == "sqlite":
        return outbox.c.id.not_in(select(_D.outbox_id))
    return ~exists().where(_D.outbox_id == outbox.c.id)


def _of(query, chosen: Selection):
    if chosen.connector_ids is not None:
        query = query.where(_D.connector_id.in_(chosen.connector_ids))
    if chosen.tenant_ids is not None:
        query = query.where(_D.tenant_id.in_(chosen.tenant_ids))
    return query


def _events(chosen: Selection, event_id: str):
    query = select(outbox.c.id).where(outbox.c.event_id == event_id.strip().lower())
    if chosen.tenant_ids is not None:
        query = query.where(outbox.c.tenant_id.in_(chosen.tenant_ids))
    return query

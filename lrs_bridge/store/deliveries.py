"""Deliveries of outbox events to connectors: leased to a worker a few at a time, each the
oldest one waiting for its (connector, learner), so a learner's events reach an LMS in order,
and settled with what the LMS answered."""

from dataclasses import dataclass

import orjson
from sqlalchemy import Connection, and_, bindparam, exists, select, update
from sqlalchemy.orm import aliased

from lrs_bridge.store.tables import deliveries, lms_users, outbox

_D = deliveries.c


@dataclass(frozen=True)
class Lease:
    id: int
    connector_id: int
    learner_id: int
    attempts: int
    event: dict
    until: int  # ms: when the lease lapses (its next_attempt while it is held)


def lease(conn: Connection, now_ms: int, limit: int, lease_ms: int) -> list[Lease]:
    """Take up to `limit` deliveries that are due, each the earliest still pending of its
    connector and learner, for `lease_ms`: no other worker takes them meanwhile, and a
    worker that dies lets them fall due again (at least once, never twice at a time)."""
    due = select(_D.id).where(ready(now_ms)).order_by(_D.next_attempt, _D.id).limit(limit)
    if conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(conn.execute(due).scalars())
    if not ids:
        return []
    until = now_ms + lease_ms
    conn.execute(update(deliveries).where(_D.id.in_(ids)).values(
        next_attempt=until, updated=now_ms))
    rows = conn.execute(select(_D.id, _D.connector_id, _D.learner_id, _D.attempts,
                               outbox.c.payload)
                        .join(outbox, outbox.c.id == _D.outbox_id).where(_D.id.in_(ids))
                        .order_by(_D.id))
    return [Lease(r.id, r.connector_id, r.learner_id, r.attempts, orjson.loads(r.payload),
                  until) for r in rows]


def any_due(conn: Connection, now_ms: int) -> bool:
    """Whether a worker would lease anything at `now_ms` (a read: takes no lock)."""
    return conn.execute(select(_D.id).where(ready(now_ms)).limit(1)).first() is not None


def ready(now_ms: int):
    """The condition of a delivery a worker may take at `now_ms`: pending, due, and the
    earliest still pending of its connector and learner."""
    earlier = aliased(deliveries)
    return and_(_D.status == "pending", _D.next_attempt <= now_ms,
                ~exists().where(and_(earlier.c.connector_id == _D.connector_id,
                                     earlier.c.learner_id == _D.learner_id,
                                     earlier.c.status == "pending",
                                     earlier.c.outbox_id < _D.outbox_id)))


@dataclass(frozen=True)
class Settled:
    """The outcome of one attempt: done, dead, or pending again at `next_attempt`."""

    lease: Lease
    status: str
    attempts: int
    next_attempt: int
    error: str | None


def settle(conn: Connection, outcomes: list[Settled], now_ms: int) -> int:
    """Record outcomes, except where the lease lapsed and the delivery was leased again;
    return how many were recorded."""
    if not outcomes:
        return 0
    statement = update(deliveries).where(
        _D.id == bindparam("b_id"), _D.status == "pending",
        _D.next_attempt == bindparam("b_until")).values(
        status=bindparam("b_status"), attempts=bindparam("b_attempts"),
        next_attempt=bindparam("b_next"), last_error=bindparam("b_error"), updated=now_ms)
    return conn.execute(statement, [
        {"b_id": o.lease.id, "b_until": o.lease.until, "b_status": o.status,
         "b_attempts": o.attempts, "b_next": o.next_attempt, "b_error": o.error}
        for o in outcomes]).rowcount


def cached_users(conn: Connection, pairs: list[tuple[int, int]]) -> dict[tuple[int, int], dict]:
    """The cached LMS users of (connector id, learner id) pairs, by pair."""
    if not pairs:
        return {}
    wanted = set(pairs)
    rows = conn.execute(select(lms_users.c.connector_id, lms_users.c.learner_id,
                               lms_users.c.user).where(
        lms_users.c.connector_id.in_({c for c, _ in wanted}),
        lms_users.c.learner_id.in_({learner for _, learner in wanted})))
    return {(r.connector_id, r.learner_id): orjson.loads(r.user) for r in rows
            if (r.connector_id, r.learner_id) in wanted}


def remember_user(conn: Connection, connector_id: int, learner_id: int, user: dict,
                  now_ms: int) -> None:
    forget_user(conn, connector_id, learner_id)
    conn.execute(lms_users.insert().values(connector_id=connector_id, learner_id=learner_id,
                                           user=orjson.dumps(user).decode(), resolved=now_ms))


def forget_user(conn: Connection, connector_id: int, learner_id: int) -> None:
    conn.execute(lms_users.delete().where(lms_users.c.connector_id == connector_id,
                                          lms_users.c.learner_id == learner_id))

"""The progress engine's work queue: marks left by writers, claimed by workers.

A statement write adds one row per statement it stored and per statement it voided, in its
own transaction; a roster import adds one per learner it added or changed; `reprocess` one
per learner. A worker claims rows (on PostgreSQL with FOR UPDATE SKIP LOCKED, so workers
never take the same row) and deletes them in the transaction that writes their effect.
"""

import time
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select

from lrs_bridge.store.tables import progress_queue

STORED, VOIDED, REBUILD = 1, 2, 3
_INSERT = insert(progress_queue)


@dataclass(frozen=True)
class Mark:
    id: int
    tenant_id: int
    kind: int
    statement_id: str | None
    learner_id: int | None
    created: int


def mark_statements(conn: Connection, tenant_id: int, stored: list[str],
                    voided: list[str]) -> None:
    """Leave the marks of a statement write (lower-case ids)."""
    now = int(time.time() * 1000)
    rows = [{"tenant_id": tenant_id, "kind": STORED, "statement_id": sid, "learner_id": None,
             "created": now} for sid in stored]
    rows += [{"tenant_id": tenant_id, "kind": VOIDED, "statement_id": sid, "learner_id": None,
              "created": now} for sid in voided]
    if rows:
        conn.execute(_INSERT, rows)


def mark_learners(conn: Connection, tenant_id: int, learner_ids) -> int:
    """Ask for these learners to be rebuilt from their statements; return how many."""
    now = int(time.time() * 1000)
    rows = [{"tenant_id": tenant_id, "kind": REBUILD, "statement_id": None,
             "learner_id": learner_id, "created": now} for learner_id in learner_ids]
    if rows:
        conn.execute(_INSERT, rows)
    return len(rows)


def claim(conn: Connection, limit: int) -> list[Mark]:
    """The oldest `limit` marks no other worker holds, locked until this transaction ends."""
    query = select(progress_queue).order_by(progress_queue.c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [Mark(r.id, r.tenant_id, r.kind, r.statement_id, r.learner_id, r.created)
            for r in conn.execute(query)]


def done(conn: Connection, marks: list[Mark]) -> None:
    """Remove claimed marks (in the transaction that wrote their effect)."""
    ids = [mark.id for mark in marks]
    for start in range(0, len(ids), 500):
        conn.execute(delete(progress_queue).where(progress_queue.c.id.in_(ids[start:start + 500])))


def backlog(conn: Connection, tenant_id: int | None = None) -> tuple[int, int | None]:
    """How many marks wait, and when the oldest was left (ms), for one tenant or all."""
    query = select(func.count(), func.min(progress_queue.c.created))
    if tenant_id is not None:
        query = query.where(progress_queue.c.tenant_id == tenant_id)
    count, oldest = conn.execute(query).one()
    return count, oldest


def backlog_by_kind(conn: Connection, tenant_id: int) -> dict[int, tuple[int, int]]:
    """For each kind of mark a tenant has waiting: how many, and when the oldest was left."""
    query = (select(progress_queue.c.kind, func.count(), func.min(progress_queue.c.created))
             .where(progress_queue.c.tenant_id == tenant_id).group_by(progress_queue.c.kind))
    return {kind: (count, oldest) for kind, count, oldest in conn.execute(query)}

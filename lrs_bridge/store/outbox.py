"""The outbox: events written in the transaction of the state they describe, each once."""

import uuid

import orjson
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lrs_bridge.journey.progress_events import Event
from lrs_bridge.store.tables import connectors, deliveries, outbox

# Event ids are UUIDs derived from (tenant, learner, key): stable across processes and runs.
_NAMESPACE = uuid.UUID("5b0f4a53-2b0e-4d46-9d7e-6c1f7d1b9a10")


def event_id(tenant_id: int, learner_id: int, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{tenant_id}|{learner_id}|{key}"))


def append(conn: Connection, tenant_id: int, batch: list[tuple[int, dict, list[Event]]],
           now_ms: int) -> None:
    """Add the events the outbox does not hold yet (by their stable id); `batch` holds
    (learner id, the learner as events name them, their events)."""
    rows = {}
    for learner_id, learner, events in batch:
        for event in events:
            eid = event_id(tenant_id, learner_id, event.key)
            rows[eid] = {"tenant_id": tenant_id, "event_id": eid, "type": event.type,
                         "learner_id": learner_id, "created": now_ms,
                         "payload": orjson.dumps({"id": eid, "type": event.type,
                                                  "learner": learner,
                                                  **event.payload}).decode(),
                         **_about(event)}
    if not rows:
        return
    txn = transaction_order(conn)
    for row in rows.values():
        row["txn"] = txn
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = make(outbox).on_conflict_do_nothing(
        index_elements=["tenant_id", "event_id"]).returning(outbox.c.id, outbox.c.learner_id)
    added = conn.execute(statement, list(rows.values())).all()
    # Each new event is to be delivered by every connector the tenant has now.
    targets = conn.execute(select(connectors.c.id).where(
        connectors.c.tenant_id == tenant_id)).scalars().all()
    if added and targets:
        conn.execute(insert(deliveries), [
            {"tenant_id": tenant_id, "connector_id": connector, "outbox_id": row.id,
             "learner_id": row.learner_id, "status": "pending", "attempts": 0,
             "next_attempt": now_ms, "last_error": None, "updated": now_ms}
            for row in added for connector in targets])


def transaction_order(conn: Connection) -> int:
    """The `txn` of the rows this transaction writes: its id on PostgreSQL (see tables.outbox),
    0 on SQLite."""
    if conn.dialect.name != "postgresql":
        return 0
    return conn.execute(text("SELECT CAST(CAST(pg_current_xact_id() AS text) AS bigint)")).scalar()


def _about(event: Event) -> dict:
    """The path, module and skill an event is about (the feed filters by them)."""
    payload = event.payload
    return {"path": payload.get("path"),
            "module": payload.get("module") if event.type == "step.changed" else None,
            "skill": payload.get("skill") if event.type == "skill.changed" else None}


def size(conn: Connection, tenant_id: int | None = None) -> int:
    query = select(func.count()).select_from(outbox)
    if tenant_id is not None:
        query = query.where(outbox.c.tenant_id == tenant_id)
    return conn.execute(query).scalar()

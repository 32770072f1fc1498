"""The outbox: events written in the transaction of the state they describe, each once."""

import uuid
from collections.abc import Callable

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
           now_ms: int, wants: Callable[[str, dict], bool] | None = None) -> None:
    """Add the events the outbox does not hold yet (by their stable id); `batch` holds
    (learner id, the learner as events name them, their events). Each new one is to be
    delivered by every connector the tenant has now whose kind `wants(kind, event)` it
    (default: every connector)."""
    rows, payloads = {}, {}
    for learner_id, learner, events in batch:
        for event in events:
            eid = event_id(tenant_id, learner_id, event.key)
            payloads[eid] = {"id": eid, "type": event.type, "learner": learner,
                             **event.payload}
            rows[eid] = {"tenant_id": tenant_id, "event_id": eid, "type": event.type,
                         "learner_id": learner_id, "created": now_ms,
                         "payload": orjson.dumps(payloads[eid]).decode(), **_about(event)}
    if not rows:
        return
    txn = transaction_order(conn)
    for row in rows.values():
        row["txn"] = txn
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = make(outbox).on_conflict_do_nothing(
        index_elements=["tenant_id", "event_id"]).returning(
        outbox.c.id, outbox.c.learner_id, outbox.c.event_id)
    added = conn.execute(statement, list(rows.values())).all()
    targets = conn.execute(select(connectors.c.id, connectors.c.kind).where(
        connectors.c.tenant_id == tenant_id)).all()
    wanted = [{"tenant_id": tenant_id, "connector_id": target.id, "outbox_id": row.id,
               "learner_id": row.learner_id, "status": "pending", "attempts": 0,
               "next_attempt": now_ms, "last_error": None, "updated": now_ms}
              for row in added for target in targets
              if wants is None or wants(target.kind, payloads[row.event_id])]
    if wanted:
        conn.execute(insert(deliveries), wanted)


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

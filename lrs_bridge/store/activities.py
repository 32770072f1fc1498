"""Canonical Activity definitions: merged in the statement write transaction, read by
/activities and by GET /statements?format=canonical."""

import hashlib
import time

import orjson
from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lrs_bridge.store.tables import activities
from lrs_bridge.xapi.definitions import definitions_in, merge_definition

_CHUNK = 500

_BY_HASHES = select(activities.c.id_hash, activities.c.definition).where(
    activities.c.tenant_id == bindparam("tenant_id"),
    activities.c.id_hash.in_(bindparam("hashes", expanding=True)))
_RETRIES = 5


class ActivityStore:
    """The canonical definitions of every tenant."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def merge_in(self, conn, tenant_id: int, statements: list[dict]) -> None:
        """Fold the definitions a batch carries into the canonical ones (caller's transaction).

        Other processes may merge into the same Activity at the same moment (PostgreSQL):
        an insert that finds the row already there, or an update that finds it changed since
        it was read, reads it again and merges once more, so no language is lost.
        """
        incoming = definitions_in(statements)
        if not incoming:
            return
        hashes = {activity_id: id_hash(activity_id) for activity_id in incoming}
        known = _definitions_text(conn, tenant_id, list(hashes.values()))
        now = int(time.time() * 1000)
        for activity_id, definition in incoming.items():
            key = hashes[activity_id]
            for _attempt in range(_RETRIES):
                if key not in known:
                    if _insert_new(conn, tenant_id, key, activity_id, definition, now):
                        break
                elif _update_if_unchanged(conn, tenant_id, key, known[key], definition, now):
                    break
                known.update(_definitions_text(conn, tenant_id, [key]))
            else:
                raise RuntimeError(f"the definition of {activity_id} kept changing under us")

    def definitions(self, tenant_id: int, activity_ids: set[str]) -> dict[str, dict]:
        """Activity id -> canonical definition, for those of `activity_ids` that have one."""
        hashes = {id_hash(a): a for a in activity_ids}
        with self.engine.connect() as conn:
            found = _definitions(conn, tenant_id, list(hashes))
        return {hashes[key]: definition for key, definition in found.items()}


def _definitions(conn, tenant_id: int, hashes: list[str]) -> dict[str, dict]:
    return {key: orjson.loads(text)
            for key, text in _definitions_text(conn, tenant_id, hashes).items()}


def _definitions_text(conn, tenant_id: int, hashes: list[str]) -> dict[str, str]:
    found = {}
    for start in range(0, len(hashes), _CHUNK):
        rows = conn.execute(_BY_HASHES, {"tenant_id": tenant_id,
                                         "hashes": hashes[start:start + _CHUNK]})
        found.update({row.id_hash: row.definition for row in rows})
    return found


def _insert_new(conn, tenant_id, key, activity_id, definition, now) -> bool:
    """Insert a first definition; False when another transaction inserted one first."""
    dialect_insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(activities).values(
        tenant_id=tenant_id, id_hash=key, activity_id=activity_id,
        definition=orjson.dumps(definition).decode(), updated=now,
    ).on_conflict_do_nothing(index_elements=["tenant_id", "id_hash"])
    return conn.execute(statement).rowcount == 1


def _update_if_unchanged(conn, tenant_id, key, stored_text, definition, now) -> bool:
    """Merge into the stored definition; False when it changed since it was read."""
    merged = merge_definition(orjson.loads(stored_text), definition)
    merged_text = orjson.dumps(merged).decode()
    if merged_text == stored_text:
        return True
    done = conn.execute(update(activities).where(
        activities.c.tenant_id == tenant_id, activities.c.id_hash == key,
        activities.c.definition == stored_text).values(definition=merged_text, updated=now))
    return done.rowcount == 1


def id_hash(activity_id: str) -> str:
    """The key of an Activity id in the activities table."""
    return hashlib.sha256(activity_id.encode("utf-8")).hexdigest()

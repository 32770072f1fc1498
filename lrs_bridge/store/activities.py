"""Canonical Activity definitions: merged in the statement write transaction, read by
/activities and by GET /statements?format=canonical."""

import hashlib
import time

import orjson
from sqlalchemy import Engine, bindparam, insert, select, update

from lrs_bridge.store.tables import activities
from lrs_bridge.xapi.definitions import definitions_in, merge_definition

_CHUNK = 500

_BY_HASHES = select(activities.c.id_hash, activities.c.definition).where(
    activities.c.tenant_id == bindparam("tenant_id"),
    activities.c.id_hash.in_(bindparam("hashes", expanding=True)))
_INSERT = insert(activities)
_UPDATE = update(activities).where(
    activities.c.tenant_id == bindparam("t_id"),
    activities.c.id_hash == bindparam("h")).values(
    definition=bindparam("definition"), updated=bindparam("updated"))


class ActivityStore:
    """The canonical definitions of every tenant."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def merge_in(self, conn, tenant_id: int, statements: list[dict]) -> None:
        """Fold the definitions a batch carries into the canonical ones (caller's transaction)."""
        incoming = definitions_in(statements)
        if not incoming:
            return
        hashes = {activity_id: id_hash(activity_id) for activity_id in incoming}
        known = _definitions(conn, tenant_id, list(hashes.values()))
        now = int(time.time() * 1000)
        inserts, updates = [], []
        for activity_id, definition in incoming.items():
            key = hashes[activity_id]
            if key not in known:
                inserts.append({"tenant_id": tenant_id, "id_hash": key,
                                "activity_id": activity_id,
                                "definition": orjson.dumps(definition).decode(),
                                "updated": now})
                continue
            merged = merge_definition(known[key], definition)
            if merged != known[key]:
                updates.append({"t_id": tenant_id, "h": key,
                                "definition": orjson.dumps(merged).decode(), "updated": now})
        if inserts:
            conn.execute(_INSERT, inserts)
        if updates:
            conn.execute(_UPDATE, updates)

    def definitions(self, tenant_id: int, activity_ids: set[str]) -> dict[str, dict]:
        """Activity id -> canonical definition, for those of `activity_ids` that have one."""
        hashes = {id_hash(a): a for a in activity_ids}
        with self.engine.connect() as conn:
            found = _definitions(conn, tenant_id, list(hashes))
        return {hashes[key]: definition for key, definition in found.items()}


def _definitions(conn, tenant_id: int, hashes: list[str]) -> dict[str, dict]:
    found = {}
    for start in range(0, len(hashes), _CHUNK):
        rows = conn.execute(_BY_HASHES, {"tenant_id": tenant_id,
                                         "hashes": hashes[start:start + _CHUNK]})
        found.update({row.id_hash: orjson.loads(row.definition) for row in rows})
    return found


def id_hash(activity_id: str) -> str:
    """The key of an Activity id in the activities table."""
    return hashlib.sha256(activity_id.encode("utf-8")).hexdigest()

"""What the progress worker reads besides its own state: stored statements by id, the
statements of a learner's identifiers, the actors seen, and which credentials are trusted."""

from collections import Counter

import orjson
from sqlalchemy import Connection, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lrs_bridge.store.statement_index import KINDS
from lrs_bridge.store.tables import actors, credentials, statement_index, statements
from lrs_bridge.xapi.index_keys import key_hash

_CHUNK = 500
_S = statements.c


def statements_by_id(conn: Connection, tenant_id: int, ids: list[str]) -> dict[str, tuple]:
    """(payload dict, voided) of the stored statements with these lower-case ids."""
    found = {}
    for start in range(0, len(ids), _CHUNK):
        query = select(_S.statement_id, _S.payload, _S.voided).where(
            _S.tenant_id == tenant_id, _S.statement_id.in_(ids[start:start + _CHUNK]))
        found.update((row.statement_id, (orjson.loads(row.payload), row.voided))
                     for row in conn.execute(query))
    return found


def statements_of(conn: Connection, tenant_id: int, keys: frozenset[str]) -> list[dict]:
    """The statements not voided whose actor or object Agent has one of the IFI keys the
    actors table lists under these directory keys (or the directory key itself)."""
    variants = set(keys)
    for start in range(0, len(sorted(keys)), _CHUNK):
        chunk = sorted(keys)[start:start + _CHUNK]
        variants.update(conn.execute(select(actors.c.ifi_key).where(
            actors.c.tenant_id == tenant_id, actors.c.learner_key.in_(chunk))).scalars())
    hashes = sorted({key_hash("agent", key) for key in variants})
    index = statement_index.c
    found = {}
    for start in range(0, len(hashes), _CHUNK):
        query = (select(_S.seq, _S.payload)
                 .join(statements, _S.seq == index.seq)
                 .where(index.tenant_id == tenant_id, index.kind == KINDS["agent"],
                        index.key.in_(hashes[start:start + _CHUNK]),
                        _S.voided.is_(False), _S.voiding_target.is_(None)))
        found.update((row.seq, row.payload) for row in conn.execute(query))
    return [orjson.loads(found[seq]) for seq in sorted(found)]


def record_actors(conn: Connection, tenant_id: int, seen: Counter, now_ms: int) -> None:
    """Count statements per (directory key, IFI key) of actor."""
    if not seen:
        return
    rows = [{"tenant_id": tenant_id, "learner_key": learner_key, "ifi_key": ifi_key,
             "statements": count, "last_seen": now_ms}
            for (learner_key, ifi_key), count in sorted(seen.items())]
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = make(actors)
    conn.execute(statement.on_conflict_do_update(
        index_elements=["tenant_id", "learner_key", "ifi_key"],
        set_={"statements": actors.c.statements + statement.excluded.statements,
              "last_seen": statement.excluded.last_seen}), rows)


def trusted_keys(conn: Connection, tenant_id: int) -> set[str]:
    """The keys of the tenant's credentials whose skill tags count."""
    return set(conn.execute(select(credentials.c.key).where(
        credentials.c.tenant_id == tenant_id,
        credentials.c.trust_skill_tags == true())).scalars())

"""Erasing a person: every row the store holds of them, in one transaction (README:
Forgetting a person).

What goes: the statements that are theirs (xapi.erasure.is_own) with their index rows, the
statements that point at those by StatementRef (voiding ones too), attachments no statement
left needs, their State and Agent Profile documents, the actors seen under their
identifiers, and, when the roster names them, their directory entry, progress, metric rows,
alerts, outbox events (the progress feed) with their deliveries, cached LMS users and marks.
Statements of others that merely name them are counted, and go only when asked.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Connection, Table, and_, delete, func, or_, select, text

from lrs_bridge.journey.learners import Learner
from lrs_bridge.store import tables as t
from lrs_bridge.store.learners import load_learners, owners
from lrs_bridge.store.progress_queue import STORED, mark_learners
from lrs_bridge.store.statement_index import KINDS, authority_pair, filter_keys
from lrs_bridge.xapi.agents import ifi_key, learner_key
from lrs_bridge.xapi.erasure import attachment_hashes, directory_form, is_own
from lrs_bridge.xapi.index_keys import key_hash

_CHUNK = 500
_S = t.statements.c
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")

# The tables that hold a learner's progress and metric rows by (tenant_id, learner_id).
_PROGRESS_TABLES = (
    t.progress_learners, t.progress_evidence, t.progress_modules, t.progress_skills,
    t.progress_phase_months, t.progress_journeys, t.progress_paths, t.progress_skill_levels,
    t.progress_short_days, t.progress_responses,
)


@dataclass
class Footprint:
    """What the store holds of one person, found in a transaction and erased in the same."""

    keys: frozenset[str]  # directory keys
    learner: Learner | None = None
    # Statement id -> (seq, stored, payload).
    statements: dict[str, tuple[int, int, dict]] = field(default_factory=dict)
    referring: int = 0  # of `statements`: those that are theirs only by pointing at theirs
    elsewhere: dict[str, tuple[int, int, dict]] = field(default_factory=dict)
    documents: dict[int, int] = field(default_factory=dict)  # resource -> count
    document_ids: list[int] = field(default_factory=list)
    actors: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # what the learner id holds, by table
    pending_deliveries: int = 0
    managed: int = 0  # learners whose roster names them as manager

    @property
    def empty(self) -> bool:
        return (self.learner is None and not self.statements and not self.elsewhere
                and not self.document_ids and not self.actors)


def person_keys(conn: Connection, tenant_id: int, keys: Iterable[str]) -> tuple[
        frozenset[str], Learner | None]:
    """The directory keys of the person some of `keys` name, with all of their learner's
    keys when the roster knows them."""
    keys = frozenset(keys)
    found = set(owners(conn, tenant_id, sorted(keys)).values())
    if len(found) > 1:
        raise ValueError("these identifiers belong to more than one learner")
    if not found:
        return keys, None
    learner = load_learners(conn, found)[found.pop()]
    return keys | learner.keys, learner


def find(conn: Connection, tenant_id: int, keys: frozenset[str], learner: Learner | None,
         *, everywhere: bool = False, lock: bool = True) -> Footprint:
    """Everything the store holds of the person with these directory keys; `lock`: to erase
    it in this transaction."""
    if lock and conn.dialect.name == "postgresql" and learner is not None:
        # The progress worker's lock of this learner: no fold of theirs runs beside this.
        conn.execute(_LOCK, {"key": key_hash("learner", f"{tenant_id}:{learner.id}")})
    found = Footprint(keys=keys, learner=learner)
    variants = _ifi_variants(conn, tenant_id, keys)
    candidates = _by_index(conn, tenant_id, "agent", variants)
    related = _by_index(conn, tenant_id, "agent_related", variants)
    own = {sid: row for sid, row in candidates.items() if is_own(row[2], keys)}
    others = {sid: row for sid, row in {**candidates, **related}.items() if sid not in own}
    if everywhere:
        own.update(others)
        others = {}
    before = len(own)
    own.update(_referring(conn, tenant_id, own))
    found.referring = len(own) - before
    found.statements = own
    found.elsewhere = {sid: row for sid, row in others.items() if sid not in own}
    found.actors = conn.execute(select(func.count()).select_from(t.actors).where(
        t.actors.c.tenant_id == tenant_id, t.actors.c.learner_key.in_(sorted(keys)))).scalar()
    for row in conn.execute(select(t.documents.c.id, t.documents.c.resource,
                                   t.documents.c.agent).where(
            t.documents.c.tenant_id == tenant_id, t.documents.c.agent.is_not(None))):
        if directory_form(row.agent) in keys:
            found.document_ids.append(row.id)
            found.documents[row.resource] = found.documents.get(row.resource, 0) + 1
    if learner is not None:
        for table, where in _learner_rows(conn, tenant_id, learner.id):
            found.rows[table.name] = conn.execute(
                select(func.count()).select_from(table).where(where)).scalar()
        found.pending_deliveries = conn.execute(
            select(func.count()).select_from(t.deliveries).where(
                _deliveries_of(conn, tenant_id, learner.id), t.deliveries.c.status == "pending")
        ).scalar()
        if learner.email:
            found.managed = conn.execute(select(func.count()).select_from(t.learners).where(
                t.learners.c.tenant_id == tenant_id,
                func.lower(t.learners.c.manager_email) == learner.email.lower())).scalar()
    return found


def erase(conn: Connection, tenant_id: int, found: Footprint) -> int:
    """Delete everything `found` lists, in the caller's transaction (the one that found it);
    return how many other learners are marked to be rebuilt without their statements that
    went (those that named the person, with --everywhere)."""
    payloads = {sid: row[2] for sid, row in found.statements.items()}
    _erase_statements(conn, tenant_id, found.statements, payloads)
    actors = {learner_key(row[2].get("actor") or {}) for row in found.statements.values()}
    others = set(owners(conn, tenant_id, sorted(actors - {None} - found.keys)).values())
    if found.learner is not None:
        others.discard(found.learner.id)
    mark_learners(conn, tenant_id, sorted(others))
    for chunk in _chunks(found.document_ids):
        conn.execute(delete(t.documents).where(t.documents.c.id.in_(chunk)))
    conn.execute(delete(t.actors).where(t.actors.c.tenant_id == tenant_id,
                                        t.actors.c.learner_key.in_(sorted(found.keys))))
    if found.learner is not None:
        # Deliveries before the events they deliver, the directory entry last.
        for table, where in _learner_rows(conn, tenant_id, found.learner.id):
            conn.execute(delete(table).where(where))
    return len(others)


def _learner_rows(conn: Connection, tenant_id: int, learner_id: int) -> list[tuple[Table, object]]:
    """(table, condition) of every row the learner id holds, in the order to delete them."""
    own = [(table, and_(table.c.tenant_id == tenant_id, table.c.learner_id == learner_id))
           for table in (t.progress_queue, *_PROGRESS_TABLES, t.alerts)]
    return [
        *own,
        (t.deliveries, _deliveries_of(conn, tenant_id, learner_id)),
        (t.lms_users, and_(t.lms_users.c.connector_id.in_(_connector_ids(conn, tenant_id)),
                           t.lms_users.c.learner_id == learner_id)),
        (t.outbox, and_(t.outbox.c.tenant_id == tenant_id, t.outbox.c.learner_id == learner_id)),
        (t.learner_roles, t.learner_roles.c.learner_id == learner_id),
        (t.learner_identifiers, t.learner_identifiers.c.learner_id == learner_id),
        (t.learners, t.learners.c.id == learner_id),
    ]


def _connector_ids(conn: Connection, tenant_id: int) -> list[int]:
    return list(conn.execute(select(t.connectors.c.id).where(
        t.connectors.c.tenant_id == tenant_id)).scalars())


def _deliveries_of(conn: Connection, tenant_id: int, learner_id: int):
    # Through the tenant's connectors, so that the (connector_id, learner_id) index serves.
    return and_(t.deliveries.c.connector_id.in_(_connector_ids(conn, tenant_id)),
                t.deliveries.c.learner_id == learner_id)


def _ifi_variants(conn: Connection, tenant_id: int, keys: frozenset[str]) -> set[str]:
    """The IFI keys statements may name the person by: their directory keys, those the
    worker has seen under them (an address in other capitals), and those of actors of
    statements still waiting for the worker."""
    variants = set(keys)
    for chunk in _chunks(sorted(keys)):
        variants.update(conn.execute(select(t.actors.c.ifi_key).where(
            t.actors.c.tenant_id == tenant_id, t.actors.c.learner_key.in_(chunk))).scalars())
    waiting = select(t.progress_queue.c.statement_id).where(
        t.progress_queue.c.tenant_id == tenant_id, t.progress_queue.c.kind == STORED)
    query = select(_S.payload).where(_S.tenant_id == tenant_id, _S.statement_id.in_(waiting))
    for payload in conn.execute(query).scalars():
        actor = orjson.loads(payload).get("actor")
        if isinstance(actor, dict) and learner_key(actor) in keys:
            variants.add(ifi_key(actor))
    return variants


def _by_index(conn: Connection, tenant_id: int, kind: str,
              variants: set[str]) -> dict[str, tuple[int, int, dict]]:
    """The statements the index lists under any of these IFI keys for filter `kind`."""
    hashes = sorted({key_hash(kind, key) for key in variants})
    index = t.statement_index.c
    found = {}
    for chunk in _chunks(hashes):
        query = (select(_S.statement_id, _S.seq, _S.stored, _S.payload)
                 .join(t.statements, _S.seq == index.seq)
                 .where(index.tenant_id == tenant_id, index.kind == KINDS[kind],
                        index.key.in_(chunk)))
        for row in conn.execute(query):
            found[row.statement_id] = (row.seq, row.stored, orjson.loads(row.payload))
    return found


def _referring(conn: Connection, tenant_id: int,
               erased: dict[str, tuple[int, int, dict]]) -> dict[str, tuple[int, int, dict]]:
    """The statements that point at erased ones by StatementRef, and at those, and so on."""
    found: dict[str, tuple[int, int, dict]] = {}
    frontier = sorted(erased)
    while frontier:
        fresh = {}
        for chunk in _chunks(frontier):
            query = select(_S.statement_id, _S.seq, _S.stored, _S.payload).where(
                _S.tenant_id == tenant_id, _S.ref_target.in_(chunk))
            for row in conn.execute(query):
                if row.statement_id not in erased and row.statement_id not in found:
                    fresh[row.statement_id] = (row.seq, row.stored, orjson.loads(row.payload))
        found.update(fresh)
        frontier = sorted(fresh)
    return found


def _erase_statements(conn: Connection, tenant_id: int,
                      erased: dict[str, tuple[int, int, dict]], payloads: dict[str, dict]) -> None:
    """Delete statements with exactly the index rows their writing made, the marks that
    wait on them, and the attachments nothing else needs."""
    if not erased:
        return

    def lookup(statement_id: str) -> dict | None:
        low = statement_id.lower()
        if low not in payloads:
            row = conn.execute(select(_S.payload).where(
                _S.tenant_id == tenant_id, _S.statement_id == low)).scalar()
            payloads[low] = orjson.loads(row) if row is not None else None
        return payloads[low]

    index = t.statement_index.c
    for seq, stored, statement in erased.values():
        keys = filter_keys(statement, lookup)
        authority = ifi_key(statement.get("authority") or {})
        if authority is not None:
            keys.add(authority_pair(authority))
        for chunk in _chunks(sorted(keys)):
            conn.execute(delete(t.statement_index).where(
                index.tenant_id == tenant_id, index.stored == stored, index.seq == seq,
                or_(*[and_(index.kind == kind, index.key == key) for kind, key in chunk])))
    ids = sorted(erased)
    hashes = set().union(*(attachment_hashes(row[2]) for row in erased.values()))
    for chunk in _chunks(ids):
        conn.execute(delete(t.progress_queue).where(
            t.progress_queue.c.tenant_id == tenant_id,
            t.progress_queue.c.statement_id.in_(chunk)))
        conn.execute(delete(t.statements).where(
            _S.tenant_id == tenant_id, _S.statement_id.in_(chunk)))
    for sha in sorted(hashes):
        still = conn.execute(select(_S.seq).where(
            _S.tenant_id == tenant_id, _S.payload.contains(sha)).limit(1)).first()
        if still is None:
            conn.execute(delete(t.attachments).where(
                t.attachments.c.tenant_id == tenant_id, t.attachments.c.sha2 == sha))


def _chunks(items: list) -> list[list]:
    return [items[start:start + _CHUNK] for start in range(0, len(items), _CHUNK)]


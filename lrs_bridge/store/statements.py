"""The statement repository: store a batch whole or not at all, get one, query pages."""

import time
import uuid
from dataclasses import dataclass

import orjson
from sqlalchemy import (
    Engine,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    text,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError

from lrs_bridge.store.activities import ActivityStore
from lrs_bridge.store.engine import read_transaction, write_transaction
from lrs_bridge.store.progress_queue import mark_statements
from lrs_bridge.store.statement_index import (
    KINDS,
    authority_pair,
    filter_keys,
    index_rows,
)
from lrs_bridge.store.tables import attachments, statement_index, statements
from lrs_bridge.store.write_barrier import WriteBarrier
from lrs_bridge.xapi.compare import statements_equivalent
from lrs_bridge.xapi.completion import complete_statement
from lrs_bridge.xapi.errors import BadRequest, Conflict
from lrs_bridge.xapi.index_keys import key_hash, statement_ref_target, voiding_target
from lrs_bridge.xapi.query import Cursor, StatementQuery

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit

# The statements of the write path are built once: building them per request cost more
# than running them.
_BY_IDS = select(statements.c.statement_id, statements.c.payload).where(
    statements.c.tenant_id == bindparam("tenant_id"),
    statements.c.statement_id.in_(bindparam("ids", expanding=True)))
_COLUMNS = (statements.c.seq, statements.c.stored, statements.c.statement_id,
            statements.c.voiding_target, statements.c.ref_target, statements.c.payload)
# A UNION, not an OR: SQLite answers an OR of the two columns by scanning the tenant.
_EXISTING_OR_REFERRING = union_all(
    select(*_COLUMNS).where(statements.c.tenant_id == bindparam("tenant_id"),
                            statements.c.statement_id.in_(bindparam("ids", expanding=True))),
    select(*_COLUMNS).where(statements.c.tenant_id == bindparam("tenant_id"),
                            statements.c.ref_target.in_(bindparam("refs", expanding=True))),
)
_REFERRERS = select(*_COLUMNS).where(
    statements.c.tenant_id == bindparam("tenant_id"),
    statements.c.ref_target.in_(bindparam("ids", expanding=True)))
_INSERT_STATEMENTS = insert(statements).returning(statements.c.seq, sort_by_parameter_order=True)
_INSERT_INDEX = insert(statement_index)
# PostgreSQL evaluates a volatile function in the select list after the sort, so the
# advisory locks are taken in key order.
_LOCK_IDS = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k "
                 "ORDER BY k")


@dataclass(frozen=True)
class Page:
    """One page of a statement query: payload JSON texts, and the cursor of the next page."""

    payloads: list[str]
    more: Cursor | None
    # The newest `stored` among the page's statements (for Last-Modified), None when empty.
    last_modified: int | None = None


@dataclass(frozen=True)
class StoredStatement:
    """A single statement as stored."""

    payload: str
    stored: int
    voided: bool
    is_voiding: bool


class StatementStore:
    """Statements of every tenant, in one table plus its query index."""

    def __init__(self, engine: Engine, activities: ActivityStore | None = None):
        self.engine = engine
        self.activities = activities or ActivityStore(engine)
        self.barrier = WriteBarrier(engine)

    def save(self, tenant_id: int, batch: list[dict], *, authority: dict, authority_key: str,
             parts: dict | None = None, define: bool = False) -> list[str]:
        """Store a validated batch atomically; return the ids in order (Communication §2.1.2).

        With `define`, the Activity definitions of the new statements update the canonical
        ones (the credential holds the `define` scope, Communication §4.2)."""
        options = {"authority": authority, "authority_key": authority_key, "parts": parts,
                   "define": define}
        try:
            with write_transaction(self.engine) as conn:
                self.begin_write(conn, [(tenant_id, batch)])
                return self.save_in(conn, tenant_id, batch, **options)
        except IntegrityError:
            # Another process stored one of these ids meanwhile (PostgreSQL); a second try
            # finds it and compares, as for any repeated statement.
            with write_transaction(self.engine) as conn:
                self.begin_write(conn, [(tenant_id, batch)])
                return self.save_in(conn, tenant_id, batch, **options)

    def begin_write(self, conn, batches: list[tuple[int, list[dict]]]) -> None:
        """Locks a write transaction takes before save_in: the write barrier, then (PostgreSQL)
        locks on the statement ids stored or pointed at, so a voiding statement and its
        target, or two copies of one statement, never pass each other unseen. Barrier first,
        ids in one sorted sweep: no two transactions, nor a barrier reader, can deadlock."""
        self.barrier.enter(conn)
        if conn.dialect.name != "postgresql":
            return
        keys = sorted({key_hash("lock", f"{tenant_id}:{statement_id}")
                       for tenant_id, batch in batches for statement in batch
                       for statement_id in _ids_touched(statement)})
        if keys:
            conn.execute(_LOCK_IDS, {"keys": keys})

    def save_in(self, conn, tenant_id: int, batch: list[dict], *, authority: dict,
                authority_key: str, parts: dict | None = None,
                define: bool = False) -> list[str]:
        """Store a batch within the caller's transaction; raise before writing on a refusal."""
        ids = [str(s.get("id") or uuid.uuid4()) for s in batch]
        lowered = [i.lower() for i in ids]
        if len(set(lowered)) != len(lowered):
            raise BadRequest("the batch holds two statements with the same id")
        # One query finds both the batch's statements stored already and the statements
        # stored earlier that target one of them.
        found = _existing_or_referring(conn, tenant_id, lowered)
        wanted = set(lowered)
        existing = {r.statement_id: orjson.loads(r.payload) for r in found
                    if r.statement_id in wanted}
        fresh = []
        for statement, sid, low in zip(batch, ids, lowered, strict=True):
            if low in existing:
                if not statements_equivalent(existing[low], statement):
                    raise Conflict(f"statement {sid} exists already with other content")
                continue
            fresh.append((statement, sid, low))
        if fresh:
            fresh_ids = {low for _, _, low in fresh}
            referrers = [r for r in found if r.ref_target in fresh_ids]
            self._insert(conn, tenant_id, fresh, authority, authority_key, referrers)
            if define:
                self.activities.merge_in(conn, tenant_id, [s for s, _, _ in fresh])
        if parts:
            _insert_attachments(conn, tenant_id, parts)
        return ids

    def _insert(self, conn, tenant_id, fresh, authority, authority_key, referrers) -> None:
        stored = int(time.time() * 1000)  # inside the write barrier (see begin_write)
        completed = [
            complete_statement(s, stored_ms=stored, authority=authority, new_id=sid)
            for s, sid, _ in fresh
        ]
        rows = [
            {"tenant_id": tenant_id, "statement_id": low, "stored": stored, "voided": False,
             "voiding_target": _lower(voiding_target(c)),
             "ref_target": _lower(statement_ref_target(c)),
             "payload": _payload_text(c)}
            for c, (_, _, low) in zip(completed, fresh, strict=True)
        ]
        result = conn.execute(_INSERT_STATEMENTS, rows)
        seqs = [row.seq for row in result]
        by_id = {low: c for c, (_, _, low) in zip(completed, fresh, strict=True)}
        lookup = _target_lookup(conn, tenant_id, by_id)
        index = []
        for c, seq in zip(completed, seqs, strict=True):
            keys = filter_keys(c, lookup) | {authority_pair(authority_key)}
            index += index_rows(tenant_id, stored, seq, keys)
        conn.execute(_INSERT_INDEX, index)
        voided = _link(conn, tenant_id, rows, lookup, set(by_id), referrers)
        # The progress engine's marks: a voiding statement counts for nobody, its target's
        # evidence is taken back.
        mark_statements(conn, tenant_id,
                        [row["statement_id"] for row in rows if not row["voiding_target"]],
                        sorted(voided))

    def get(self, tenant_id: int, statement_id: str) -> StoredStatement | None:
        """The statement with this id, voided or not; None when absent."""
        query = select(statements.c.payload, statements.c.stored, statements.c.voided,
                       statements.c.voiding_target).where(
            statements.c.tenant_id == tenant_id,
            statements.c.statement_id == statement_id.lower())
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return StoredStatement(row.payload, row.stored, row.voided, row.voiding_target is not None)

    def query(self, tenant_id: int, query: StatementQuery, *, page_size: int,
              cursor: Cursor | None = None, authority_key: str | None = None) -> Page:
        """One page of statements matching `query`, in stored order, voided ones left out."""
        with read_transaction(self.engine) as conn:
            max_seq = cursor.max_seq if cursor else conn.execute(
                select(func.max(statements.c.seq))).scalar() or 0
            sql = _page_sql(tenant_id, query, cursor, max_seq, page_size, authority_key)
            rows = conn.execute(sql).all()
        more = None
        if len(rows) > page_size:
            rows = rows[:page_size]
            last = rows[-1]
            more = Cursor(query=query, stored=last.stored, seq=last.seq, max_seq=max_seq)
        newest = max((row.stored for row in rows), default=None)
        return Page([row.payload for row in rows], more, newest)

    def scan(self, tenant_id: int, chunk: int = 2000, since_ms: int = 0):
        """Every statement of a tenant that is not voided (stored at or after `since_ms`), as
        (statement, stored ms), in the order stored; read in chunks so memory stays flat."""
        for row in self._in_chunks(chunk, statements.c.tenant_id == tenant_id,
                                   statements.c.voided == false(),
                                   statements.c.stored >= since_ms):
            yield orjson.loads(row.payload), row.stored

    def export(self, tenant_id: int, since_ms: int = 0, until_ms: int | None = None,
               chunk: int = 2000):
        """Every statement of a tenant stored in [since_ms, until_ms), voided ones and voiding
        ones too, as the JSON text stored, in the order stored; read in chunks."""
        where = [statements.c.tenant_id == tenant_id, statements.c.stored >= since_ms]
        if until_ms is not None:
            where.append(statements.c.stored < until_ms)
        for row in self._in_chunks(chunk, *where):
            yield row.payload

    def _in_chunks(self, chunk: int, *where):
        """(seq, stored, payload) of the statements matching `where`, in seq order, `chunk`
        rows per query."""
        after = 0
        while True:
            query = (select(statements.c.seq, statements.c.stored, statements.c.payload)
                     .where(statements.c.seq > after, *where)
                     .order_by(statements.c.seq).limit(chunk))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            yield from rows
            after = rows[-1].seq

    def count(self, tenant_id: int, since_ms: int = 0) -> int:
        """How many statements a tenant holds that are not voided (what scan() reads)."""
        query = select(func.count()).select_from(statements).where(
            statements.c.tenant_id == tenant_id, statements.c.voided == false(),
            statements.c.stored >= since_ms)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    def recent_of_agent(self, tenant_id: int, agent_key: str, limit: int) -> list[dict]:
        """The newest `limit` statements whose actor or object is the Agent (voided ones not)."""
        page = self.query(tenant_id, StatementQuery(filters=(("agent", agent_key),)),
                          page_size=limit)
        return [orjson.loads(payload) for payload in page.payloads]

    def attachments(self, tenant_id: int, shas: set[str]) -> dict[str, tuple[str, bytes]]:
        """Attachment content type and data by sha2, for those of `shas` this tenant holds."""
        found = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(shas)):
                query = select(attachments).where(
                    attachments.c.tenant_id == tenant_id, attachments.c.sha2.in_(chunk))
                for row in conn.execute(query):
                    found[row.sha2] = (row.content_type, row.data)
        return found


def _page_sql(tenant_id, query: StatementQuery, cursor, max_seq, page_size, authority_key):
    filters = [(KINDS[kind], key_hash(kind, value)) for kind, value in query.filters]
    if authority_key:
        filters.append(authority_pair(authority_key))
    if filters:
        driver = statement_index.alias("i0")
        kind, key = filters[0]
        conditions = [driver.c.tenant_id == tenant_id, driver.c.kind == kind, driver.c.key == key]
        for kind, key in filters[1:]:
            other = statement_index.alias()
            conditions.append(exists().where(
                other.c.tenant_id == tenant_id, other.c.kind == kind, other.c.key == key,
                other.c.stored == driver.c.stored, other.c.seq == driver.c.seq))
        source = driver.join(statements, statements.c.seq == driver.c.seq)
        stored_col, seq_col = driver.c.stored, driver.c.seq
    else:
        conditions = [statements.c.tenant_id == tenant_id]
        source = statements
        stored_col, seq_col = statements.c.stored, statements.c.seq
    conditions += [statements.c.voided.is_(False), seq_col <= max_seq]
    if query.since_ms is not None:
        conditions.append(stored_col > query.since_ms)
    if query.until_ms is not None:
        conditions.append(stored_col <= query.until_ms)
    position = tuple_(stored_col, seq_col)
    if cursor is not None:
        after = (cursor.stored, cursor.seq)
        conditions.append(position > after if query.ascending else position < after)
    order = (stored_col, seq_col) if query.ascending else (stored_col.desc(), seq_col.desc())
    return (
        select(statements.c.payload, stored_col.label("stored"), seq_col.label("seq"))
        .select_from(source).where(and_(*conditions)).order_by(*order).limit(page_size + 1)
    )


def _payload_text(statement: dict) -> str:
    try:
        return orjson.dumps(statement).decode()
    except orjson.JSONEncodeError:  # orjson writes at most 255 levels of nesting
        raise BadRequest("a statement is nested too deeply to store (more than 250 levels of "
                         "objects and arrays)") from None


def _ids_touched(statement: dict) -> set[str]:
    """The statement's own id and the id its StatementRef points at, lower case."""
    touched = {str(statement["id"]).lower()} if statement.get("id") else set()
    target = statement_ref_target(statement)
    if target:
        touched.add(target)
    return touched


def _payloads_by_id(conn, tenant_id: int, ids: list[str]) -> dict[str, dict]:
    found = {}
    for chunk in _chunks(ids):
        for row in conn.execute(_BY_IDS, {"tenant_id": tenant_id, "ids": chunk}):
            found[row.statement_id] = orjson.loads(row.payload)
    return found


def _target_lookup(conn, tenant_id: int, batch: dict[str, dict]):
    cache = dict(batch)

    def lookup(statement_id: str) -> dict | None:
        low = statement_id.lower()
        if low not in cache:
            cache.update(_payloads_by_id(conn, tenant_id, [low]))
        return cache.get(low)

    return lookup


def _link(conn, tenant_id: int, rows: list[dict], lookup, batch_ids: set[str],
          referrers: list) -> set[str]:
    """Settle what the new statements and those that already target them do to each other;
    return the ids of the statements voided (or to be voided once they arrive).

    Voiding works in either order of arrival, and a statement stored before its
    StatementRef target gains the target's filter values when the target arrives.
    """
    targets = {row["voiding_target"] for row in rows if row["voiding_target"]}
    # Voiding statements that arrived before their target.
    targets |= {r.voiding_target for r in referrers if r.voiding_target}
    seen = set(batch_ids)
    while referrers:
        referrers = [r for r in referrers if r.statement_id not in seen]
        frontier = []
        for row in referrers:
            seen.add(row.statement_id)
            frontier.append(row.statement_id)
            keys = filter_keys(orjson.loads(row.payload), lookup)
            _insert_missing_index(conn, tenant_id, row.stored, row.seq, keys)
        referrers = _referrers(conn, tenant_id, frontier) if frontier else []
    for chunk in _chunks(sorted(targets)):
        # A voiding statement cannot be voided (Data §2.3.2).
        conn.execute(update(statements).where(
            statements.c.tenant_id == tenant_id, statements.c.statement_id.in_(chunk),
            statements.c.voiding_target.is_(None)).values(voided=True))
    return targets


def _existing_or_referring(conn, tenant_id: int, ids: list[str]) -> list:
    """Rows whose id is one of `ids`, or whose StatementRef targets one of them."""
    found = []
    for chunk in _chunks(ids):
        found += conn.execute(_EXISTING_OR_REFERRING,
                              {"tenant_id": tenant_id, "ids": chunk, "refs": chunk}).all()
    return found


def _referrers(conn, tenant_id: int, ids: list[str]) -> list:
    """Stored statements whose object is a StatementRef to one of `ids` (voiding ones too)."""
    found = []
    for chunk in _chunks(ids):
        found += conn.execute(_REFERRERS, {"tenant_id": tenant_id, "ids": chunk}).all()
    return found


def _insert_missing_index(conn, tenant_id, stored, seq, keys) -> None:
    have = set(conn.execute(select(statement_index.c.kind, statement_index.c.key).where(
        statement_index.c.tenant_id == tenant_id, statement_index.c.stored == stored,
        statement_index.c.seq == seq,
        or_(*[and_(statement_index.c.kind == k, statement_index.c.key == h) for k, h in keys]),
    ))) if keys else set()
    missing = keys - have
    if missing:
        conn.execute(insert(statement_index), index_rows(tenant_id, stored, seq, missing))


def _insert_attachments(conn, tenant_id: int, parts: dict) -> None:
    have = set()
    for chunk in _chunks(sorted(parts)):
        have |= set(conn.execute(select(attachments.c.sha2).where(
            attachments.c.tenant_id == tenant_id, attachments.c.sha2.in_(chunk))).scalars())
    rows = [{"tenant_id": tenant_id, "sha2": sha, "content_type": part.content_type,
             "data": part.data} for sha, part in parts.items() if sha not in have]
    if rows:
        conn.execute(insert(attachments), rows)


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _chunks(items: list) -> list[list]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]

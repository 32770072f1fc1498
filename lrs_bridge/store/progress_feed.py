"""The progress feed: the outbox's progress events of a tenant, in commit order, filtered, a
page at a time after a cursor.

Order is (txn, id) (see tables.outbox). A reader first fixes its horizon: on PostgreSQL the
oldest transaction still open, below which every transaction has ended, so that a row it does
not see yet can never come before one it shows; on SQLite the newest id, since there ids are
handed out in commit order. A cursor is the (txn, id) of the last row read, or the horizon
itself once everything before it was read, so that no row is shown twice or never.
"""

from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import (
    Connection,
    Select,
    and_,
    false,
    func,
    or_,
    select,
    text,
    union_all,
)

from lrs_bridge.journey.phases import PhaseMembers
from lrs_bridge.store.tables import outbox

PROGRESS_TYPES = ("step.changed", "path.changed", "skill.changed")
# Up to this many learners, a page is read learner by learner (see _per_learner).
FEW = 50
_O = outbox.c
_COLUMNS = (_O.txn, _O.id, _O.event_id, _O.type, _O.learner_id, _O.created, _O.payload)
_XMIN = text("SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint)")


@dataclass(frozen=True)
class Horizon:
    """How far a reader reads: rows of transactions before `txn` (PostgreSQL), or rows up to
    id `last` (SQLite)."""

    txn: int | None
    last: int | None

    def cursor(self) -> tuple[int, int]:
        """The cursor after every row within the horizon."""
        return (self.txn, 0) if self.txn is not None else (0, self.last or 0)

    def bounds(self):
        return _O.txn < self.txn if self.txn is not None else _O.id <= (self.last or 0)


@dataclass(frozen=True)
class FeedFilter:
    """Which progress events a reader wants; None matches anything."""

    type: str | None = None
    # The learners: their ids, or a query of them (store.learner_list.matching).
    learners: tuple[int, ...] | Select | None = None
    path: str | None = None
    phase: PhaseMembers | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class FeedRow:
    """One progress event as the outbox holds it."""

    position: tuple[int, int]  # (txn, id): where a cursor continues after it
    event_id: str
    type: str
    learner_id: int
    created: int  # ms
    payload: dict


def horizon(conn: Connection) -> Horizon:
    """The horizon of a read starting now, in `conn`'s transaction."""
    if conn.dialect.name == "postgresql":
        return Horizon(conn.execute(_XMIN).scalar(), None)
    return Horizon(None, conn.execute(select(func.max(_O.id))).scalar())


def feed_page(conn: Connection, tenant_id: int, where: FeedFilter, bound: Horizon,
              after: tuple[int, int] | None, limit: int) -> list[FeedRow]:
    """The first `limit` events past cursor `after` within the horizon that `where` matches."""
    if after is None and where.since is not None:
        # Without a cursor, start at the first event recorded since then: the events before
        # it in feed order are mostly older, and a scan from the start would skip them all.
        # Not past the horizon, though: an event of a transaction still open may be older.
        first = _first_since(conn, tenant_id, where.since)
        after = bound.cursor() if first is None else min((first[0], first[1] - 1),
                                                          bound.cursor())
    base = (_O.tenant_id == tenant_id, bound.bounds(), *_conditions(where))
    query = _merged([select(*_COLUMNS).where(*base, *parts).order_by(_O.txn, _O.id).limit(limit)
                     for parts in _ranges(where.learners, after)], limit)
    return [FeedRow((row.txn, row.id), row.event_id, row.type, row.learner_id, row.created,
                    orjson.loads(row.payload)) for row in conn.execute(query)]


def _ranges(learners, after: tuple[int, int] | None) -> list[tuple]:
    """The index ranges a page is read from, each in feed order: past the cursor, rows of
    the cursor's transaction after its id and rows of later transactions (neither SQLite nor
    every plan reads `(txn, id) > (a, b)` as a range), each for one learner when there are a
    few (one range of the (tenant, learner, txn, id) index each, not one scan that skips
    everyone else)."""
    cursor = [()] if after is None else [(_O.txn == after[0], _O.id > after[1]),
                                         (_O.txn > after[0],)]
    people = [(_O.learner_id == lid,) for lid in learners] if _few(learners) else [()]
    return [c + p for c in cursor for p in people]


def _merged(arms: list[Select], limit: int) -> Select:
    """The first `limit` rows of the arms together, in feed order."""
    if len(arms) == 1:
        return arms[0]
    merged = union_all(*(select(arm.subquery()) for arm in arms)).subquery()
    return select(merged).order_by(merged.c.txn, merged.c.id).limit(limit)


def _few(learners) -> bool:
    return isinstance(learners, tuple) and 1 < len(learners) <= FEW


def _first_since(conn: Connection, tenant_id: int, since: datetime) -> tuple[int, int] | None:
    """The feed position of the first event recorded at or after `since` (of any type): two
    aggregates over the index on (tenant, created, txn, id), reading only the events since."""
    recent = and_(_O.tenant_id == tenant_id, _O.created >= _ms(since))
    txn = conn.execute(select(func.min(_O.txn)).where(recent)).scalar()
    if txn is None:
        return None
    return txn, conn.execute(select(func.min(_O.id)).where(recent, _O.txn == txn)).scalar()


def _conditions(where: FeedFilter) -> list:
    found = [_O.type == where.type if where.type else _O.type.in_(PROGRESS_TYPES)]
    chosen = where.learners
    if isinstance(chosen, tuple) and len(chosen) == 1:
        found.append(_O.learner_id == chosen[0])
    elif chosen is not None and not _few(chosen):  # a few: feed_page reads them one by one
        found.append(_O.learner_id.in_(chosen))
    if where.path is not None:
        found.append(_O.path == where.path)
    if where.phase is not None:
        found.append(_of_phase(where.phase))
    if where.since is not None:
        found.append(_O.created >= _ms(where.since))
    return found


def _of_phase(phase: PhaseMembers):
    """Events about a path, step or skill of the phase (journey.phases)."""
    return or_(
        and_(_O.type.in_(("path.changed", "step.changed")), _in(_O.path, phase.paths)),
        and_(_O.type == "step.changed", _in(_O.module, phase.modules)),
        and_(_O.type == "skill.changed", _in(_O.skill, phase.skills)))


def _in(column, values: frozenset[str]):
    return column.in_(sorted(values)) if values else false()


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)

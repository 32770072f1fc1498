"""How far the progress engine has got with a tenant: statements, marks waiting, the outbox
and its deliveries to each connector, learners folded with another mapping version, and
actors the roster does not name."""

from dataclasses import dataclass

from sqlalchemy import Connection, and_, case, func, select

from lrs_bridge.store import outbox
from lrs_bridge.store import progress_queue as queue
from lrs_bridge.store.delivery_figures import ConnectorFigures, connector_figures
from lrs_bridge.store.tables import (
    actors,
    learner_identifiers,
    learners,
    progress_learners,
    statements,
)


@dataclass(frozen=True)
class ProgressStatus:
    """Counts of one tenant, read in one transaction."""

    statements: int  # stored, voiding statements left out (they count for nobody)
    voided: int  # of those, how many are voided
    waiting: dict[int, int]  # marks waiting by kind (progress_queue.STORED, VOIDED, REBUILD)
    oldest_mark: int | None  # ms
    outbox: int
    learners: int
    learners_behind: int | None  # folded with a mapping version other than `version`
    unknown_actors: int  # directory keys of actors seen that no learner has
    unknown_statements: int  # and how many statements they made
    connectors: list[ConnectorFigures]  # how the outbox's deliveries stand, per connector


def progress_status(conn: Connection, tenant_id: int, version: str | None,
                    now_ms: int) -> ProgressStatus:
    """The tenant's counts as at `now_ms`; `version` is the mapping version in use (None:
    none)."""
    s = statements.c
    stored, voided = conn.execute(
        select(func.count(), func.coalesce(func.sum(case((s.voided.is_(True), 1), else_=0)), 0))
        .where(s.tenant_id == tenant_id, s.voiding_target.is_(None))).one()
    marks = queue.backlog_by_kind(conn, tenant_id)
    waiting = {kind: marks.get(kind, (0, None))[0]
               for kind in (queue.STORED, queue.VOIDED, queue.REBUILD)}
    oldest = min((at for _, at in marks.values()), default=None)
    people = conn.execute(select(func.count()).where(learners.c.tenant_id == tenant_id)).scalar()
    behind = None if version is None else conn.execute(
        select(func.count()).where(progress_learners.c.tenant_id == tenant_id,
                                   progress_learners.c.mapping_version != version)).scalar()
    unknown, made = _unknown_actors(conn, tenant_id)
    return ProgressStatus(stored, int(voided), waiting, oldest,
                          outbox.size(conn, tenant_id), people, behind, unknown, made,
                          connector_figures(conn, now_ms, tenant_id=tenant_id))


def _unknown_actors(conn: Connection, tenant_id: int) -> tuple[int, int]:
    known = select(learner_identifiers.c.key).where(and_(
        learner_identifiers.c.tenant_id == actors.c.tenant_id,
        learner_identifiers.c.key == actors.c.learner_key))
    people, made = conn.execute(
        select(func.count(func.distinct(actors.c.learner_key)),
               func.coalesce(func.sum(actors.c.statements), 0))
        .where(actors.c.tenant_id == tenant_id, ~known.exists())).one()
    return people, int(made)  # PostgreSQL sums BIGINT as NUMERIC

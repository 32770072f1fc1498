"""Counts of the journey metrics about learners, each one query over a table the worker
keeps or the directory: paths followed (progress_paths), skill levels (progress_skill_levels),
onboarding and six-month days (progress_journeys), and learners employed or leaving in a
period (learners)."""

from datetime import date, timedelta

from sqlalchemy import Connection, case, func, or_, select

from lrs_bridge.journey.dates import to_ms
from lrs_bridge.journey.metrics.cohorts import OnboardingCount, RetentionCount
from lrs_bridge.journey.metrics.paths import PathCounts, PhaseCompletion
from lrs_bridge.journey.metrics.period import Period
from lrs_bridge.journey.metrics.skills import DecayCounts, LevelCount
from lrs_bridge.journey.skill_pieces import EXPIRED, HELD, NONE
from lrs_bridge.store.metrics_scope import both, count_if, narrowed
from lrs_bridge.store.tables import (
    learners,
    progress_journeys,
    progress_paths,
    progress_skill_levels,
)

_L, _J = learners.c, progress_journeys.c
_PP, _S = progress_paths.c, progress_skill_levels.c


def path_counts(conn: Connection, tenant_id: int, period: Period, phase: str | None,
                found) -> list[PathCounts]:
    """Per path: learners whose anchor date has come by the end of the period, of them those
    who completed it by then and within the period, and those past its last due date."""
    done = both(_PP.completed.is_not(None), _PP.completed < period.end_ms)
    query = select(_PP.path, func.count(), count_if(done),
                   count_if(both(done, _PP.completed >= period.start_ms)),
                   count_if(both(_PP.due < period.end, or_(_PP.completed.is_(None),
                                                           _PP.completed >= period.end_ms)))
                   ).where(_PP.tenant_id == tenant_id, _PP.anchor <= period.end)
    if phase is not None:
        query = query.where(_PP.phase == phase)
    query = narrowed(query, _PP.learner_id, found).group_by(_PP.path)
    return [PathCounts(r[0], int(r[1]), int(r[2]), int(r[3]), int(r[4]))
            for r in conn.execute(query)]


def phase_counts(conn: Connection, tenant_id: int, period: Period, phase: str | None,
                 found) -> list[PhaseCompletion]:
    """Per phase: learners following one of its paths whose anchor date has come by the end
    of the period, and of them those who had completed all of them by then."""
    done = case((both(_PP.completed.is_not(None), _PP.completed < period.end_ms), 1), else_=0)
    query = select(_PP.phase, _PP.learner_id, func.min(done).label("done")).where(
        _PP.tenant_id == tenant_id, _PP.anchor <= period.end)
    if phase is not None:
        query = query.where(_PP.phase == phase)
    inner = narrowed(query, _PP.learner_id, found).group_by(_PP.phase,
                                                            _PP.learner_id).subquery()
    totals = select(inner.c.phase, func.count(), func.sum(inner.c.done)).group_by(inner.c.phase)
    return [PhaseCompletion(r[0], int(r[1]), int(r[2] or 0)) for r in conn.execute(totals)]


def _at(query, moment: int):
    """Rows of the skill piece covering `moment` (ms)."""
    return query.where(_S.since <= moment, or_(_S.until.is_(None), _S.until > moment))


def level_counts(conn: Connection, tenant_id: int, period: Period, role: str | None,
                 skills: list[str] | None, found) -> list[LevelCount]:
    """Learners at each level of each skill their role needs, as at the end of the period."""
    # Only columns of the covering index, in its order: one pass, no sort, no table reads
    # (the target is the mapping's, read by the caller).
    query = _at(select(_S.skill, _S.role, _S.level, func.count()).where(
        _S.tenant_id == tenant_id), to_ms(period.as_at))
    if role is not None:
        query = query.where(_S.role == role)
    if skills is not None:
        query = query.where(_S.skill.in_(skills))
    query = narrowed(query, _S.learner_id, found).group_by(_S.skill, _S.role, _S.level)
    return [LevelCount(r[1], r[0], r[2], int(r[3])) for r in conn.execute(query)]


def decay_counts(conn: Connection, tenant_id: int, period: Period, within_days: int,
                 role: str | None, skills: list[str], found) -> list[DecayCounts]:
    """Per skill of `skills`: learners holding it, losing their level within `within_days`
    after the period, with all evidence expired, and without any, at the end of the period."""
    moment = to_ms(period.as_at)
    limit = to_ms(period.as_at + timedelta(days=within_days))
    query = _at(select(_S.skill, _S.state, func.count(), count_if(both(
        _S.state == HELD, _S.drops, _S.until <= limit))).where(
        _S.tenant_id == tenant_id, _S.skill.in_(skills)), moment)
    if role is not None:
        query = query.where(_S.role == role)
    query = narrowed(query, _S.learner_id, found).group_by(_S.skill, _S.state)
    found_counts: dict[str, dict] = {}
    for skill, state, count, expiring in conn.execute(query):
        mine = found_counts.setdefault(skill, {"held": 0, "expiring": 0, "expired": 0,
                                               "never": 0})
        name = {HELD: "held", EXPIRED: "expired", NONE: "never"}[state]
        mine[name] += int(count)
        mine["expiring"] += int(expiring)
    return [DecayCounts(skill, **counts) for skill, counts in found_counts.items()]


def onboarding_counts(conn: Connection, tenant_id: int, period: Period,
                      found) -> list[OnboardingCount]:
    """The learners who started in the period, by whether they follow an onboarding path
    and the days they took to complete it (None: not by the end of the period)."""
    days = case((both(_J.onboarded.is_not(None), _J.onboarded < period.end_ms),
                 _J.onboarding_days))
    query = select(_J.onboarding, days, func.count()).where(
        _J.tenant_id == tenant_id, _J.started >= period.start, _J.started <= period.end)
    query = narrowed(query, _J.learner_id, found).group_by(_J.onboarding, days)
    return [OnboardingCount(bool(r[0]), r[1], int(r[2])) for r in conn.execute(query)]


def retention_counts(conn: Connection, tenant_id: int, period: Period, today: date,
                     found) -> list[RetentionCount]:
    """The learners whose six-month day falls in the period and not after `today`, by
    whether they had completed onboarding by then and were still employed."""
    query = select(_J.retention_onboarded, _J.retained, func.count()).where(
        _J.tenant_id == tenant_id, _J.retention_day >= period.start,
        _J.retention_day <= min(period.end, today))
    query = narrowed(query, _J.learner_id, found).group_by(_J.retention_onboarded, _J.retained)
    return [RetentionCount(bool(r[0]), bool(r[1]), int(r[2])) for r in conn.execute(query)]


def learner_counts(conn: Connection, tenant_id: int, period: Period,
                   found) -> tuple[int, int]:
    """Learners employed on some day of the period, and those whose leave date falls in it."""
    employed = both(_L.start_date <= period.end,
                    or_(_L.leave_date.is_(None), _L.leave_date >= period.start))
    leaving = both(_L.leave_date >= period.start, _L.leave_date <= period.end)
    query = select(count_if(employed), count_if(leaving)).where(_L.tenant_id == tenant_id)
    row = conn.execute(narrowed(query, _L.id, found)).one()
    return int(row[0]), int(row[1])

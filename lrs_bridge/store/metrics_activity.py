"""Counts of the journey metrics about activity, each one GROUP BY over one table the worker
keeps: participation (progress_phase_months), microlearning (progress_short_days) and exit
feedback (progress_responses)."""

from sqlalchemy import BigInteger, Connection, Integer, case, func, literal, select

from lrs_bridge.journey.dates import BLOCK, day_number
from lrs_bridge.journey.metrics.engagement import SCORE_BUCKETS, SurveyCounts
from lrs_bridge.journey.metrics.participation import PhaseGroup, PhaseTotals
from lrs_bridge.journey.metrics.period import Period, blocks, month_mask
from lrs_bridge.store.metrics_scope import both, count_if, narrowed
from lrs_bridge.store.tables import progress_phase_months, progress_responses, progress_short_days

_P, _D, _R = progress_phase_months.c, progress_short_days.c, progress_responses.c


def _bits(value: int):
    return literal(value, BigInteger)


def phase_groups(conn: Connection, tenant_id: int, period: Period, phase: str | None,
                 found) -> tuple[list[PhaseGroup], dict[tuple[str, int], int]]:
    """The learners of each phase and block of the period, grouped by audience mask; and
    per phase and month, the learners who took part."""
    groups, taking = [], {}
    for block in blocks(period):
        mask = _bits(month_mask(period, block))
        both_masks = _P.audience.op("&")(_P.active)
        query = select(_P.phase, _P.audience, func.count(),
                       count_if(both_masks.op("&")(mask) != 0),
                       count_if(_P.active.op("&")(mask) != 0)).where(
            _P.tenant_id == tenant_id, _P.block == block)
        if phase is not None:
            query = query.where(_P.phase == phase)
        query = narrowed(query, _P.learner_id, found).group_by(_P.phase, _P.audience)
        groups += [PhaseGroup(r[0], block, r[1], r[2], r[3], r[4]) for r in conn.execute(query)]
        # A month's count is a sum over the rows of the learners who took part in the period
        # at all: the others (most, in a short period) add nothing and are skipped.
        months = [m for m in period.months if m // BLOCK == block]
        query = select(_P.phase, *[func.sum(both_masks.op(">>")(literal(m % BLOCK, Integer))
                                            .op("&")(_bits(1))) for m in months]).where(
            _P.tenant_id == tenant_id, _P.block == block, both_masks.op("&")(mask) != 0)
        if phase is not None:
            query = query.where(_P.phase == phase)
        for row in conn.execute(narrowed(query, _P.learner_id, found).group_by(_P.phase)):
            taking.update(((row[0], m), int(n)) for m, n in zip(months, row[1:], strict=True)
                          if n)
    return groups, taking


def phase_totals(conn: Connection, tenant_id: int, period: Period, phase: str | None,
                 found) -> dict[str, PhaseTotals]:
    """Learners in each phase's audience, taking part and active over a period that spans
    blocks: a learner with rows in two blocks counts once."""
    mask = case(*[(_P.block == block, _bits(month_mask(period, block)))
                  for block in blocks(period)], else_=_bits(0))
    per_learner = select(
        _P.phase, _P.learner_id,
        func.max(case((_P.audience.op("&")(mask) != 0, 1), else_=0)).label("audience"),
        func.max(case((_P.audience.op("&")(_P.active).op("&")(mask) != 0, 1),
                      else_=0)).label("taking"),
        func.max(case((_P.active.op("&")(mask) != 0, 1), else_=0)).label("active"),
    ).where(_P.tenant_id == tenant_id, _P.block.in_(blocks(period)))
    if phase is not None:
        per_learner = per_learner.where(_P.phase == phase)
    inner = narrowed(per_learner, _P.learner_id, found).group_by(_P.phase,
                                                                 _P.learner_id).subquery()
    query = select(inner.c.phase, func.sum(inner.c.audience), func.sum(inner.c.taking),
                   func.sum(inner.c.active)).group_by(inner.c.phase)
    return {row[0]: PhaseTotals(int(row[1]), int(row[2]), int(row[3]))
            for row in conn.execute(query)}


def short_days(conn: Connection, tenant_id: int, period: Period, modules: list[str],
               found) -> tuple[dict[int, int], int]:
    """Completions of `modules` per day of the period (day number -> completions), and the
    learners who completed any in the whole period."""
    where = (_D.tenant_id == tenant_id, _D.day >= day_number(period.start),
             _D.day <= day_number(period.end), _D.module.in_(modules))
    # By day, the order of the index, rather than by week, which would need a sort.
    query = narrowed(select(_D.day, func.sum(_D.completions)).where(*where),
                     _D.learner_id, found).group_by(_D.day)
    days = {int(r[0]): int(r[1]) for r in conn.execute(query)}
    active = narrowed(select(func.count(func.distinct(_D.learner_id))).where(*where),
                      _D.learner_id, found)
    return days, conn.execute(active).scalar() or 0


def survey_counts(conn: Connection, tenant_id: int, period: Period, modules: list[str],
                  found) -> tuple[list[SurveyCounts], int]:
    """Per survey of `modules`: statements in the period, respondents, scores; and the
    learners who answered any of them."""
    where = (_R.tenant_id == tenant_id, _R.module.in_(modules), _R.at >= period.start_ms,
             _R.at < period.end_ms)
    # n / SCORE_BUCKETS, not n * 0.2: 3 * 0.2 is a hair above 0.6, which would put a score
    # of 0.6 in the bucket below.
    bounds = [n / SCORE_BUCKETS for n in range(SCORE_BUCKETS + 1)]
    buckets = [count_if(both(_R.score >= bounds[n], _R.score < bounds[n + 1]))
               for n in range(SCORE_BUCKETS - 1)]
    buckets.append(count_if(_R.score >= bounds[-2]))
    query = narrowed(select(_R.module, func.count(), func.count(func.distinct(_R.learner_id)),
                            func.count(_R.score), func.coalesce(func.sum(_R.score), 0.0),
                            count_if(_R.score < 0), *buckets).where(*where),
                     _R.learner_id, found).group_by(_R.module)
    counts = [SurveyCounts(r[0], int(r[1]), int(r[2]), int(r[3]), float(r[4]),
                           tuple(int(n) for n in r[6:]), int(r[5])) for r in conn.execute(query)]
    if len(modules) < 2:  # one survey's respondents are all of them
        return counts, sum(c.respondents for c in counts)
    respondents = narrowed(select(func.count(func.distinct(_R.learner_id))).where(*where),
                           _R.learner_id, found)
    return counts, conn.execute(respondents).scalar() or 0

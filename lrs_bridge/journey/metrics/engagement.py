"""Microlearning engagement (short modules done per learner per week) and leavers' feedback
(statements on exit surveys: how many, by whom, their scores)."""

from dataclasses import dataclass

from lrs_bridge.journey.dates import day_number, week_number, week_start
from lrs_bridge.journey.metrics.period import Period, ratio

SCORE_BUCKETS = 5  # of 0.2 each, from 0 to 1 (1 falls in the last)


@dataclass(frozen=True)
class WeekCount:
    """Completions of short modules in one week (journey.dates.week_number) of the period."""

    week: int
    completions: int


@dataclass(frozen=True)
class Microlearning:
    modules: tuple[str, ...]
    learners: int  # employed at some time in the period
    active: int  # completed a short module in the period
    weeks: tuple[WeekCount, ...]
    period: Period

    def as_json(self) -> dict:
        completions = sum(w.completions for w in self.weeks)
        weeks = self.period.days / 7
        return {"short_modules": list(self.modules), "learners": self.learners,
                "active_learners": self.active, "completions": completions,
                "weeks": round(weeks, 4),
                "per_learner_per_week": ratio(completions, self.learners * weeks),
                "by_week": [self._week(w) for w in self.weeks]}

    def _week(self, count: WeekCount) -> dict:
        monday = week_start(count.week)
        first, last = max(day_number(monday), day_number(self.period.start)), min(
            day_number(monday) + 6, day_number(self.period.end))
        return {"week": monday.isoformat(), "days": last - first + 1,
                "completions": count.completions,
                "per_learner": ratio(count.completions, self.learners)}


def microlearning(modules: list[str], learners: int, active: int, days: dict[int, int],
                  period: Period) -> Microlearning:
    """Every week the period touches, in order, with the completions of its days in the
    period (`days`: day number -> completions)."""
    by_week: dict[int, int] = {}
    for day, completions in days.items():
        by_week[week_number(day)] = by_week.get(week_number(day), 0) + completions
    first, last = (week_number(day_number(d)) for d in (period.start, period.end))
    return Microlearning(tuple(modules), learners, active,
                         tuple(WeekCount(n, by_week.get(n, 0))
                               for n in range(first, last + 1)), period)


@dataclass(frozen=True)
class SurveyCounts:
    """What the store counts of one survey's statements in the period."""

    module: str
    responses: int = 0
    respondents: int = 0
    scored: int = 0
    score_total: float = 0.0
    buckets: tuple[int, ...] = (0,) * SCORE_BUCKETS
    below_zero: int = 0


@dataclass(frozen=True)
class ExitFeedback:
    modules: tuple[SurveyCounts, ...]
    leavers: int  # learners whose leave date falls in the period
    respondents: int  # learners with a statement on any exit survey

    def as_json(self) -> dict:
        scored = sum(m.scored for m in self.modules)
        total = sum(m.score_total for m in self.modules)
        buckets = [sum(m.buckets[n] for m in self.modules) for n in range(SCORE_BUCKETS)]
        return {"modules": [m.module for m in self.modules], "leavers": self.leavers,
                "respondents": self.respondents,
                "response_rate": ratio(self.respondents, self.leavers),
                "responses": sum(m.responses for m in self.modules), "scored": scored,
                "mean_score": ratio(total, scored),
                "scores": [{"from": n / SCORE_BUCKETS, "to": (n + 1) / SCORE_BUCKETS,
                            "responses": count} for n, count in enumerate(buckets)],
                "below_zero": sum(m.below_zero for m in self.modules),
                "by_module": [{"module": m.module, "responses": m.responses,
                               "respondents": m.respondents, "scored": m.scored,
                               "mean_score": ratio(m.score_total, m.scored)}
                              for m in self.modules]}


def exit_feedback(modules: list[str], counts: list[SurveyCounts], leavers: int,
                  respondents: int) -> ExitFeedback:
    """Each exit survey of `modules`, in order, with its counts (none: zeros)."""
    by_module = {c.module: c for c in counts}
    return ExitFeedback(tuple(by_module.get(m, SurveyCounts(m)) for m in modules), leavers,
                        respondents)

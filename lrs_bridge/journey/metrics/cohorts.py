"""Time to productivity and retention after six months, from the learners' start and leave
dates (roster) and when they completed their onboarding.

Onboarding is the paths of the onboarding phase (journey.markers) a learner followed on their
start date; it is completed when all of them are.
"""

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from lrs_bridge.journey.dates import add_months, utc_day
from lrs_bridge.journey.metrics.period import Period, ratio

WEEKS = 13  # the last bucket holds week 13 and later
RETENTION_MONTHS = 6


@dataclass(frozen=True)
class Starter:
    """A learner's start and leave dates and onboarding (`follows`: an onboarding path from
    the start date; `onboarded`: when all of those were completed)."""

    start: date
    leave: date | None
    follows: bool
    onboarded: datetime | None


@dataclass(frozen=True)
class TimeToProductivity:
    phase: str | None
    started: int
    without_path: int
    days: tuple[int, ...]  # start to onboarding completed, of those who completed

    def as_json(self) -> dict:
        buckets = [0] * WEEKS
        for days in self.days:
            buckets[min(max(days, 0) // 7, WEEKS - 1)] += 1
        following = self.started - self.without_path
        return {"onboarding_phase": self.phase, "started": self.started,
                "without_onboarding_path": self.without_path, "completed": len(self.days),
                "not_completed": following - len(self.days),
                "median_days": median(self.days) if self.days else None,
                "weeks": [{"week": n + 1, "learners": count} | (
                    {"or_later": True} if n == WEEKS - 1 else {})
                    for n, count in enumerate(buckets)]}


def time_to_productivity(phase: str | None, starters: list[Starter],
                         period: Period) -> TimeToProductivity:
    """Of the learners who started in the period: how many days each took from their start
    date to completing onboarding, if they did by the end of the period."""
    cohort = [s for s in starters if period.start <= s.start <= period.end]
    done = sorted((utc_day(s.onboarded) - s.start).days for s in cohort
                  if s.follows and s.onboarded is not None and s.onboarded <= period.as_at)
    return TimeToProductivity(phase, len(cohort), sum(not s.follows for s in cohort),
                              tuple(done))


@dataclass(frozen=True)
class RetentionGroup:
    learners: int = 0
    retained: int = 0

    def as_json(self) -> dict:
        return {"learners": self.learners, "retained": self.retained,
                "rate": ratio(self.retained, self.learners)}


@dataclass(frozen=True)
class Retention:
    all: RetentionGroup
    onboarded: RetentionGroup
    not_onboarded: RetentionGroup

    def as_json(self) -> dict:
        return {"months": RETENTION_MONTHS, **self.all.as_json(),
                "onboarding_completed": self.onboarded.as_json(),
                "onboarding_not_completed": self.not_onboarded.as_json()}


def six_months_after(start: date) -> date:
    return add_months(start, RETENTION_MONTHS)


def retention(starters: list[Starter], period: Period, today: date) -> Retention:
    """Of the learners whose six-month day (start date plus six calendar months) falls in the
    period and is not after `today`: the share still employed on it (no leave date before
    it), for all of them, for those who had completed onboarding by then and the others."""
    groups = {True: [0, 0], False: [0, 0]}
    for s in starters:
        mark = six_months_after(s.start)
        if not period.start <= mark <= min(period.end, today):
            continue
        done = s.onboarded is not None and utc_day(s.onboarded) <= mark
        groups[done][0] += 1
        groups[done][1] += s.leave is None or s.leave >= mark
    yes, no = RetentionGroup(*groups[True]), RetentionGroup(*groups[False])
    return Retention(RetentionGroup(yes.learners + no.learners, yes.retained + no.retained),
                     yes, no)

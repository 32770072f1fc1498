"""Time to productivity and retention after six months, from the learners' start dates,
their onboarding and their six-month day (journey.learner_facts.journey_row).

Onboarding is the paths of the onboarding phase (journey.markers) a learner followed on their
start date; it is completed when all of them are.
"""

from dataclasses import dataclass
from statistics import median

from lrs_bridge.journey.learner_facts import RETENTION_MONTHS
from lrs_bridge.journey.metrics.period import ratio

WEEKS = 13  # the last bucket holds week 13 and later


@dataclass(frozen=True)
class OnboardingCount:
    """Learners who started in the period: following an onboarding path or not, and the days
    from their start to completing it (None: not by the end of the period)."""

    follows: bool
    days: int | None
    learners: int


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


def time_to_productivity(phase: str | None,
                         counts: list[OnboardingCount]) -> TimeToProductivity:
    """How many days those who started in the period took to complete onboarding."""
    days = sorted(c.days for c in counts if c.follows and c.days is not None
                  for _ in range(c.learners))
    return TimeToProductivity(phase, sum(c.learners for c in counts),
                              sum(c.learners for c in counts if not c.follows), tuple(days))


@dataclass(frozen=True)
class RetentionCount:
    """Learners whose six-month day falls in the period: onboarded by then or not, still
    employed then or not."""

    onboarded: bool
    retained: bool
    learners: int


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


def retention(counts: list[RetentionCount]) -> Retention:
    """The share still employed on their six-month day, of all, of those who had completed
    onboarding by then and of the others."""
    def group(which) -> RetentionGroup:
        mine = [c for c in counts if which(c)]
        return RetentionGroup(sum(c.learners for c in mine),
                              sum(c.learners for c in mine if c.retained))

    return Retention(group(lambda c: True), group(lambda c: c.onboarded),
                     group(lambda c: not c.onboarded))

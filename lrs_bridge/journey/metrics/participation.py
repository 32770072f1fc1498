"""Participation per phase: of the learners in a phase's audience during the period, how many
were active in the phase in a month they were in its audience; and the same month by month.

A learner is in a phase's audience in a month when one of their windows of the phase's paths
(journey.audience) has a day in it. Months are calendar months: the period counts every
month it touches.
"""

from dataclasses import dataclass

from lrs_bridge.journey.dates import BLOCK, month_label
from lrs_bridge.journey.metrics.period import Period, month_mask, ratio


@dataclass(frozen=True)
class PhaseGroup:
    """The learners of one phase and block that share one audience mask (as the store
    aggregates them): how many, and how many took part and were active in the period."""

    phase: str
    block: int
    audience: int
    learners: int
    participants: int
    active: int


@dataclass(frozen=True)
class PhaseTotals:
    """Learners in the audience, taking part, and active at all, over the whole period."""

    audience: int = 0
    participants: int = 0
    active: int = 0


@dataclass(frozen=True)
class MonthParticipation:
    month: int  # month_index
    audience: int
    participants: int

    def as_json(self) -> dict:
        return {"month": month_label(self.month), "audience": self.audience,
                "participants": self.participants,
                "rate": ratio(self.participants, self.audience)}


@dataclass(frozen=True)
class PhaseParticipation:
    phase: str
    totals: PhaseTotals
    months: tuple[MonthParticipation, ...]

    def as_json(self) -> dict:
        t = self.totals
        return {"phase": self.phase, "audience": t.audience, "participants": t.participants,
                "rate": ratio(t.participants, t.audience), "active": t.active,
                "months": [m.as_json() for m in self.months]}


def totals_of(groups: list[PhaseGroup], period: Period) -> dict[str, PhaseTotals]:
    """The totals of each phase when the period lies in one block (a learner has one group
    there); over several blocks the store counts learners itself."""
    found: dict[str, PhaseTotals] = {}
    for g in groups:
        t = found.get(g.phase, PhaseTotals())
        in_audience = g.learners if g.audience & month_mask(period, g.block) else 0
        found[g.phase] = PhaseTotals(t.audience + in_audience, t.participants + g.participants,
                                     t.active + g.active)
    return found


def participation(phases: list[str], groups: list[PhaseGroup], taking: dict[tuple[str, int], int],
                  period: Period,
                  totals: dict[str, PhaseTotals] | None = None) -> list[PhaseParticipation]:
    """Each of `phases` with its totals and months; `taking`: (phase, month_index) ->
    learners who took part that month; `totals` when the store counted them (a period over
    several blocks), else they are added up from `groups`."""
    totals = totals if totals is not None else totals_of(groups, period)
    found = []
    for phase in phases:
        mine = [g for g in groups if g.phase == phase]
        months = []
        for month in period.months:
            bit, block = 1 << month % BLOCK, month // BLOCK
            audience = sum(g.learners for g in mine if g.block == block and g.audience & bit)
            months.append(MonthParticipation(month, audience, taking.get((phase, month), 0)))
        found.append(PhaseParticipation(phase, totals.get(phase, PhaseTotals()), tuple(months)))
    return found

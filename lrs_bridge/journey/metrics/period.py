"""The period and filters every journey metric is read for."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lrs_bridge.journey.dates import BLOCK, add_months, day_start, months, to_ms

METRICS = ("participation", "paths", "skill_gaps", "skill_decay", "time_to_productivity",
           "retention", "microlearning", "exit_feedback", "coverage")


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included; "as at the period" is the end of `end`."""

    start: date
    end: date

    @property
    def months(self) -> list[int]:
        """The calendar months the period touches (journey.dates.month_index)."""
        return months(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_ms(self) -> int:
        return to_ms(day_start(self.start))

    @property
    def end_ms(self) -> int:
        """The first millisecond after the period."""
        return to_ms(day_start(self.end + timedelta(days=1)))

    @property
    def as_at(self) -> datetime:
        """The last moment of the period."""
        return day_start(self.end + timedelta(days=1)) - timedelta(milliseconds=1)

    def as_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def default_period(end: date) -> Period:
    """Twelve calendar months: from the first day of the month eleven months before `end`."""
    first = add_months(end.replace(day=1), -11)
    return Period(first, end)


@dataclass(frozen=True)
class Filters:
    """What the learners counted must be; None matches anything. `role` is the role the
    roster gives them (their latest), `team` their team, `manager` their manager's e-mail
    address (any case: a manager's dashboard sees only their own team), `phase` narrows every
    metric to one phase."""

    phase: str | None = None
    role: str | None = None
    team: str | None = None
    manager: str | None = None

    def as_json(self) -> dict:
        found = {"phase": self.phase, "role": self.role, "team": self.team}
        return found | ({"manager": self.manager} if self.manager is not None else {})


def month_mask(period: Period, block: int) -> int:
    """The bits of the period's months in `block` (journey.dates.masks)."""
    mask = 0
    for month in period.months:
        if month // BLOCK == block:
            mask |= 1 << month % BLOCK
    return mask


def blocks(period: Period) -> list[int]:
    """The blocks of 60 months the period's months fall in."""
    return sorted({month // BLOCK for month in period.months})


def ratio(part: int | float, whole: int | float) -> float | None:
    """part / whole rounded to four places; None when `whole` is 0."""
    return round(part / whole, 4) if whole else None


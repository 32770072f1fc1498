"""Calendar arithmetic of the journey metrics: months as numbers, blocks of 60 months held as
one 64-bit mask, days as numbers, weeks from Monday, and adding calendar months."""

import calendar
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

# A learner's months of one phase are kept as a bit mask per block of this many months, so
# that a database can count months with integer arithmetic (60 bits fit a signed BIGINT).
BLOCK = 60
_EPOCH = date(1970, 1, 1)  # a Thursday


def month_index(day: date) -> int:
    """The month `day` falls in, as a number: year * 12 + month - 1."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    """The first day of month number `index`."""
    return date(index // 12, index % 12 + 1, 1)


def month_label(index: int) -> str:
    """Month number `index` as ISO 8601 year and month, e.g. 2026-03."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months(first: date, last: date) -> list[int]:
    """The month numbers from the month of `first` to that of `last`, both included."""
    return list(range(month_index(first), month_index(last) + 1))


def block_of(index: int) -> int:
    """The block of 60 months that month number `index` belongs to."""
    return index // BLOCK


def masks(indexes: Iterable[int]) -> dict[int, int]:
    """Month numbers as one bit mask per block: bit `index % BLOCK` of block `index // BLOCK`."""
    found: dict[int, int] = {}
    for index in indexes:
        found[index // BLOCK] = found.get(index // BLOCK, 0) | (1 << (index % BLOCK))
    return found


def unmask(block: int, mask: int) -> list[int]:
    """The month numbers a block's mask holds, oldest first."""
    return [block * BLOCK + bit for bit in range(BLOCK) if mask >> bit & 1]


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - _EPOCH).days


def day_of(number: int) -> date:
    """The date of day number `number`."""
    return _EPOCH + timedelta(days=number)


def week_number(number: int) -> int:
    """The week (Monday to Sunday) of day number `number`, counted from 1969-12-29."""
    return (number + 3) // 7


def week_start(week: int) -> date:
    """The Monday that begins week `week`."""
    return day_of(week * 7 - 3)


@lru_cache(maxsize=16384)
def plus(day: date, due) -> date:
    """`day` plus a step's due (a timedelta, or an isodate Duration of months or years):
    the date arithmetic every due date of every learner repeats, kept for the same pairs."""
    return day + due


def add_months(day: date, count: int) -> date:
    """`day` plus `count` calendar months; a day the month lacks becomes its last day."""
    index = month_index(day) + count
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def utc_day(moment: datetime) -> date:
    """The UTC date of an aware moment."""
    return moment.astimezone(UTC).date()


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def to_ms(moment: datetime) -> int:
    """An aware moment as milliseconds since the epoch."""
    return int(moment.timestamp() * 1000)

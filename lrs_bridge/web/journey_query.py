"""The period and team of a journey-metrics request, as GET /api/v1/metrics/journey takes them:
each refusal a BadRequest naming the parameter, in the API's words. The dashboard's metric pages
(dashboard/metric_filters.py) check the same bounds and refuse in the reader's language."""

import re
from datetime import date

from lrs_bridge.journey.metrics.period import Period, default_period
from lrs_bridge.xapi.errors import BadRequest

FIRST, LAST = date(1900, 1, 1), date(9998, 12, 31)
MOST_DAYS = 5 * 366  # a longer period would mean a query with hundreds of months
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def team_of(value: str | None) -> str | None:
    """The team asked for (None: any)."""
    # PostgreSQL cannot even compare a text holding NUL; no team name has control characters.
    if value is not None and any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise BadRequest("team: must not hold control characters")
    return value


def period_of(start_text: str | None, end_text: str | None, today: date) -> Period:
    """The period from `from` to `to` (default: today and twelve calendar months before)."""
    given = date_of("to", end_text)
    end = given or today
    start = date_of("from", start_text) or default_period(end).start
    # Name the parameter the client gave: `from` when `to` is today by default.
    if end < start and given is None:
        raise BadRequest(f"from: {start.isoformat()} is after today ({end.isoformat()}), the "
                         "end of the period when `to` is left out")
    if end < start:
        raise BadRequest(f"to: {end.isoformat()} is before from ({start.isoformat()})")
    if (end - start).days >= MOST_DAYS:
        raise BadRequest(f"{'to' if given else 'from'}: the period may span at most five "
                         "years")
    return Period(start, end)


def date_of(name: str, value: str | None) -> date | None:
    """Parameter `name` as a day (YYYY-MM-DD), or None when absent."""
    if value is None:
        return None
    found = iso_day(value)
    if found is None:
        raise BadRequest(f"{name}: {value!r} is not a date (YYYY-MM-DD, e.g. 2026-03-01)")
    if not FIRST <= found <= LAST:
        raise BadRequest(f"{name}: must lie between {FIRST} and {LAST}")
    return found


def iso_day(value: str) -> date | None:
    """`value` as a date when it is one written YYYY-MM-DD, else None."""
    try:
        return date.fromisoformat(value) if _DATE.match(value) else None
    except ValueError:
        return None

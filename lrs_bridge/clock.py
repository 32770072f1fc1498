"""The one clock every rule of the progress engine reads: the real time, or a time set by a
test or by `--now`."""

from datetime import UTC, date, datetime


class Clock:
    """Tells the time; a clock made with `fixed` always tells that time."""

    def __init__(self, fixed: datetime | None = None):
        if fixed is not None and fixed.tzinfo is None:
            raise ValueError("a fixed time needs a time zone")
        self.fixed = fixed

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        return self.fixed.astimezone(UTC) if self.fixed is not None else datetime.now(UTC)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date (midnight) or date and time, aware; without a zone it is UTC.

    ValueError when `text` is neither."""
    moment = datetime.fromisoformat(text) if "T" in text or " " in text \
        else datetime.combine(date.fromisoformat(text), datetime.min.time())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

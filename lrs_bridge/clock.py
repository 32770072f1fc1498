"""The one clock every rule of the progress engine reads: the real time, or a time set by a
test or by `--now`."""

from datetime import UTC, datetime


class Clock:
    """Tells the time; a clock made with `fixed` always tells that time."""

    def __init__(self, fixed: datetime | None = None):
        if fixed is not None and fixed.tzinfo is None:
            raise ValueError("a fixed time needs a time zone")
        self.fixed = fixed

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        return self.fixed.astimezone(UTC) if self.fixed is not None else datetime.now(UTC)

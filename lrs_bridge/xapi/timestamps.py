"""ISO 8601 timestamps as the LRS stores and compares them (xAPI Data §4.5)."""

import re
from datetime import UTC, datetime, timedelta

# Full date and time with an explicit offset or Z; fractions of any length (§4.5 asks for
# RFC 3339-like combined date and time). A missing offset is accepted and read as UTC; an
# offset of hours alone (+01) is ISO 8601 too. ASCII digits only.
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?\Z"
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_timestamp(text: str) -> datetime:
    """Parse an xAPI timestamp into an aware UTC datetime; ValueError when malformed."""
    match = _TIMESTAMP.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}")
    offset = match.group(8)
    if offset in ("-00:00", "-0000", "-00"):
        # RFC 3339 §4.3: -00:00 means "offset unknown"; xAPI §4.5 forbids it.
        raise ValueError("offset -00:00 is not allowed")
    fraction = (match.group(7) or "")[:7]  # datetime keeps microseconds only
    base = text[: match.start(7)] if match.group(7) else text[: match.end(6)]
    normalised = base + fraction + _iso_offset(offset)
    try:
        return datetime.fromisoformat(normalised).astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is after year 9999 in UTC
        raise ValueError(f"{text!r} is outside the years 1-9999 in UTC") from None


def _iso_offset(offset: str | None) -> str:
    if not offset or offset == "Z":
        return "+00:00"
    if len(offset) == 3:  # +hh
        return offset + ":00"
    if ":" not in offset:
        return offset[:3] + ":" + offset[3:]
    return offset


def to_millis(moment: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime (sub-millisecond digits dropped)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def format_millis(millis: int) -> str:
    """Format epoch milliseconds as the LRS's canonical timestamp, e.g. 2026-01-02T03:04:05.678Z."""
    moment = datetime.fromtimestamp(millis / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def to_utc_text(text: str) -> str:
    """A valid timestamp rewritten in UTC with a Z, its fraction of a second kept digit for
    digit (offsets are whole minutes, so only the date, hours and minutes move)."""
    match = _TIMESTAMP.match(text)
    if not match:
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}")
    moment = parse_timestamp(text[: match.end(6)] + (match.group(8) or ""))
    # Formatted by hand: strftime's %Y leaves years before 1000 without their zeros.
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
            f"{moment.minute:02d}:{moment.second:02d}{match.group(7) or ''}Z")


def with_utc_timestamps(statement: dict) -> dict:
    """A copy of a valid statement whose timestamp, and a SubStatement's, are in UTC."""
    converted = dict(statement)
    if isinstance(converted.get("timestamp"), str):
        converted["timestamp"] = to_utc_text(converted["timestamp"])
    sub = converted.get("object")
    if isinstance(sub, dict) and sub.get("objectType") == "SubStatement":
        converted["object"] = with_utc_timestamps(sub)
    return converted

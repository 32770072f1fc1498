"""Statement comparison (Data §2.3.1.s9): the same unless they differ beyond the exceptions.

Each statement is reduced to a comparable form that drops or normalises what Data §2.3.1
lists as exceptions, and keeps everything else as sent:

- id, authority, stored, timestamp and version may be assigned by the LRS (b1): authority,
  stored and version are ignored; id and timestamp only count when both statements have one.
- Activity definitions and Verb displays are not part of the statement (b2, b3).
- Timestamps compare as points in time, allowing the LRS's rounding or truncation to
  milliseconds (b4, §4.5.s1.b7).
- Group members are unordered (b5); attachments are not part of the statement (b6).
- UUIDs, mbox domains, hashes and language tags are case-insensitive (b7).
- Durations compare as strings, but beyond 0.01 s they are truncated (b8, §4.6.s1.b4–b5).
- Defaults the data model defines (objectType Agent / Activity, a single contextActivity as
  an array of one) are filled in, since they state the same statement.
"""

import json
import re

from lrs_bridge.xapi.agents import CONTEXT_ACTOR_LISTS, normalise_mbox
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.timestamps import parse_timestamp

# Assigned or overwritten by the LRS, or not part of the statement (Data §2.3.1.b1, b6).
_IGNORED = frozenset({"id", "timestamp", "authority", "stored", "version", "attachments"})
# The fraction of a seconds part; found with search(), which fails fast at every position
# without a separator, so a long run of digits costs linear time.
_SECONDS_FRACTION = re.compile(r"[.,](\d{3,})S\Z")
_MAX_FRACTION = 64  # digits of a fraction that take part in a comparison
_FRACTION = re.compile(r"T\d{2}:\d{2}:\d{2}[.,]?(\d*)")
_MIN_DIGITS = 3  # Data §4.5.s1.b3: an LRS keeps at least millisecond precision


def statements_equivalent(a: dict, b: dict, *, strict: bool = False) -> bool:
    """Whether two statements are the same statement by Data §2.3.1.s9.

    With `strict` (a signature's payload against the statement it signs), an id or
    timestamp on one side only is a difference: nothing was assigned in between.
    """
    agree = _both_equal if strict else _both_or_either
    try:
        if not agree(a.get("id"), b.get("id"), _same_id):
            return False
        if not agree(a.get("timestamp"), b.get("timestamp"), _same_instant):
            return False
        return comparable_form(a) == comparable_form(b)
    except RecursionError:
        raise BadRequest("a statement is nested too deeply to compare") from None


def _same_id(x, y) -> bool:
    if isinstance(x, str) and isinstance(y, str):
        return x.lower() == y.lower()
    return x == y


def comparable_form(statement: dict) -> dict:
    """The statement without LRS-assigned properties, normalised where the spec allows."""
    return _statement(statement, ignored=_IGNORED)


def _both_or_either(x, y, equal) -> bool:
    # A property the LRS may assign (Data §2.3.1.b1) only differs when both statements have it.
    return x is None or y is None or equal(x, y)


def _both_equal(x, y, equal) -> bool:
    return (x is None and y is None) or (x is not None and y is not None and equal(x, y))


def _statement(statement: dict, ignored: frozenset = frozenset()) -> dict:
    form = {}
    for key, value in statement.items():
        if key in ignored:
            continue
        form[key] = _PROPERTIES.get(key, _json)(value)
    return form


def _actor(actor) -> dict:
    if not isinstance(actor, dict):
        return _json(actor)
    form = {key: _json(value) for key, value in actor.items()}
    form["objectType"] = actor.get("objectType", "Agent")
    if isinstance(actor.get("mbox"), str):
        form["mbox"] = normalise_mbox(actor["mbox"])
    if isinstance(actor.get("mbox_sha1sum"), str):
        form["mbox_sha1sum"] = actor["mbox_sha1sum"].lower()
    if isinstance(actor.get("member"), list):
        members = [_actor(member) for member in actor["member"]]
        form["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
    return form


def _verb(verb) -> dict:
    return {"id": verb.get("id")} if isinstance(verb, dict) else _json(verb)


def _object(obj) -> dict:
    if not isinstance(obj, dict):
        return _json(obj)
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        return {"objectType": "Activity", "id": obj.get("id")}
    if object_type in ("Agent", "Group"):
        return _actor(obj)
    if object_type == "StatementRef":
        return {"objectType": "StatementRef", "id": _lower(obj.get("id"))}
    return _statement(obj)  # a SubStatement: its own timestamp is not LRS-assigned


def _context(context) -> dict:
    if not isinstance(context, dict):
        return _json(context)
    form = {key: _json(value) for key, value in context.items()}
    for role in ("instructor", "team"):
        if role in context:
            form[role] = _actor(context[role])
    for list_name, role in CONTEXT_ACTOR_LISTS:  # xAPI 2.0
        if isinstance(context.get(list_name), list):
            form[list_name] = [
                {**_json(entry), role: _actor(entry[role])}
                if isinstance(entry, dict) and role in entry else _json(entry)
                for entry in context[list_name]]
    for key in ("registration", "language"):
        if isinstance(context.get(key), str):
            form[key] = context[key].lower()
    if isinstance(context.get("statement"), dict):
        form["statement"] = _object(context["statement"])
    if isinstance(context.get("contextActivities"), dict):
        form["contextActivities"] = {
            context_type: [_object(a) for a in (v if isinstance(v, list) else [v])]
            for context_type, v in context["contextActivities"].items()
        }
    return form


def _result(result) -> dict:
    form = _json(result)
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        form["duration"] = _duration(result["duration"])
    return form


def _duration(duration: str) -> str:
    """The duration string with seconds truncated to 0.01 s (Data §4.6.s1.b4–b5)."""
    match = _SECONDS_FRACTION.search(duration)
    if match is None:
        return duration
    return f"{duration[:match.start()]}.{match.group(1)[:2]}S"


class _Timestamp:
    """A timestamp that equals another when both can name the same instant (Data §4.5)."""

    def __init__(self, text: str):
        self.text = text

    def __eq__(self, other) -> bool:
        if not isinstance(other, _Timestamp):
            return NotImplemented
        return _same_instant(self.text, other.text)

    __hash__ = None

    def __repr__(self) -> str:
        return f"_Timestamp({self.text!r})"


def _timestamp(text):
    return _Timestamp(text) if isinstance(text, str) else _json(text)


def _same_instant(a: str, b: str) -> bool:
    """Equal points in time, up to an LRS rounding or truncating the finer one (§4.5.s1.b7)."""
    try:
        (seconds_a, digits_a), (seconds_b, digits_b) = _split(a), _split(b)
    except ValueError:
        return a == b
    digits_a, digits_b = digits_a[:_MAX_FRACTION], digits_b[:_MAX_FRACTION]
    if len(digits_a) < len(digits_b):
        seconds_a, digits_a, seconds_b, digits_b = seconds_b, digits_b, seconds_a, digits_a
    # b may be a reduced to `kept` digits; a is the finer one, as it was sent.
    kept = max(len(digits_b), _MIN_DIGITS)
    scale = max(len(digits_a), kept)
    value_a = seconds_a * 10**scale + int(digits_a.ljust(scale, "0") or 0)
    value_b = seconds_b * 10**scale + int(digits_b.ljust(scale, "0") or 0)
    step = 10 ** (scale - kept)
    truncated = value_a - value_a % step
    rounded = truncated + step if 2 * (value_a % step) >= step else truncated
    return value_b in (truncated, rounded)


def _split(text: str) -> tuple[int, str]:
    """Whole seconds since the epoch and the fraction digits, exactly as written."""
    moment = parse_timestamp(text).replace(microsecond=0)
    match = _FRACTION.search(text)
    return int(moment.timestamp()), match.group(1) if match else ""


def _json(value):
    """Any JSON value, with booleans kept apart from the numbers 1 and 0 Python equates them to."""
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json(item) for item in value]
    if isinstance(value, bool):
        return ("bool", value)
    return value


def _lower(value):
    return value.lower() if isinstance(value, str) else value


_PROPERTIES = {
    "actor": _actor,
    "verb": _verb,
    "object": _object,
    "result": _result,
    "context": _context,
    "timestamp": _timestamp,
}

"""marshmallow's nested error messages as one BadRequest that names property paths."""

from lrs_bridge.xapi.errors import BadRequest

MAX_SHOWN = 3
_UNKNOWN = "unknown property"


def flatten(messages, path: str = "") -> list[tuple[str, str]]:
    """(path, message) pairs of a marshmallow error structure, in document order."""
    if isinstance(messages, str):
        return [(path, messages)]
    found = []
    if isinstance(messages, list):
        for message in messages:
            found.extend(flatten(message, path))
    else:
        for key, value in messages.items():
            found.extend(flatten(value, join_path(path, key)))
    return found


def join_path(path: str, key) -> str:
    """`path` extended by a property name or an array index; `_schema` is the object itself."""
    if key == "_schema":
        return path
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def bad_request(problems: list[tuple[str, str]], more: bool = False) -> BadRequest:
    """A BadRequest listing the first few problems, unknown properties last."""
    # Unknown properties go last: a misspelt name also shows up as a missing required
    # property, which is the more useful message.
    known = [problem for problem in problems if problem[1] != _UNKNOWN]
    unknown = sorted(problem for problem in problems if problem[1] == _UNKNOWN)
    ordered = known + unknown
    parts = [f"{path}: {message}" if path else message for path, message in ordered[:MAX_SHOWN]]
    hidden = len(ordered) - MAX_SHOWN
    if more:
        parts.append("and more")
    elif hidden > 0:
        parts.append(f"and {hidden} more")
    return BadRequest("; ".join(parts))

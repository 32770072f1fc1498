"""The dashboard's pages as the navigation and the landing page list them. A page module
has `PAGE` (its entry here, or None for a page reached only through links) and
`add_routes(bp)`; blueprint.PAGE_MODULES lists the modules in navigation order."""

from dataclasses import dataclass

from flask import request
from werkzeug.exceptions import BadRequest

from lrs_bridge.store.dashboard_users import ROLES


@dataclass(frozen=True)
class Page:
    """A page in the navigation: its endpoint, title, one line on what it shows, who sees it."""

    endpoint: str
    title: object  # a lazy translated string
    summary: object
    roles: tuple[str, ...] = ROLES


def arg_choice(name: str, allowed) -> str | None:
    """Query parameter `name`, one of `allowed` (400 naming the parameter otherwise)."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if value not in allowed:
        raise BadRequest(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def arg_text(name: str, most: int = 254) -> str | None:
    """Query parameter `name`, trimmed, or None; 400 naming it when it holds control
    characters or is longer than `most`."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isprintable() or len(value) > most:
        raise BadRequest(f"{name}: not a value this page can look up")
    return value


def arg_cursor(name: str = "after") -> tuple[int, int] | None:
    """Query parameter `name` as two numbers `A-B` (a page cursor), or None."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    first, _, second = value.partition("-")
    if not (first.isdigit() and second.isdigit()) or len(value) > 40:
        raise BadRequest(f"{name}: {value!r} is not a page cursor")
    return int(first), int(second)

"""The query parameters of an /api/v1 request, checked as they are read: each refusal is a 400
naming the parameter."""

from datetime import datetime
from functools import cache
from urllib.parse import urlencode

from flask import request
from marshmallow import Schema

from lrs_bridge.clock import parse_moment
from lrs_bridge.xapi.errors import BadRequest

DEFAULT_LIMIT, MOST = 100, 500


class Params:
    """The request's query parameters; only those the route's query schema (web.api.schemas
    .queries; or a set of names) names, each given once."""

    def __init__(self, query: type[Schema] | set[str]):
        allowed = query if isinstance(query, set) else names(query)
        self.args = request.args
        unknown = sorted(set(self.args) - allowed)
        if unknown:
            raise BadRequest(f"{unknown[0]}: not a parameter of {request.method} "
                             f"{request.path}; known: {', '.join(sorted(allowed))}")
        for name in self.args:
            if len(self.args.getlist(name)) > 1:
                raise BadRequest(f"{name}: given more than once")

    def text(self, name: str) -> str | None:
        """The value, or None when absent; an empty value is refused."""
        value = self.args.get(name)
        if value is not None and not value.strip():
            raise BadRequest(f"{name}: empty; leave the parameter out to match anything")
        return value.strip() if value is not None else None

    def choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        """One of `allowed`, or None when absent."""
        value = self.text(name)
        if value is not None and value not in allowed:
            raise BadRequest(f"{name}: unknown {name} {value!r}; one of {', '.join(allowed)}")
        return value

    def moment(self, name: str) -> datetime | None:
        """An ISO 8601 date or date and time (UTC without a zone), or None when absent."""
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_moment(value)
        except ValueError:
            raise BadRequest(f"{name}: {value!r} is not an ISO 8601 date or date and time "
                             f"(e.g. 2026-03-01 or 2026-03-01T09:00:00Z)") from None

    def limit(self) -> int:
        """`limit`: from 1 to MOST, DEFAULT_LIMIT when absent."""
        value = self.text("limit")
        if value is None:
            return DEFAULT_LIMIT
        if not _whole(value) or not 1 <= int(value) <= MOST:
            raise BadRequest(f"limit: must be a whole number from 1 to {MOST}")
        return int(value)

    def number(self, name: str) -> int | None:
        """A whole number that fits 64 bits (an id), or None when absent or not one."""
        value = self.text(name)
        return int(value) if value is not None and _whole(value) else None

    def learner(self, name: str = "learner") -> int | str | None:
        """A learner's id (int) or e-mail address (str), or None when absent."""
        value = self.text(name)
        if value is None or "@" in value:
            return value
        number = self.number(name)
        if number is None:
            raise BadRequest(f"{name}: give a learner id or an e-mail address")
        return number

    def numbers(self, name: str, count: int) -> tuple[int, ...] | None:
        """`count` whole numbers joined by "-" (a page cursor), or None when absent."""
        value = self.text(name)
        if value is None:
            return None
        parts = value.split("-")
        if len(parts) != count or not all(_whole(part) for part in parts):
            raise BadRequest(f"{name}: not a cursor this API gave (take `more` as it is)")
        return tuple(int(part) for part in parts)

    def next_page(self, after: str) -> str:
        """This request's path and parameters, continuing after cursor `after`."""
        args = {name: value for name, value in self.args.items() if name != "after"}
        return f"{request.path}?{urlencode({**args, 'after': after})}"


@cache
def names(query: type[Schema]) -> frozenset[str]:
    """The parameter names of a query schema (a field's data_key where it has one)."""
    return frozenset(field.data_key or name for name, field in query().fields.items())


def _whole(text: str) -> bool:
    # Ids and milliseconds are BIGINT: a longer number would fail in the database, not here.
    return text.isascii() and text.isdigit() and int(text) < 2 ** 63

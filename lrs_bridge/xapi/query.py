"""A GET /statements query as plain data, and the cursor that pages through it."""

import base64
import binascii
from dataclasses import asdict, dataclass, field

import orjson

from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.index_keys import FILTER_KINDS


@dataclass(frozen=True)
class StatementQuery:
    """The filters of Communication §2.1.3, reduced to index keys and time bounds."""

    # (kind, value) pairs that must all match; kinds as in store.statement_index.KINDS.
    filters: tuple[tuple[str, str], ...] = ()
    since_ms: int | None = None
    until_ms: int | None = None
    ascending: bool = False
    limit: int = 0
    format: str = "exact"
    attachments: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after (stored, seq), among rows with seq <= max_seq."""

    query: StatementQuery
    stored: int
    seq: int
    max_seq: int
    extra: dict = field(default_factory=dict)
    # The first page's settled moment (epoch ms): every page of the result is consistent
    # through it, since they leave out what was committed after the first.
    settled: int | None = None

    def encode(self) -> str:
        """An opaque URL-safe token for the `more` link."""
        data = asdict(self)
        data["query"]["filters"] = [list(pair) for pair in self.query.filters]
        return base64.urlsafe_b64encode(orjson.dumps(data)).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        """Read a token made by encode(); BadRequest when it was not."""
        try:
            data = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            query = data.pop("query")
            query["filters"] = tuple(tuple(pair) for pair in query["filters"])
            cursor = cls(query=StatementQuery(**query), **data)
        except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
            cursor = None
        if cursor is None or not _well_formed(cursor):
            raise BadRequest("more: not a cursor issued by this LRS")
        return cursor


FORMATS = ("exact", "ids", "canonical")


def _well_formed(cursor: Cursor) -> bool:
    """Every field of the right type and range, as encode() writes them (the token comes back
    from the client, who may have changed it)."""
    query = cursor.query
    return (all(_bigint(v) for v in (cursor.stored, cursor.seq, cursor.max_seq))
            and all(v is None or _bigint(v) for v in (query.since_ms, query.until_ms))
            and all(len(pair) == 2 and pair[0] in FILTER_KINDS and isinstance(pair[1], str)
                    for pair in query.filters)
            and type(query.ascending) is bool and type(query.attachments) is bool
            and _bigint(query.limit) and query.limit >= 0 and query.format in FORMATS
            and isinstance(cursor.extra, dict)
            and (cursor.settled is None or _bigint(cursor.settled)))


def _bigint(value) -> bool:
    return type(value) is int and -(2**63) <= value < 2**63

"""A GET /statements query as plain data, and the cursor that pages through it."""

import base64
import binascii
from dataclasses import asdict, dataclass, field

import orjson

from lrs_bridge.xapi.errors import BadRequest


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
            return cls(query=StatementQuery(**query), **data)
        except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
            raise BadRequest("more: not a cursor issued by this LRS") from None

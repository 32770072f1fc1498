"""Building xAPI responses: JSON bodies, HEAD without a body, timestamps as HTTP dates."""

from email.utils import format_datetime

import orjson
from flask import Response

from lrs_bridge.xapi.timestamps import UTC, datetime


def json_response(body, status: int = 200, *, head: bool = False, headers=None) -> Response:
    """A JSON response; `body` may be data or JSON text already serialised."""
    data = body if isinstance(body, bytes | str) else orjson.dumps(body)
    response = Response(b"" if head else data, status=status, mimetype="application/json",
                        headers=headers)
    if head:
        response.headers["Content-Length"] = str(len(data))
    return response


def http_date(millis: int) -> str:
    """An HTTP date (RFC 7231) for epoch milliseconds."""
    return format_datetime(datetime.fromtimestamp(millis // 1000, UTC), usegmt=True)

"""Checks that several HTTP test files share."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

# What a HEAD must answer as its GET does (RFC 9110 §9.3.2), but without the body.
# X-Experience-API-Consistent-Through is left out: it is a clock, read anew per request.
SAME_AS_GET = ("Content-Type", "Content-Length", "ETag", "Last-Modified",
               "X-Experience-API-Version")


def assert_head_like_get(client, path: str, *present: str) -> None:
    """HEAD `path` answers 200 with no body and GET's headers; `present` must be among them."""
    got, head = client.get(path), client.head(path)
    assert (got.status_code, head.status_code, head.data) == (200, 200, b"")
    assert got.headers["Content-Length"] == str(len(got.data))
    assert [name for name in present if name not in got.headers] == []
    assert ({name: head.headers.get(name) for name in SAME_AS_GET}
            == {name: got.headers.get(name) for name in SAME_AS_GET})


def assert_recent_http_date(value: str, since: datetime) -> None:
    """`value` is an HTTP date (RFC 9110 §5.6.7) between `since` and now, to the second."""
    moment = parsedate_to_datetime(value)
    assert value.endswith(" GMT") and moment.utcoffset() == timedelta(0)
    assert since.replace(microsecond=0) <= moment <= datetime.now(UTC)

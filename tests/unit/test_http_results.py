"""What connectors make of HTTP answers: Retry-After in both forms, short excerpts, and a
secret kept out of messages."""

import email.utils

from lrs_bridge_connectors.base import Result
from lrs_bridge_connectors.http_results import excerpt, retry_after, without

NOW = 1_770_000_000.0


def test_retry_after_in_seconds():
    assert retry_after("120") == 120.0
    assert retry_after(" 0 ") == 0.0


def test_retry_after_as_an_http_date_counts_from_now():
    assert retry_after(email.utils.formatdate(NOW + 90, usegmt=True), now=NOW) == 90.0
    assert retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now=NOW) == 0.0  # past: at once


def test_an_unreadable_retry_after_is_none():
    for value in (None, "", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:37"):
        assert retry_after(value, now=NOW) is None, value


def test_an_excerpt_is_one_line_of_at_most_200_characters():
    assert excerpt("  error:\n\tbad   input  ") == "error: bad input"
    assert excerpt("y" * 500) == "y" * 200
    assert excerpt(None) == ""


def test_a_secret_is_blanked_out_of_a_message():
    result = without("s3cret", Result.retry("echoed s3cret twice: s3cret", 5.0))
    assert result == Result.retry("echoed [token] twice: [token]", 5.0)
    kept = Result.permanent("nothing to hide")
    assert without("s3cret", kept) is kept and without("", kept) is kept

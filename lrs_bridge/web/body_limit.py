"""Hold every request body to MAX_CONTENT_LENGTH, with or without a Content-Length header.

A body of unknown length (Transfer-Encoding: chunked) has no Content-Length that Werkzeug can
check up front; the server marks such input with `wsgi.input_terminated` (gunicorn does it on
every request) and Werkzeug then wraps it in a LimitedStream whose maximum is the limit. That
stream's `read()` stops quietly at the maximum instead of raising, so an oversized chunked body
came through cut to the limit: a truncated statement gave a confusing 400, and a valid
statement padded with whitespace was stored. The stream here looks one byte past the maximum
and answers 413 when the body goes on.
"""

from typing import IO

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream


class _MaxBodyStream(LimitedStream):
    """A LimitedStream at the body maximum that tells "ends at the maximum" from "goes on"."""

    def __init__(self, source: IO[bytes], limit: int) -> None:
        super().__init__(source, limit, is_max=True)
        self._source = source

    def on_exhausted(self) -> None:
        """Raise 413 if the body goes on past the maximum; a body of exactly the maximum is fine."""
        # Werkzeug raises here unconditionally; the server ends its input stream at the end of
        # the body (that is what wsgi.input_terminated promises), so a one-byte read is safe.
        if self._source.read(1):
            raise RequestEntityTooLarge()

    def readall(self) -> bytes:
        """The whole body, or 413 when it is longer than the maximum."""
        data = super().readall()
        if self.is_exhausted:  # stopped at the maximum: is there more?
            self.on_exhausted()
        return data


class BodyLimitedRequest(Request):
    """Flask's Request with a body stream that refuses, rather than cuts, an oversized body."""

    @cached_property
    def stream(self) -> IO[bytes]:
        """The body; reading it raises RequestEntityTooLarge once it passes the maximum."""
        # Werkzeug's own stream first: it refuses a declared Content-Length over the limit
        # up front (413) and a shallow request.
        stream = super().stream
        limit = self.max_content_length
        if limit is None or "wsgi.input_terminated" not in self.environ:
            return stream  # bounded by Content-Length, or empty when the length is unknown
        return _MaxBodyStream(self.environ["wsgi.input"], limit)

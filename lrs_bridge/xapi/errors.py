"""Errors the xAPI core raises; the web layer maps each to its HTTP status in one place."""


class XAPIError(Exception):
    """A request the LRS refuses, with a message safe to show the client."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadRequest(XAPIError):
    """Malformed or invalid input (400)."""

    status = 400


class Unauthorized(XAPIError):
    """Missing or wrong credentials (401)."""

    status = 401


class Forbidden(XAPIError):
    """Credentials lack the scope for this request (403)."""

    status = 403


class NotFound(XAPIError):
    """The addressed statement or document does not exist (404)."""

    status = 404


class Conflict(XAPIError):
    """A statement id already holds different content (409)."""

    status = 409


class PreconditionFailed(XAPIError):
    """An If-Match / If-None-Match precondition failed (412)."""

    status = 412


class PayloadTooLarge(XAPIError):
    """The body or the batch exceeds the configured maximum (413)."""

    status = 413

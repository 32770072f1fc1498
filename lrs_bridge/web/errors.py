"""Map every refusal to a JSON error response in one place; never leak internals in a 500."""

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from lrs_bridge.xapi.errors import XAPIError

log = logging.getLogger(__name__)


def error_response(status: int, message: str):
    """A JSON body {"error": ...} with the given status."""
    response = jsonify(error=message, status=status)
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    """Register the error handlers on `app`."""
    limit = app.config.get("MAX_CONTENT_LENGTH")

    @app.errorhandler(XAPIError)
    def _xapi_error(err: XAPIError):
        response = error_response(err.status, err.message)
        if err.status == 401:
            response.headers["WWW-Authenticate"] = 'Basic realm="lrs-bridge"'
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_err):
        return error_response(413, f"request body larger than the maximum of {limit} bytes")

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        return error_response(err.code or 500, err.description or err.name)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal error; the request was not carried out")

"""Calls to Moodle's REST web services: one POST per function to server.php, form-encoded
(the token stays out of URLs and access logs), JSON answers, failures raised as MoodleError
with the Result they mean (errors.py)."""

import logging
import threading
import time
from typing import Any

import requests

from lrs_bridge_connectors.base import ConnectorError, Result
from lrs_bridge_connectors.moodle.errors import exception_result, status_result
from lrs_bridge_connectors.moodle.params import php_fields

ENDPOINT = "/webservice/rest/server.php"
log = logging.getLogger(__name__)
# Failures no retry can mend: a malformed URL, a certificate TLS verification rejects.
_UNUSABLE = (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
             requests.exceptions.InvalidSchema, requests.exceptions.SSLError)


class MoodleError(ConnectorError):
    """A call Moodle did not carry out; `result` is what a delivery answers for it and
    `errorcode` Moodle's code ("" when Moodle gave none)."""

    def __init__(self, result: Result, errorcode: str = ""):
        super().__init__(result)
        self.errorcode = errorcode


class Confirmed:
    """Facts Moodle confirmed within the last `ttl` seconds (a user exists, a user is enrolled
    in a course), so that deliveries close together ask once; shared by threads."""

    def __init__(self, ttl: float = 60.0, clock=time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self._seen: dict[tuple, float] = {}
        self._lock = threading.Lock()

    def __contains__(self, fact: tuple) -> bool:
        with self._lock:
            seen = self._seen.get(fact)
            return seen is not None and self.clock() - seen < self.ttl

    def note(self, fact: tuple) -> None:
        with self._lock:
            if len(self._seen) > 100_000:  # a long-running worker: drop what has expired
                now = self.clock()
                self._seen = {k: v for k, v in self._seen.items() if now - v < self.ttl}
            self._seen[fact] = self.clock()

    def forget(self, fact: tuple) -> None:
        with self._lock:
            self._seen.pop(fact, None)


class MoodleClient:
    """Moodle's web services at `url`, called with one token through one session."""

    def __init__(self, url: str, token: str, session: requests.Session, timeout: float):
        self.url = url.rstrip("/")
        self.endpoint = self.url + ENDPOINT
        self._token = token
        self.session = session
        self.timeout = timeout
        self.confirmed = Confirmed()

    def call(self, function: str, **params: Any) -> Any:
        """The answer of `function` to `params` (a dict, list, scalar or None); MoodleError
        when Moodle or the network failed."""
        fields = [("wstoken", self._token), ("wsfunction", function),
                  ("moodlewsrestformat", "json"), *php_fields(params)]
        log.debug("moodle %s", function)
        try:
            response = self.session.post(self.endpoint, data=fields, timeout=self.timeout,
                                         allow_redirects=False)
        except _UNUSABLE as err:
            raise self._failed(function, Result.permanent(
                f"Moodle {function}: cannot call {self.endpoint}: {_reason(err)}")) from None
        except requests.Timeout:
            raise self._failed(function, Result.retry(
                f"Moodle {function}: no answer within {self.timeout:g} s")) from None
        except requests.RequestException as err:
            raise self._failed(function, Result.retry(
                f"Moodle {function}: cannot reach {self.endpoint}: {_reason(err)}")) from None
        return self._answer(function, response)

    def _answer(self, function: str, response: requests.Response) -> Any:
        if response.status_code != 200:
            raise self._failed(function, status_result(
                function, response.status_code, not response.content.strip(),
                response.headers.get("Retry-After"), response.headers.get("Location")))
        try:
            body = response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise self._failed(function, Result.retry(
                f"Moodle {function}: the answer was not JSON ({kind})")) from None
        if isinstance(body, dict) and "exception" in body:
            code = str(body.get("errorcode") or "")
            raise self._failed(function, exception_result(function, body), code)
        return body

    def _failed(self, function: str, result: Result, code: str = "") -> MoodleError:
        message = result.message
        if self._token:
            message = message.replace(self._token, "[token]")
        result = Result(result.status, message, result.retry_after, result.user_gone)
        log.warning("moodle %s failed (%s): %s", function, result.status, message)
        return MoodleError(result, code)


def _reason(err: requests.RequestException) -> str:
    """The innermost cause of a network failure, without request details."""
    cause: BaseException = err
    for _ in range(10):  # a chain can loop
        inner = cause.__cause__ or cause.__context__
        if inner is None:
            break
        cause = inner
    return type(cause).__name__ + (f": {cause}" if str(cause) else "")

"""Calls to one Canvas: the bearer token on each, a timeout on each, `Link` pages followed,
and a pause before a call when the throttle bucket is nearly full (lms-apis.md §2.2)."""

import logging
import time
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit

import requests

from lrs_bridge_connectors.base import Result
from lrs_bridge_connectors.canvas.answers import failure
from lrs_bridge_connectors.canvas.links import next_link
from lrs_bridge_connectors.http_results import LmsFailure, host_of, network_failure, without

log = logging.getLogger(__name__)

# Canvas throttles each token with a leaky bucket that drains 10 units a second, and tells how
# much room is left in X-Rate-Limit-Remaining. Below LOW_WATER, wait for it to drain a little.
LOW_WATER = 150.0
DRAIN_PER_SECOND = 10.0
PER_PAGE = 100


class CanvasApi:
    """One Canvas at `base_url`, called with `token` over `session`; every call that does not
    answer 2xx raises LmsFailure with what it means."""

    def __init__(self, base_url: str, token: str, session: requests.Session, timeout: float,
                 sleep: Callable[[float], None] = time.sleep):
        self.base = base_url.rstrip("/")
        self.host = host_of(self.base)
        self.session, self.timeout, self.sleep = session, timeout, sleep
        self._token = token
        self.remaining: float | None = None  # the last X-Rate-Limit-Remaining seen

    def call(self, method: str, path: str, what: str, **kwargs) -> requests.Response:
        """One request to `path` (under the base URL, or a whole URL of this Canvas)."""
        url = urljoin(self.base + "/", path.lstrip("/")) if "://" not in path else path
        if urlsplit(url).netloc != urlsplit(self.base).netloc:
            raise LmsFailure(Result.permanent(f"Canvas pointed to another host ({host_of(url)})"
                                              f" to {what}: not followed with the token"))
        self._slow_down()
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            response = self.session.request(method, url, headers=headers,
                                            timeout=self.timeout, **kwargs)
        except requests.RequestException as err:
            raise self._failure(network_failure(err, self.host, self.timeout)) from None
        self._note_bucket(response)
        log.debug("canvas %s %s: HTTP %s", method, urlsplit(url).path, response.status_code)
        if not 200 <= response.status_code < 300:
            raise self._failure(failure(response, what), response.status_code)
        return response

    def json(self, method: str, path: str, what: str, **kwargs):
        """The JSON body of a call's answer."""
        response = self.call(method, path, what, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise self._failure(Result.permanent(
                f"Canvas answered something other than JSON to {what}: is {self.base} the "
                f"Canvas address?")) from None

    def pages(self, path: str, what: str, params: dict | None = None) -> Iterator[dict]:
        """The items of a paged list, page after page as the `Link` header leads."""
        response = self.call("GET", path, what, params={**(params or {}), "per_page": PER_PAGE})
        while True:
            items = response.json()
            if not isinstance(items, list):
                raise self._failure(Result.permanent(f"Canvas answered no list to {what}"))
            yield from items
            url = next_link(response.headers.get("Link"))
            if url is None:
                return
            response = self.call("GET", urljoin(response.url, url), what)

    def _slow_down(self) -> None:
        if self.remaining is not None and self.remaining < LOW_WATER:
            wait = (LOW_WATER - self.remaining) / DRAIN_PER_SECOND
            log.info("canvas: %.0f of the rate limit left, waiting %.1f s", self.remaining, wait)
            self.sleep(wait)
            self.remaining = None  # drained by now; the next answer says again

    def _note_bucket(self, response: requests.Response) -> None:
        try:
            self.remaining = float(response.headers["X-Rate-Limit-Remaining"])
        except (KeyError, ValueError):
            pass

    def _failure(self, result: Result, status: int | None = None) -> LmsFailure:
        return LmsFailure(without(self._token, result), status)

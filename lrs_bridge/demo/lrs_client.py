"""The demo talks to its server as content and L&D would: statements through TinCanPython's
RemoteLRS, progress read back from /api/v1."""

import json
import time
from collections.abc import Callable, Iterator
from http.client import HTTPException

import requests


class LrsError(Exception):
    """The server refused or did not answer; the message says what it said."""


def send_statements(endpoint: str, key: str, secret: str, statements: list[dict],
                    batch: int, sent: Callable[[int], None]) -> None:
    """POST the statements in batches with TinCanPython (`RemoteLRS.save_statements`),
    calling `sent(n)` after each batch of n."""
    from tincan import RemoteLRS, Statement  # only the demo needs it: not at every command's start

    lrs = RemoteLRS(version="1.0.3", endpoint=endpoint, username=key, password=secret)
    for first in range(0, len(statements), batch):
        chunk = statements[first:first + batch]
        # from JSON: TinCanPython renames keys inside the dicts it is given
        try:
            response = lrs.save_statements([Statement.from_json(json.dumps(s)) for s in chunk])
        except (OSError, HTTPException) as err:
            raise LrsError(f"POST /xapi/statements: no answer ({err})") from None
        if not response.success:
            status = response.response.status if response.response is not None else "none"
            raise LrsError(f"the server refused statements {first + 1}-{first + len(chunk)} "
                           f"(HTTP {status}): {_text(response.data)}")
        sent(len(chunk))


class ProgressApi:
    """GET /api/v1/… with a `progress/read` credential."""

    def __init__(self, base: str, key: str, secret: str):
        self.base = base.rstrip("/") + "/api/v1/"
        self.session = requests.Session()
        self.session.auth = (key, secret)

    def get(self, route: str, **params) -> dict:
        """One answer of the API; LrsError when it is not 200."""
        try:
            response = self.session.get(self.base + route, params=params, timeout=30)
        except requests.RequestException as err:
            raise LrsError(f"GET /api/v1/{route}: no answer ({err.__class__.__name__})") \
                from None
        if response.status_code != 200:
            raise LrsError(f"GET /api/v1/{route}: HTTP {response.status_code}: "
                           f"{response.text[:300]}")
        return response.json()

    def pages(self, route: str, key: str, **params) -> Iterator[dict]:
        """Every item of a paged list (`more` holds the next page's query)."""
        found = self.get(route, limit=500, **params)
        while True:
            yield from found[key]
            if not found.get("more"):
                return
            found = self.get(route + "?" + found["more"].split("?", 1)[-1])

    def wait_folded(self, progress: Callable[[int, int], None], stuck_after: float = 180,
                    poll: float = 0.5) -> dict:
        """Poll /status until the worker has folded every statement and taken in every
        learner; `progress(processed, stored)` as it goes. LrsError when nothing moves for
        `stuck_after` seconds."""
        last, moved = None, time.monotonic()
        while True:
            status = self.get("status")
            lag = status["lag"]
            figures = status["statements"]
            progress(figures["processed"], figures["stored"])
            if lag["statements"] == 0 and lag["learners"] == 0 \
                    and status["mapping"]["learners_behind"] == 0:
                return status
            now = (figures["processed"], lag["learners"])
            if now != last:
                last, moved = now, time.monotonic()
            elif time.monotonic() - moved > stuck_after:
                raise LrsError(f"the progress worker made no progress for {stuck_after:.0f} s "
                               f"({lag['statements']} statements and {lag['learners']} "
                               f"learners waiting)")
            time.sleep(poll)


def _text(data) -> str:
    text = data.decode(errors="replace") if isinstance(data, bytes) else str(data)
    return text[:300]

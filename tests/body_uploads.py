"""One upload per resource that reads a request body, buildable at any exact size.

The body-limit tests send these through the Flask test client and through a real server:
each is valid at any size, so "at the limit" must succeed and "one byte over" must be 413.
"""

import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:limits@example.nl"})
ACTIVITY = "https://learning.example.nl/modules/limits"
BOUNDARY = "body-limit-boundary"


@dataclass(frozen=True)
class Upload:
    """A request (path relative to the xAPI root) and where to look for what it stored."""

    method: str
    path: str
    headers: dict[str, str]
    build: Callable[[int], bytes]  # padding bytes -> a valid body
    ok_status: int
    stored_at: str

    def body(self, size: int) -> bytes:
        """A valid body of exactly `size` bytes."""
        padding = size - len(self.build(0))
        padding -= len(self.build(padding)) - size  # the padding may change a length field
        body = self.build(padding)
        assert len(body) == size
        return body


def chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """The body in pieces; `requests` sends a generator with Transfer-Encoding: chunked."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


def _statement(statement_id: str, **extra) -> bytes:
    return json.dumps({
        "id": statement_id, "actor": {"mbox": "mailto:limits@example.nl"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY}, **extra}).encode()


def _multipart(statement_id: str, padding: int) -> bytes:
    data = b"x" * padding
    sha = hashlib.sha256(data).hexdigest()
    statement = _statement(statement_id, attachments=[{
        "usageType": "https://example.com/attachment-usage/certificate",
        "display": {"en-US": "certificate"}, "contentType": "application/octet-stream",
        "length": padding, "sha2": sha}])
    return b"".join([
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(), statement,
        f"\r\n--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha}\r\n\r\n".encode(),
        data, f"\r\n--{BOUNDARY}--\r\n".encode()])


def uploads() -> dict[str, Upload]:
    """Every body-reading resource, with fresh ids so each test stores its own."""
    sid, doc = str(uuid.uuid4()), uuid.uuid4().hex
    by_id = f"statements?statementId={sid}"
    state = "activities/state?" + urlencode(
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": doc})
    activity_profile = "activities/profile?" + urlencode(
        {"activityId": ACTIVITY, "profileId": doc})
    agent_profile = "agents/profile?" + urlencode({"agent": AGENT, "profileId": doc})
    json_type = {"Content-Type": "application/json"}

    def form(padding: int) -> bytes:
        return urlencode({"activityId": ACTIVITY, "agent": AGENT, "stateId": doc,
                          "Content-Type": "text/plain", "content": "x" * padding}).encode()

    return {
        "statements POST": Upload("POST", "statements", json_type,
                                  lambda n: _statement(sid) + b" " * n, 200, by_id),
        "statements PUT": Upload("PUT", by_id, json_type,
                                 lambda n: _statement(sid) + b" " * n, 204, by_id),
        "statements multipart": Upload(
            "POST", "statements", {"Content-Type": f"multipart/mixed; boundary={BOUNDARY}"},
            lambda n: _multipart(sid, n), 200, by_id),
        "state PUT": Upload("PUT", state, {"Content-Type": "text/plain"},
                            lambda n: b"x" * n, 204, state),
        "activity profile POST": Upload("POST", activity_profile, json_type,
                                        lambda n: b'{"a": 1}' + b" " * n, 204,
                                        activity_profile),
        "agent profile PUT": Upload(
            "PUT", agent_profile,
            {"Content-Type": "application/octet-stream", "If-None-Match": "*"},
            lambda n: b"\x00" * n, 204, agent_profile),
        "alternate syntax state PUT": Upload(
            "POST", "activities/state?method=PUT",
            {"Content-Type": "application/x-www-form-urlencoded"}, form, 204, state),
    }

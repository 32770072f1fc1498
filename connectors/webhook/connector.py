"""The webhook connector: every outbox event POSTed, signed, to one receiver's URL.

The body is `{"type": "lrsbridge.<event type>", "timestamp": <ISO-8601, when sent>, "data":
<the event as the outbox holds it>}`; the types are listed in `EVENT_TYPES`. The headers follow
Standard Webhooks: `webhook-id` is the event's stable id (the same on every retry: the
receiver's idempotency key), `webhook-timestamp` the unix seconds of sending and
`webhook-signature` the `v1` signature of exactly the bytes sent.
"""

import json
import logging
import time
import uuid
from datetime import UTC, datetime

import requests

from lrs_bridge_connectors.base import Check, Connector, LmsUser, Result
from lrs_bridge_connectors.http_results import (
    excerpt,
    host_of,
    network_failure,
    retry_after,
    without,
)
from lrs_bridge_connectors.webhook.signing import sign

log = logging.getLogger(__name__)

# Stable names: receivers route on them.
EVENT_TYPES = {kind: f"lrsbridge.{kind}" for kind in (
    "step.changed", "path.changed", "skill.changed", "alert.opened", "alert.resolved")}
PING = "lrsbridge.ping"  # sent by `connector test`: a receiver answers 2xx and ignores it
BUSY = (429, 502, 503, 504)  # slow down and obey Retry-After


class WebhookConnector(Connector):
    """POSTs each event as JSON, signed with the connector's secret (its token)."""

    kind = "webhook"
    options = {}

    def resolve_user(self, learner: dict) -> LmsUser:
        """The learner as the receiver will see them: there is no LMS to ask."""
        email = learner.get("email") or None
        return LmsUser(id=email or str(learner.get("id")), email=email,
                       name=learner.get("name") or None)

    def needs_user(self, event: dict) -> bool:
        """The event names the learner; the receiver has no users to look up."""
        return False

    def deliver(self, event: dict, user: LmsUser | None) -> Result:
        """POST one event; the receiver's status code decides ok, retry or permanent."""
        kind = EVENT_TYPES.get(event.get("type"))
        if kind is None:
            return Result.permanent(f"no webhook type for event type {event.get('type')!r}")
        return self._post(str(event["id"]), kind, event)

    def health(self) -> list[Check]:
        """Send a signed `lrsbridge.ping` and say what the receiver made of it."""
        data = {"connector": self.config.name,
                "message": "a test from lrs-bridge: answer 2xx, nothing else is needed"}
        result = self._post(f"ping_{uuid.uuid4().hex}", PING, data)
        if result.status == "ok":
            words = f"{self.config.url} accepted a signed test event ({result.message})"
        else:
            words = f"{self.config.url} did not accept a signed test event: {result.message}"
        return [Check("endpoint", result.status == "ok", words)]

    def _post(self, message_id: str, kind: str, data: dict) -> Result:
        body = json.dumps({"type": kind, "timestamp": datetime.now(UTC).isoformat(),
                           "data": data}, separators=(",", ":")).encode()
        stamp = int(time.time())
        try:
            headers = {"webhook-id": message_id, "webhook-timestamp": str(stamp),
                       "webhook-signature": sign(self.config.token, message_id, stamp, body),
                       "Content-Type": "application/json"}
        except ValueError as err:
            return Result.permanent(f"the connector's secret cannot be used: {err}")
        try:
            response = self.session.post(self.config.url, data=body, headers=headers,
                                         timeout=self.config.timeout, allow_redirects=False)
        except requests.RequestException as err:
            result = network_failure(err, host_of(self.config.url), self.config.timeout)
        else:
            result = answer(response)
        result = without(self.config.token, result)
        log.info("webhook %s %s: %s %s", kind, message_id, result.status, result.message)
        return result


def answer(response: requests.Response) -> Result:
    """What the receiver's status code means (Standard Webhooks: 2xx is success, a 3xx is a
    failure, 410 disables, 429/502/503/504 ask to slow down)."""
    code = response.status_code
    if 200 <= code < 300:
        return Result.ok(f"HTTP {code}")
    if 300 <= code < 400:
        # Not followed, and not retried: the same URL will redirect again until an
        # administrator points the connector at the final address.
        where = response.headers.get("Location") or "an address it does not give"
        return Result.permanent(f"the endpoint redirects (HTTP {code}) to {where}: redirects "
                                f"are not followed; set the connector's URL to the final one")
    if code == 410:
        return Result.permanent("endpoint gone (HTTP 410): the receiver asks for no more "
                                "events; remove the connector or give it a new URL")
    if code in BUSY:
        return Result.retry(f"the receiver is busy (HTTP {code}){_said(response)}",
                            retry_after(response.headers.get("Retry-After")))
    if 400 <= code < 500:
        return Result.permanent(f"the receiver refused the event (HTTP {code})"
                                f"{_said(response)}")
    return Result.retry(f"the receiver failed (HTTP {code}){_said(response)}")


def _said(response: requests.Response) -> str:
    """What the receiver's body says (its first 200 characters), after a colon."""
    words = excerpt(response.text)
    return f": {words}" if words else ""

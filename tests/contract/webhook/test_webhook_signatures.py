"""Signatures a receiver can check with `verify` (Standard Webhooks), and the signed test
event of `connector test`."""

import base64
import json

from lrs_bridge_connectors.base import OK
from lrs_bridge_connectors.webhook import PING, sign, verify
from tests.contract import outbox_events
from tests.contract.webhook.conftest import SECRET
from tests.contract.webhook.webhook_fake import Receiver


def _delivered(connector, receiver) -> tuple[dict, bytes]:
    connector.deliver(outbox_events.step_changed(), None)
    return receiver.headers[-1], receiver.raw[-1]


def test_the_signature_verifies_over_the_exact_bytes_sent(connector, receiver):
    headers, body = _delivered(connector, receiver)
    assert verify(SECRET, headers, body)
    assert headers["Webhook-Signature"].startswith("v1,")
    assert headers["Content-Type"] == "application/json"
    # Re-serialised JSON is other bytes: a receiver must verify the raw body.
    assert not verify(SECRET, headers, json.dumps(json.loads(body), indent=1).encode())


def test_a_tampered_body_id_or_signature_is_rejected(connector, receiver):
    headers, body = _delivered(connector, receiver)
    assert not verify(SECRET, headers, body.replace(b"completed", b"failed"))
    assert not verify(SECRET, {**headers, "Webhook-Id": "another"}, body)
    signature = headers["Webhook-Signature"]
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert not verify(SECRET, {**headers, "Webhook-Signature": flipped}, body)
    assert not verify("whsec_" + base64.b64encode(b"x" * 32).decode(), headers, body)


def test_a_stale_or_future_timestamp_is_rejected(connector, receiver):
    headers, body = _delivered(connector, receiver)
    sent = int(headers["Webhook-Timestamp"])
    assert verify(SECRET, headers, body, now=sent + 300)
    assert not verify(SECRET, headers, body, now=sent + 301)
    assert not verify(SECRET, headers, body, now=sent - 301)
    assert verify(SECRET, headers, body, tolerance=600, now=sent + 599)


def test_one_of_several_signatures_is_enough_as_when_a_secret_rotates():
    body, stamp = b'{"type":"lrsbridge.ping"}', 1_770_000_000
    mine = sign(SECRET, "msg_1", stamp, body)
    old = sign("old secret", "msg_1", stamp, body)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(stamp),
               "webhook-signature": f"{old} {mine}"}
    assert verify(SECRET, headers, body, now=stamp)
    assert not verify(SECRET, {**headers, "webhook-signature": old}, body, now=stamp)
    assert not verify(SECRET, {**headers, "webhook-timestamp": "soon"}, body, now=stamp)
    assert not verify(SECRET, {"webhook-id": "msg_1"}, body, now=stamp)


def test_a_raw_secret_is_used_as_it_is(connector_for, httpserver, receiver):
    plain = Receiver(httpserver, "a plain shared secret", path="/hooks/plain")
    result = connector_for(plain.url, secret="a plain shared secret").deliver(
        outbox_events.path_changed(), None)
    assert result.status == OK and len(plain.received) == 1
    # The key of a whsec_ secret is its base64 decoded: the raw bytes verify the same.
    headers, body = _delivered(connector_for(receiver.url), receiver)
    assert verify(base64.b64decode(SECRET.removeprefix("whsec_")), headers, body)


def test_health_sends_a_signed_ping_and_says_it_was_accepted(connector, receiver):
    (check,) = connector.health()
    assert check.ok and check.name == "endpoint"
    assert receiver.url in check.message and "accepted" in check.message
    (body,) = receiver.received
    assert body["type"] == PING == "lrsbridge.ping"
    assert list(receiver.seen)[0].startswith("ping_")


def test_health_says_why_the_receiver_refused_the_ping(connector, receiver):
    receiver.answer(404, "no such hook")
    (check,) = connector.health()
    assert not check.ok
    assert "did not accept" in check.message and "no such hook" in check.message

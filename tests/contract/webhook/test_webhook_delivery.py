"""The webhook connector against a Standard Webhooks receiver: what it POSTs for each event
type, and what each answer of the receiver means."""

import email.utils
import time

import pytest

from lrs_bridge_connectors.base import OK, PERMANENT, RETRY
from lrs_bridge_connectors.registry import connector_class
from lrs_bridge_connectors.webhook import WebhookConnector
from tests.contract import outbox_events


def test_webhook_is_an_installed_connector_kind():
    assert connector_class("webhook") is WebhookConnector


@pytest.mark.parametrize("build", outbox_events.ALL, ids=lambda b: b.__name__)
def test_each_event_type_is_posted_signed_with_its_id_and_a_stable_type(
        build, connector, receiver):
    event = build()
    result = connector.deliver(event, connector.resolve_user(event["learner"]))
    assert result.status == OK
    (body,) = receiver.received
    assert body["type"] == "lrsbridge." + event["type"]
    assert body["data"] == event
    assert body["timestamp"].startswith(time.strftime("%Y-", time.gmtime()))
    assert receiver.seen == {event["id"]: 1}


def test_a_retried_event_carries_the_same_webhook_id(connector, receiver):
    event = outbox_events.path_changed()
    receiver.answer(503, "maintenance")
    assert connector.deliver(event, None).status == RETRY
    assert connector.deliver(event, None).status == OK
    assert receiver.seen == {event["id"]: 2}  # the receiver can tell it is one event


def test_the_user_is_the_learner_as_named_by_the_event(connector):
    user = connector.resolve_user(outbox_events.ANNA)
    assert (user.id, user.email, user.name) == ("anna@noordwind.nl", "anna@noordwind.nl",
                                                "Anna de Boer")
    nameless = connector.resolve_user({"id": 9, "email": "", "name": ""})
    assert (nameless.id, nameless.email) == ("9", None)


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_is_success(status, connector, receiver):
    receiver.answer(status)
    assert connector.deliver(outbox_events.step_changed(), None).status == OK


def test_410_is_permanent_endpoint_gone(connector, receiver):
    receiver.answer(410, "unsubscribed")
    result = connector.deliver(outbox_events.step_changed(), None)
    assert result.status == PERMANENT
    assert "endpoint gone" in result.message


def test_a_redirect_is_a_permanent_failure_and_not_followed(connector, receiver, httpserver):
    httpserver.expect_request("/moved", method="POST").respond_with_data("", status=204)
    receiver.answer(301, headers={"Location": httpserver.url_for("/moved")})
    result = connector.deliver(outbox_events.step_changed(), None)
    assert result.status == PERMANENT
    assert "/moved" in result.message and "not followed" in result.message
    assert httpserver.get_matching_requests_count(
        httpserver.create_matcher("/moved", method="POST")) == 0


def test_429_with_retry_after_in_seconds_is_retried_after_them(connector, receiver):
    receiver.answer(429, "slow down", {"Retry-After": "120"})
    result = connector.deliver(outbox_events.step_changed(), None)
    assert (result.status, result.retry_after) == (RETRY, 120.0)


def test_429_with_retry_after_as_an_http_date_is_retried_then(connector, receiver):
    receiver.answer(429, "", {"Retry-After": email.utils.formatdate(time.time() + 90,
                                                                     usegmt=True)})
    result = connector.deliver(outbox_events.step_changed(), None)
    assert result.status == RETRY
    assert 80 <= result.retry_after <= 91


@pytest.mark.parametrize("status", [502, 503, 504])
def test_busy_gateways_are_retried(status, connector, receiver):
    receiver.answer(status, "", {"Retry-After": "30"})
    result = connector.deliver(outbox_events.skill_changed(), None)
    assert (result.status, result.retry_after) == (RETRY, 30.0)


def test_a_500_is_retried_with_the_receivers_words(connector, receiver):
    receiver.answer(500, "database is down")
    result = connector.deliver(outbox_events.skill_changed(), None)
    assert result.status == RETRY and "database is down" in result.message


def test_other_4xx_is_permanent_with_the_first_200_characters_of_the_answer(
        connector, receiver):
    receiver.answer(422, "unknown learner " + "x" * 300)
    result = connector.deliver(outbox_events.step_changed(), None)
    assert result.status == PERMANENT
    assert "HTTP 422" in result.message
    assert "unknown learner " + "x" * 184 in result.message
    assert "x" * 185 not in result.message


def test_a_receiver_with_another_secret_refuses_the_event(receiver, connector_for):
    wrong = connector_for(receiver.url, secret="another secret")
    result = wrong.deliver(outbox_events.step_changed(), None)
    assert result.status == PERMANENT and "invalid signature" in result.message
    assert receiver.rejected == 1 and not receiver.received

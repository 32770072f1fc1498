"""The webhook connector when the receiver cannot be reached, and what it never says: the
secret."""

import logging

from lrs_bridge_connectors.base import PERMANENT, RETRY
from tests.contract import outbox_events
from tests.contract.network import Stall, closed_port_url
from tests.contract.webhook.conftest import SECRET


def test_a_receiver_that_does_not_answer_in_time_is_retried(httpserver, connector_for):
    stall = Stall()
    httpserver.expect_request("/slow", method="POST").respond_with_handler(stall)
    try:
        result = connector_for(httpserver.url_for("/slow"), timeout=0.3).deliver(
            outbox_events.step_changed(), None)
    finally:
        stall.release()
    assert result.status == RETRY
    assert "did not answer within 0.3 s" in result.message


def test_a_refused_connection_is_retried(connector_for):
    result = connector_for(closed_port_url("/hooks")).deliver(outbox_events.step_changed(),
                                                             None)
    assert result.status == RETRY
    assert "connection refused" in result.message


def test_a_secret_that_is_not_base64_after_whsec_is_permanent(connector_for, httpserver):
    result = connector_for(httpserver.url_for("/hooks"), secret="whsec_not*base64").deliver(
        outbox_events.step_changed(), None)
    assert result.status == PERMANENT
    assert "not base64" in result.message and "not*base64" not in result.message


def test_the_secret_is_never_in_a_result_or_a_log_record(connector, receiver, caplog):
    caplog.set_level(logging.DEBUG)
    receiver.answer(400, f"bad request, your secret is {SECRET}")  # a receiver that echoes
    results = [connector.deliver(outbox_events.step_changed(), None),
               connector.deliver(outbox_events.alert_opened(), None)]
    results += [connector.health()[0]]
    assert results[0].status == PERMANENT and "[token]" in results[0].message
    said = [r.message for r in results] + [r.getMessage() for r in caplog.records]
    assert caplog.records and not [text for text in said if SECRET in text]
    assert not [text for text in said if SECRET.removeprefix("whsec_") in text]

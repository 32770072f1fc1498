"""What the Canvas connector answers when Canvas refuses, fails, throttles or cannot be
reached, and what it never says: the token."""

import logging

import pytest

from lrs_bridge_connectors.base import OK, PERMANENT, RETRY, LmsUser
from lrs_bridge_connectors.http_results import LmsFailure
from tests.contract import outbox_events
from tests.contract.canvas.canvas_fake import TOKEN
from tests.contract.network import Stall, closed_port_url

ANNA = LmsUser(id="101", email="anna@noordwind.nl")
STEP = outbox_events.step_changed


def test_an_invalid_token_is_permanent_in_canvas_words(canvas, connector_for):
    result = connector_for(canvas.url, token="7~expired").deliver(STEP(), ANNA)
    assert result.status == PERMANENT
    assert "Canvas refused the token" in result.message
    assert "Invalid access token." in result.message


def test_an_invalid_token_fails_a_user_lookup_instead_of_finding_nobody(canvas,
                                                                         connector_for):
    with pytest.raises(LmsFailure) as failed:
        connector_for(canvas.url, token="7~expired").resolve_user(
            {"id": 1, "email": "anna@noordwind.nl", "identifiers": []})
    assert failed.value.result.status == PERMANENT and failed.value.status == 401


def test_an_unknown_user_is_permanent_and_named(connector, canvas):
    result = connector.deliver(STEP(), LmsUser(id="999"))
    assert result.status == PERMANENT
    assert "grade assignment 34 of course 12 for user 999" in result.message
    assert "does not exist" in result.message


def test_an_unknown_course_is_permanent_and_named(canvas, connector_for):
    connector = connector_for(canvas.url, lms_map={"modules": {"welcome-noordwind": {
        "course": 77, "assignment": 34}}})
    result = connector.deliver(STEP(), ANNA)
    assert result.status == PERMANENT and "course 77" in result.message


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_canvas_failure_is_retried(status, connector, canvas):
    canvas.failing = [status]
    result = connector.deliver(STEP(), ANNA)
    assert result.status == RETRY and f"HTTP {status}" in result.message
    assert connector.deliver(STEP(), ANNA).status == OK


def test_a_canvas_that_does_not_answer_in_time_is_retried(httpserver, connector_for):
    stall = Stall()
    httpserver.expect_request("/api/v1/courses/12/assignments/34/submissions/101",
                              method="PUT").respond_with_handler(stall)
    try:
        result = connector_for(httpserver.url_for("/"), timeout=0.3).deliver(STEP(), ANNA)
    finally:
        stall.release()
    assert result.status == RETRY and "did not answer within 0.3 s" in result.message


def test_a_refused_connection_is_retried(connector_for):
    result = connector_for(closed_port_url()).deliver(STEP(), ANNA)
    assert result.status == RETRY and "connection refused" in result.message


def test_the_throttling_403_is_retried_after_a_pause(connector, canvas):
    canvas.throttle = 1
    result = connector.deliver(STEP(), ANNA)
    assert result.status == RETRY and "rate limit exceeded" in result.message
    assert result.retry_after == 10.0
    assert connector.deliver(STEP(), ANNA).status == OK


def test_a_permission_403_is_not_taken_for_throttling(connector, canvas):
    canvas.denied, canvas.deny_status = [r"/api/v1/courses/12/.*"], 403
    result = connector.deliver(STEP(), ANNA)
    assert result.status == PERMANENT
    assert "user not authorized to perform that action" in result.message


def test_a_nearly_full_bucket_slows_the_next_call(connector, canvas, naps):
    canvas.remaining = 600.0
    connector.deliver(STEP(), ANNA)
    assert naps == []
    canvas.remaining = 30.0
    connector.deliver(STEP(), ANNA)  # this answer says 30 are left
    assert naps == []
    connector.deliver(STEP(), ANNA)
    assert naps == [12.0]  # (150 - 30) / 10 a second


def test_after_throttling_the_next_call_waits_for_the_bucket(connector, canvas, naps):
    canvas.throttle = 1
    connector.deliver(STEP(), ANNA)
    connector.deliver(STEP(), ANNA)
    assert naps == [15.0]


def test_the_token_is_never_in_a_result_or_a_log_record(canvas, connector_for, caplog):
    caplog.set_level(logging.DEBUG)
    good, bad = connector_for(canvas.url), connector_for(canvas.url, token=TOKEN[:-1])
    results = [good.deliver(STEP(), ANNA), bad.deliver(STEP(), ANNA)]
    canvas.failing, canvas.throttle = [500], 1
    results += [good.deliver(STEP(), ANNA), good.deliver(STEP(), ANNA)]
    results += good.health() + bad.health()
    said = [r.message for r in results] + [r.getMessage() for r in caplog.records]
    assert caplog.records and [r.status for r in results[:4]] == [OK, PERMANENT, RETRY, RETRY]
    assert not [text for text in said if TOKEN[:-1] in text]

"""How the connector talks to Moodle, and what each failure of Moodle or the network makes
of a delivery: retry, or permanent in Moodle's words; the token never shows."""

import logging
import socket
import threading

import pytest

from lrs_bridge_connectors.base import OK, PERMANENT, RETRY, ConnectorError, LmsUser
from lrs_bridge_connectors.moodle.errors import WEB_SERVICES_OFF
from tests.contract.moodle_events import alert, step
from tests.contract.moodle_fake import ENDPOINT, TOKEN


@pytest.fixture
def anna(moodle):
    return LmsUser(id=str(moodle.add_user("anna@noordwind.nl")))


@pytest.fixture
def completing(moodle, connect):
    """A connector whose module "m" maps to an activity, and the event completing it."""
    cmid = moodle.add_cm(moodle.add_course())
    return (lambda **kw: connect({"modules": {"m": {"cmid": cmid}}}, **kw)), step("m")


def test_calls_are_form_posts_with_php_arrays_and_booleans_as_1_or_0(moodle, connect, anna):
    moodle.add_user("lead@noordwind.nl")
    course = moodle.add_course(enrolled=[int(anna.id)])
    cmid = moodle.add_cm(course)
    connector = connect({"modules": {"m": {"cmid": cmid, "course": course}}})
    assert connector.deliver(step("m"), anna).status == OK
    assert connector.deliver(alert("overdue", "p/m", {"due": "2026-03-16"}), anna).status == OK
    sent = [dict(fields) for fields in moodle.raw]
    assert all(f["wstoken"] == TOKEN and f["moodlewsrestformat"] == "json" for f in sent)
    courses = next(f for f in sent if f["wsfunction"] == "core_enrol_get_users_courses")
    assert courses["returnusercount"] == "0"
    messages = next(f for f in sent if f["wsfunction"] == "core_message_send_instant_messages")
    assert {"messages[0][touserid]", "messages[1][touserid]", "messages[0][textformat]"} <= \
        set(messages)
    assert moodle.refusals == []


def test_an_invalid_token_is_permanent_and_says_where_to_make_one(moodle, completing, anna):
    make, event = completing
    result = make(token="0" * 32).deliver(event, anna)
    assert result.status == PERMANENT
    assert "Invalid token - token not found (invalidtoken)" in result.message
    assert "Manage tokens" in result.message


def test_a_function_missing_from_the_service_is_permanent(moodle, completing, anna):
    make, event = completing
    moodle.functions.discard("core_completion_override_activity_completion_status")
    result = make().deliver(event, anna)
    assert result.status == PERMANENT and "(accessexception)" in result.message
    assert "core_completion_override_activity_completion_status" in result.message


def test_web_services_off_is_permanent(moodle, completing, anna):
    make, event = completing
    moodle.web_services = False
    assert make().deliver(event, anna).message == WEB_SERVICES_OFF


def test_maintenance_is_retried(moodle, completing, anna):
    make, event = completing
    moodle.maintenance = True
    result = make().deliver(event, anna)
    assert result.status == RETRY and "(sitemaintenance)" in result.message


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retried(moodle, completing, anna, status):
    make, event = completing
    moodle.http_status = status
    result = make().deliver(event, anna)
    assert (result.status, result.retry_after) == (RETRY, None)
    assert f"HTTP {status}" in result.message


def test_too_many_requests_is_retried_after_what_moodle_asks(moodle, completing, anna):
    make, event = completing
    moodle.http_status, moodle.http_headers = 429, {"Retry-After": "30"}
    result = make().deliver(event, anna)
    assert (result.status, result.retry_after) == (RETRY, 30.0)


def test_a_redirect_is_not_followed_and_names_the_address(moodle, completing, anna):
    make, event = completing
    moodle.http_status, moodle.http_headers = 301, {"Location": "https://moodle.example/"}
    result = make().deliver(event, anna)
    assert result.status == PERMANENT and "https://moodle.example/" in result.message
    assert len(moodle.raw) == 1


def test_no_answer_in_time_is_retried(moodle, completing, anna):
    make, event = completing
    moodle.hold = threading.Event()  # the fake answers only once the test is over
    result = make(timeout=0.2).deliver(event, anna)
    assert result.status == RETRY and "no answer within 0.2 s" in result.message


def test_a_refused_connection_is_retried(completing, anna):
    make, event = completing
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = make(url=f"http://127.0.0.1:{port}").deliver(event, anna)
    assert result.status == RETRY and "cannot reach" in result.message
    assert "ConnectionRefusedError" in result.message


def test_an_answer_that_is_not_json_is_retried(httpserver, moodle, completing, anna):
    make, event = completing
    httpserver.expect_oneshot_request(ENDPOINT).respond_with_data("<html>proxy</html>",
                                                                  content_type="text/html")
    result = make().deliver(event, anna)
    assert result.status == RETRY and "not JSON (text/html)" in result.message


def test_resolve_user_raises_what_a_delivery_would_answer(moodle, connect):
    moodle.maintenance = True
    with pytest.raises(ConnectorError) as raised:
        connect().resolve_user({"email": "anna@noordwind.nl"})
    assert raised.value.result.status == RETRY


def test_the_token_never_appears_in_results_or_logs(httpserver, moodle, completing, anna,
                                                    caplog):
    make, event = completing
    caplog.set_level(logging.DEBUG)
    # A Moodle (or a proxy) that echoes the token back must not get it into the message.
    httpserver.expect_oneshot_request(ENDPOINT).respond_with_json(
        {"exception": "moodle_exception", "errorcode": "x", "message": f"bad token {TOKEN}",
         "debuginfo": f"wstoken={TOKEN}"})
    results = [make().deliver(event, anna)]
    for status in (500, 429):
        moodle.http_status = status
        results.append(make().deliver(event, anna))
    moodle.http_status = None
    results.append(make(token=TOKEN[::-1]).deliver(event, anna))
    results.append(make(url="http://127.0.0.1:9").deliver(event, anna))
    assert "[token]" in results[0].message
    assert all(TOKEN not in result.message for result in results)
    assert caplog.records and all(TOKEN not in record.getMessage() for record in caplog.records)
    assert TOKEN[::-1] not in " ".join(record.getMessage() for record in caplog.records)


def test_a_url_that_cannot_be_called_is_permanent(completing, anna):
    make, event = completing
    result = make(url="leren.noordwind.example").deliver(event, anna)
    assert result.status == PERMANENT and "cannot call" in result.message

"""The fake Moodle itself answers as Moodle 4.5 does: the connector's contract tests are only
as good as it is."""

import pytest
import requests

from tests.contract.moodle_fake import ENDPOINT, TOKEN


def post(moodle, function, fields=(), token=TOKEN, fmt="json"):
    data = [("wstoken", token), ("wsfunction", function)] + list(fields)
    if fmt:
        data.append(("moodlewsrestformat", fmt))
    return requests.post(moodle.url + ENDPOINT, data=data, timeout=5)


def test_a_success_is_json_without_charset_open_to_any_origin(moodle):
    answer = post(moodle, "core_user_get_users_by_field",
                  [("field", "username"), ("values[0]", "admin")])
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert [user["id"] for user in answer.json()] == [2]


def test_an_unknown_token_is_an_invalidtoken_exception_in_a_200(moodle):
    answer = post(moodle, "core_webservice_get_site_info", token="nope")
    assert answer.status_code == 200
    assert answer.json() == {"exception": "core\\exception\\moodle_exception",
                             "errorcode": "invalidtoken",
                             "message": "Invalid token - token not found"}


@pytest.mark.parametrize("fields, why", [
    ([("field", "email"), ("values", "anna@noordwind.nl")], "Only arrays accepted"),
    ([("field", "email"), ("values[0][x]", "anna@noordwind.nl")], "Invalid parameter value"),
    ([("values[0]", "anna@noordwind.nl")], "Missing required key in single structure: field"),
    ([("field", "email"), ("values[0]", "a@x.nl"), ("limit", "1")], "Unexpected keys (limit)"),
])
def test_arguments_that_are_not_php_arrays_of_the_declared_shape_are_refused(moodle, fields,
                                                                           why):
    answer = post(moodle, "core_user_get_users_by_field", fields).json()
    assert answer["errorcode"] == "invalidparameter"
    assert answer["exception"] == "core\\exception\\invalid_parameter_exception"
    assert "debuginfo" not in answer  # site debugging off: the reason is not given
    assert why in moodle.refusals[-1]
    assert moodle.calls == []


def test_a_list_as_requests_encodes_it_by_default_is_refused(moodle):
    answer = requests.post(moodle.url + ENDPOINT, timeout=5, data={
        "wstoken": TOKEN, "wsfunction": "core_user_get_users_by_field",
        "moodlewsrestformat": "json", "field": "email", "values": ["anna@noordwind.nl"]})
    assert answer.json()["errorcode"] == "invalidparameter"


@pytest.mark.parametrize("value", ["True", "true", "false", ""])
def test_a_boolean_other_than_1_or_0_is_refused(moodle, value):
    answer = post(moodle, "core_enrol_get_users_courses",
                  [("userid", "4"), ("returnusercount", value)]).json()
    assert answer["errorcode"] == "invalidparameter"
    assert 'the server was expecting "bool" type' in moodle.refusals[-1]


def test_booleans_as_1_or_0_and_whole_numbers_pass(moodle):
    for value in ("1", "0"):
        assert post(moodle, "core_enrol_get_users_courses",
                    [("userid", "4"), ("returnusercount", value)]).json() == []
    answer = post(moodle, "core_enrol_get_users_courses", [("userid", "4.0")]).json()
    assert answer["errorcode"] == "invalidparameter"


def test_debugging_on_puts_the_reason_in_debuginfo(moodle):
    moodle.debug = True
    answer = post(moodle, "core_completion_override_activity_completion_status",
                  [("userid", "4"), ("cmid", "1")]).json()
    assert answer["debuginfo"] == "Missing required key in single structure: newstate"


def test_functions_outside_the_service_or_unknown_to_moodle(moodle):
    moodle.functions.discard("core_user_get_users")
    assert post(moodle, "core_user_get_users").json()["errorcode"] == "accessexception"
    assert post(moodle, "local_nothing_here").json() == {
        "exception": "dml_missing_record_exception", "errorcode": "invalidrecord",
        "message": "Can't find data record in database table external_functions."}


def test_without_the_json_format_moodle_answers_xml(moodle):
    answer = post(moodle, "core_webservice_get_site_info", fmt=None)
    assert answer.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert answer.text.startswith("<?xml")


def test_web_services_off_is_a_403_with_an_empty_html_body(moodle):
    moodle.web_services = False
    answer = post(moodle, "core_webservice_get_site_info")
    assert (answer.status_code, answer.content) == (403, b"")
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"


def test_an_unsupported_search_key_warns_and_returns_every_user(moodle):
    answer = post(moodle, "core_user_get_users",
                  [("criteria[0][key]", "city"), ("criteria[0][value]", "Leeuwarden")]).json()
    assert answer["warnings"][0]["warningcode"] == "invalidfieldparameter"
    assert {user["id"] for user in answer["users"]} == set(moodle.users)


def test_email_search_is_exact_by_field_and_any_case_by_criteria(moodle):
    uid = moodle.add_user("Anna@Noordwind.nl")
    exact = post(moodle, "core_user_get_users_by_field",
                 [("field", "email"), ("values[0]", "anna@noordwind.nl")]).json()
    assert exact == []
    found = post(moodle, "core_user_get_users", [("criteria[0][key]", "email"),
                                                  ("criteria[0][value]", "ANNA@noordwind.nl")])
    assert [user["id"] for user in found.json()["users"]] == [uid]


def test_without_viewuseridentity_an_email_search_finds_nobody(moodle):
    uid = moodle.add_user("anna@noordwind.nl")
    moodle.capabilities.discard("moodle/site:viewuseridentity")
    by_email = post(moodle, "core_user_get_users_by_field",
                    [("field", "email"), ("values[0]", "anna@noordwind.nl")]).json()
    by_id = post(moodle, "core_user_get_users_by_field",
                 [("field", "id"), ("values[0]", str(uid))]).json()
    assert by_email == []
    assert by_id[0]["id"] == uid and "email" not in by_id[0]


def test_a_completion_for_a_user_who_does_not_exist_is_accepted_as_moodle_does(moodle):
    cmid = moodle.add_cm(moodle.add_course())
    answer = post(moodle, "core_completion_override_activity_completion_status",
                  [("userid", "99999"), ("cmid", str(cmid)), ("newstate", "1")]).json()
    assert answer["state"] == 1
    assert (99999, cmid) in moodle.completions


def test_a_manual_activity_refuses_complete_pass(moodle):
    cmid = moodle.add_cm(moodle.add_course(), tracking=1)
    answer = post(moodle, "core_completion_override_activity_completion_status",
                  [("userid", "2"), ("cmid", str(cmid)), ("newstate", "2")]).json()
    assert answer["errorcode"] == "err_system"


def test_a_failed_message_is_msgid_minus_one_inside_a_200(moodle):
    uid = moodle.add_user("anna@noordwind.nl")
    moodle.blocked.add(uid)
    answer = post(moodle, "core_message_send_instant_messages", [
        ("messages[0][touserid]", str(uid)), ("messages[0][text]", "Hallo"),
        ("messages[1][touserid]", "99999"), ("messages[1][text]", "Hallo")])
    assert answer.status_code == 200
    first, second = answer.json()
    assert first["msgid"] == -1 and "message preferences" in first["errormessage"]
    assert second["errormessage"] == ("You cannot send a message to a user ID (99999) that "
                                      "doesn't exist.")
    assert moodle.messages == []

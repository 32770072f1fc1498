"""State, Activity Profile and Agent Profile resources (Communication §2.2, §2.3, §2.6, §2.7,
§3.1) through the Flask test client, on SQLite and PostgreSQL."""

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from tests.integration.conftest import XAPIClient
from tests.integration.http_checks import assert_head_like_get, assert_recent_http_date

ACTIVITY = "https://learning.example.nl/modules/onboarding-101"
AGENT = {"objectType": "Agent", "mbox": "mailto:anna@example.nl"}
REGISTRATION = "6f0c8d5e-2a4b-4c1d-9e8f-0a1b2c3d4e5f"


def state_url(state_id=None, agent=AGENT, activity=ACTIVITY, **extra):
    params = {"activityId": activity, "agent": json.dumps(agent), **extra}
    if state_id is not None:
        params["stateId"] = state_id
    return "/xapi/activities/state?" + urlencode(params)


def activity_profile_url(profile_id=None, activity=ACTIVITY, **extra):
    params = {"activityId": activity, **extra}
    if profile_id is not None:
        params["profileId"] = profile_id
    return "/xapi/activities/profile?" + urlencode(params)


def agent_profile_url(profile_id=None, agent=AGENT, **extra):
    params = {"agent": json.dumps(agent), **extra}
    if profile_id is not None:
        params["profileId"] = profile_id
    return "/xapi/agents/profile?" + urlencode(params)


def etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest() + '"'  # noqa: S324 - the spec's ETag


JSON = {"Content-Type": "application/json"}
CREATE = {"If-None-Match": "*"}


# --- single documents: byte for byte, content type, ETag, Last-Modified ---------------------

@pytest.mark.parametrize("url, headers", [
    (state_url("bookmark"), {}),
    (activity_profile_url("settings"), CREATE),
    (agent_profile_url("preferences"), CREATE),
])
def test_put_then_get_returns_the_bytes_with_their_type_and_etag(xapi, url, headers):
    body = b"\x00\x01binary \xff document"
    before = datetime.now(UTC)
    put = xapi.put(url, data=body, headers={"Content-Type": "application/octet-stream",
                                            **headers})
    assert put.status_code == 204, put.get_json()
    got = xapi.get(url)
    assert got.status_code == 200
    assert got.data == body
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert got.headers["ETag"] == etag(body)
    assert_recent_http_date(got.headers["Last-Modified"], before)
    assert got.headers["X-Experience-API-Version"] == "1.0.3"


def test_head_answers_like_get_without_a_body(xapi):
    xapi.put(state_url("s"), data=b'{"a": 1}', headers=JSON)
    assert_head_like_get(xapi, state_url("s"), "Content-Type", "ETag", "Last-Modified")
    assert xapi.head(state_url("s")).headers["ETag"] == etag(b'{"a": 1}')


def test_get_of_a_missing_document_is_404(xapi):
    assert xapi.get(state_url("nothing-here")).status_code == 404
    assert xapi.get(activity_profile_url("nothing")).status_code == 404
    assert xapi.get(agent_profile_url("nothing")).status_code == 404


def test_put_replaces_the_whole_document(xapi):
    xapi.put(state_url("s"), data=b'{"a": 1, "b": 2}', headers=JSON)
    xapi.put(state_url("s"), data=b"plain text now", headers={"Content-Type": "text/plain"})
    got = xapi.get(state_url("s"))
    assert got.data == b"plain text now"
    assert got.headers["Content-Type"].startswith("text/plain")


def test_registration_keeps_states_apart(xapi):
    xapi.put(state_url("s"), data=b"none", headers={"Content-Type": "text/plain"})
    xapi.put(state_url("s", registration=REGISTRATION), data=b"with",
             headers={"Content-Type": "text/plain"})
    assert xapi.get(state_url("s")).data == b"none"
    assert xapi.get(state_url("s", registration=REGISTRATION)).data == b"with"
    assert xapi.get(state_url("s", registration=REGISTRATION.upper())).data == b"with"


def test_agents_with_the_same_ifi_share_documents(xapi):
    xapi.put(state_url("s", agent={"mbox": "mailto:Anna@EXAMPLE.nl"}), data=b"x",
             headers={"Content-Type": "text/plain"})
    assert xapi.get(state_url("s", agent={"mbox": "mailto:Anna@example.nl",
                                          "name": "Anna"})).data == b"x"
    assert xapi.get(state_url("s", agent={"mbox": "mailto:other@example.nl"})).status_code == 404


# --- POST merges JSON objects (§2.2.s7, §2.2.s8) ---------------------------------------------

def test_post_merges_top_level_properties(xapi):
    xapi.post(state_url("s"), data=b'{"x": "foo", "y": "bar"}', headers=JSON)
    merged = xapi.post(state_url("s"), data=b'{"x": "bash", "z": "faz"}', headers=JSON)
    assert merged.status_code == 204
    assert xapi.get(state_url("s")).get_json() == {"x": "bash", "y": "bar", "z": "faz"}


def test_post_replaces_nested_objects_whole(xapi):
    xapi.post(activity_profile_url("p"), data=b'{"o": {"a": 1, "b": 2}}', headers=JSON)
    xapi.post(activity_profile_url("p"), data=b'{"o": {"c": 3}}', headers=JSON)
    assert xapi.get(activity_profile_url("p")).get_json() == {"o": {"c": 3}}


@pytest.mark.parametrize("stored, stored_type, posted, posted_type", [
    (b'{"a": 1}', "application/json", b"text", "text/plain"),
    (b"text", "text/plain", b'{"a": 1}', "application/json"),
    (b'{"a": 1}', "application/json", b"[1, 2]", "application/json"),
    (b'{"a": 1}', "application/json", b"{not json", "application/json"),
])
def test_post_that_cannot_merge_is_400_and_changes_nothing(xapi, stored, stored_type, posted,
                                                           posted_type):
    xapi.put(state_url("s"), data=stored, headers={"Content-Type": stored_type})
    refused = xapi.post(state_url("s"), data=posted, headers={"Content-Type": posted_type})
    assert refused.status_code == 400
    assert refused.get_json()["error"]
    assert xapi.get(state_url("s")).data == stored


def test_post_creating_a_json_document_must_send_an_object(xapi):
    assert xapi.post(state_url("s"), data=b"[1]", headers=JSON).status_code == 400
    assert xapi.get(state_url("s")).status_code == 404


def test_post_with_charset_in_content_type_still_merges(xapi):
    typed = {"Content-Type": "application/json; charset=utf-8"}
    xapi.post(state_url("s"), data=b'{"a": 1}', headers=typed)
    assert xapi.post(state_url("s"), data=b'{"b": 2}', headers=typed).status_code == 204
    assert xapi.get(state_url("s")).get_json() == {"a": 1, "b": 2}


# --- concurrency (§3.1) ----------------------------------------------------------------------

def test_profile_put_without_precondition_on_an_existing_document_is_409(xapi):
    url = agent_profile_url("p")
    assert xapi.put(url, data=b'{"v": 1}', headers={**JSON, **CREATE}).status_code == 204
    conflict = xapi.put(url, data=b'{"v": 2}', headers=JSON)
    assert conflict.status_code == 409
    assert "If-Match" in conflict.get_json()["error"]
    assert xapi.get(url).get_json() == {"v": 1}


def test_profile_put_without_precondition_on_a_new_document_is_400(xapi):
    refused = xapi.put(activity_profile_url("p"), data=b"{}", headers=JSON)
    assert refused.status_code == 400
    assert xapi.get(activity_profile_url("p")).status_code == 404


def test_state_put_needs_no_precondition(xapi):
    assert xapi.put(state_url("s"), data=b"{}", headers=JSON).status_code == 204
    assert xapi.put(state_url("s"), data=b'{"a": 1}', headers=JSON).status_code == 204


@pytest.mark.parametrize("url", [state_url("s"), activity_profile_url("p"),
                                 agent_profile_url("p")])
def test_if_match_and_if_none_match(xapi, url):
    first = b'{"v": 1}'
    assert xapi.put(url, data=first, headers={**JSON, **CREATE}).status_code == 204
    # If-None-Match: * on an existing document
    assert xapi.put(url, data=b"{}", headers={**JSON, **CREATE}).status_code == 412
    # a stale ETag
    stale = {"If-Match": etag(b"something else")}
    assert xapi.put(url, data=b"{}", headers={**JSON, **stale}).status_code == 412
    assert xapi.post(url, data=b'{"w": 1}', headers={**JSON, **stale}).status_code == 412
    assert xapi.delete(url, headers=stale).status_code == 412
    assert xapi.get(url).data == first
    # the current ETag
    current = {"If-Match": xapi.get(url).headers["ETag"]}
    assert xapi.put(url, data=b'{"v": 2}', headers={**JSON, **current}).status_code == 204
    assert xapi.get(url).get_json() == {"v": 2}
    assert xapi.delete(url, headers={"If-Match": etag(b'{"v": 2}')}).status_code == 204
    assert xapi.get(url).status_code == 404


def test_if_match_on_a_missing_document_fails(xapi):
    url = activity_profile_url("p")
    assert xapi.put(url, data=b"{}", headers={**JSON, "If-Match": "*"}).status_code == 412
    assert xapi.put(url, data=b"{}", headers={**JSON, "If-Match": etag(b"{}")}).status_code == 412


# --- multiple documents ----------------------------------------------------------------------

def test_ids_list_with_since_and_last_modified(xapi):
    before = datetime.now(UTC)
    xapi.put(state_url("a"), data=b"1", headers={"Content-Type": "text/plain"})
    xapi.put(state_url("b"), data=b"2", headers={"Content-Type": "text/plain"})
    listed = xapi.get(state_url())
    assert listed.status_code == 200
    assert sorted(listed.get_json()) == ["a", "b"]
    assert_recent_http_date(listed.headers["Last-Modified"], before)
    assert listed.headers["ETag"] == etag(listed.data)
    assert xapi.get(state_url(since="2999-01-01T00:00:00Z")).get_json() == []
    assert sorted(xapi.get(state_url(since="2000-01-01T00:00:00Z")).get_json()) == ["a", "b"]


def test_profile_ids_are_per_activity_and_agent(xapi):
    xapi.put(activity_profile_url("p1"), data=b"1", headers=CREATE)
    xapi.put(activity_profile_url("p2", activity=ACTIVITY + "/other"), data=b"2", headers=CREATE)
    xapi.put(agent_profile_url("q1"), data=b"3", headers=CREATE)
    assert xapi.get(activity_profile_url()).get_json() == ["p1"]
    assert xapi.get(agent_profile_url()).get_json() == ["q1"]
    other = {"mbox": "mailto:nobody@example.nl"}
    assert xapi.get(agent_profile_url(agent=other)).get_json() == []


def test_state_delete_without_state_id_clears_the_context(xapi):
    text = {"Content-Type": "text/plain"}
    xapi.put(state_url("a"), data=b"1", headers=text)
    xapi.put(state_url("b", registration=REGISTRATION), data=b"2", headers=text)
    xapi.put(state_url("c", agent={"mbox": "mailto:other@example.nl"}), data=b"3", headers=text)
    # with a registration: only that registration's states
    assert xapi.delete(state_url(registration=REGISTRATION)).status_code == 204
    assert xapi.get(state_url("b", registration=REGISTRATION)).status_code == 404
    assert xapi.get(state_url("a")).status_code == 200
    # without: every state of the activity and agent; another agent's states stay
    assert xapi.delete(state_url()).status_code == 204
    assert xapi.get(state_url("a")).status_code == 404
    assert xapi.get(state_url("c", agent={"mbox": "mailto:other@example.nl"})).status_code == 200


def test_profile_delete_needs_a_profile_id(xapi):
    assert xapi.delete(activity_profile_url()).status_code == 400
    assert xapi.delete(agent_profile_url()).status_code == 400


# --- bad requests ----------------------------------------------------------------------------

@pytest.mark.parametrize("url, message", [
    ("/xapi/activities/state?" + urlencode({"agent": json.dumps(AGENT), "stateId": "s"}),
     "activityId: required"),
    ("/xapi/activities/state?" + urlencode({"activityId": ACTIVITY, "stateId": "s"}),
     "agent: required"),
    (state_url("s", activity="not an iri"), "activityId: must be an IRI"),
    (state_url("s", agent={"mbox": "anna@example.nl"}), "agent: "),
    ("/xapi/activities/state?" + urlencode({"activityId": ACTIVITY, "agent": "{not json",
                                            "stateId": "s"}), "agent: must be"),
    (state_url("s", registration="not-a-uuid"), "registration: must be a UUID"),
    (state_url("s", since="2026-01-01T00:00:00Z"), "since: not a parameter"),
    (state_url(since="yesterday"), "since: must be an ISO 8601 timestamp"),
    (activity_profile_url("p", extra="1"), "extra: not a parameter"),
    ("/xapi/agents/profile?profileId=p", "agent: required"),
])
def test_bad_parameters_are_400_naming_the_parameter(xapi, url, message):
    response = xapi.get(url)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_missing_version_header_is_400_on_every_document_resource(xapi):
    without = {k: v for k, v in xapi.headers.items() if k != "X-Experience-API-Version"}
    for url in (state_url("s"), activity_profile_url("p"), agent_profile_url("p")):
        response = xapi.client.get(url, headers=without)
        assert response.status_code == 400
        assert "X-Experience-API-Version" in response.get_json()["error"]


def test_document_larger_than_the_limit_is_413_and_not_stored(xapi, services):
    big = b"x" * (services.settings.max_body_bytes + 1)
    response = xapi.put(state_url("s"), data=big, headers={"Content-Type": "text/plain"})
    assert response.status_code == 413
    assert xapi.get(state_url("s")).status_code == 404


def test_alternate_syntax_puts_a_state_document(xapi):
    form = {"activityId": ACTIVITY, "agent": json.dumps(AGENT), "stateId": "s",
            "Content-Type": "application/json", "content": '{"via": "form"}',
            **xapi.headers}
    response = xapi.client.post("/xapi/activities/state?method=PUT", data=form,
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204, response.get_json()
    assert xapi.get(state_url("s")).get_json() == {"via": "form"}


@pytest.mark.parametrize("url, headers", [
    (state_url("a\x00b"), {"Content-Type": "text/plain"}),
    (state_url("s", agent={"account": {"homePage": "https://lms.example.nl", "name": "u\x00"}}),
     {"Content-Type": "text/plain"}),
])
def test_nul_characters_are_refused_not_a_500(xapi, url, headers):
    response = xapi.put(url, data=b"x", headers=headers)
    assert response.status_code == 400
    assert "NUL" in response.get_json()["error"]


@pytest.mark.parametrize("content_type", ["text/plain\x00", "text/" + "x" * 300])
def test_a_content_type_that_cannot_be_stored_or_sent_back_is_400(xapi, content_type):
    response = xapi.put(state_url("s"), data=b"x", headers={"Content-Type": content_type})
    assert response.status_code == 400
    assert "Content-Type: must be printable ASCII" in response.get_json()["error"]
    assert xapi.get(state_url("s")).status_code == 404


@pytest.mark.parametrize("field, value", [("Content-Type", "text/plain€"),
                                          ("Content-Type", "text/plain\x01"),
                                          ("If-Match", '"abc"\r\nX-Evil: 1')])
def test_alternate_syntax_header_fields_are_checked(xapi, field, value):
    form = {"activityId": ACTIVITY, "agent": json.dumps(AGENT), "stateId": "s",
            "content": "x", **xapi.headers, field: value}
    response = xapi.client.post("/xapi/activities/state?method=PUT", data=form,
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert xapi.get(state_url("s")).status_code == 404


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_timestamps_outside_the_calendar_are_400(xapi, since):
    assert xapi.get(state_url(since=since)).status_code == 400
    assert xapi.get("/xapi/statements?" + urlencode({"since": since})).status_code == 400


def test_concurrent_creates_with_if_none_match_let_exactly_one_win(app, services):
    key, secret = services.credentials.add("racer", ["all"])
    url = agent_profile_url("race")

    def create(n: int) -> int:
        client = XAPIClient(app.test_client(), key, secret)  # one client per thread
        return client.put(url, data=b'{"n": %d}' % n, headers={**JSON, **CREATE}).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(create, range(16)))
    assert statuses == [204] + [412] * 15
    winner = XAPIClient(app.test_client(), key, secret).get(url).get_json()["n"]
    assert 0 <= winner < 16

"""xAPI 2.0.0 beside 1.0.3 on the same endpoint: each rule that differs, tried both ways."""

import json
from urllib.parse import urlencode

import pytest

from tests.integration.statements_helpers import make_statement, new_id
from tests.integration.test_documents import JSON, state_url

V2 = {"X-Experience-API-Version": "2.0.0"}
V1 = {"X-Experience-API-Version": "1.0.3"}

INSTRUCTOR = {"objectType": "Agent", "mbox": "mailto:ines@example.com", "name": "Ines"}
TEAM = {"objectType": "Group", "name": "Team Noord", "mbox": "mailto:noord@example.com",
        "member": [{"mbox": "mailto:piet@example.com", "name": "Piet"}]}
INSTRUCTOR_TYPE = "https://example.com/activity-types/instructor"


def context_agents() -> dict:
    return {"contextAgents": [{"objectType": "contextAgent", "agent": INSTRUCTOR,
                               "relevantTypes": [INSTRUCTOR_TYPE]}],
            "contextGroups": [{"objectType": "contextGroup", "group": TEAM}]}


def statement_2(**extra) -> dict:
    return make_statement(context=context_agents(), **extra)


def _get_one(xapi, statement_id: str, headers: dict, **params):
    query = urlencode({"statementId": statement_id, **params})
    response = xapi.get(f"/xapi/statements?{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_about_lists_2_0_0_and_the_answer_names_the_request_version(xapi):
    about = xapi.client.get("/xapi/about").get_json()
    assert about["version"] == ["2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    assert xapi.client.get("/xapi/about", headers=V2).get_json()["version"][0] == "2.0.0"
    # A 1.0.x client is told the 1.0.x versions only: TinCanPython refuses others.
    assert xapi.client.get("/xapi/about", headers=V1).get_json()["version"] == [
        "1.0.3", "1.0.2", "1.0.1", "1.0.0"]
    assert xapi.get("/xapi/statements", headers=V2).headers["X-Experience-API-Version"] == "2.0.0"
    assert xapi.get("/xapi/statements", headers={"X-Experience-API-Version": "2.0"}
                    ).headers["X-Experience-API-Version"] == "2.0.0"
    assert xapi.get("/xapi/statements", headers=V1).headers["X-Experience-API-Version"] == "1.0.3"
    # An error answers in the request's version too.
    refused = xapi.post("/xapi/statements", json={"actor": {}}, headers=V2)
    assert refused.status_code == 400
    assert refused.headers["X-Experience-API-Version"] == "2.0.0"


def test_context_agents_and_groups_are_stored_under_2_0_and_come_back_as_sent(xapi):
    statement = statement_2()
    assert xapi.post("/xapi/statements", json=statement, headers=V2).status_code == 200
    got = _get_one(xapi, statement["id"], V2)
    assert got["context"] == context_agents()


def test_context_agents_are_refused_under_1_0_3_with_the_property_named(xapi):
    response = xapi.post("/xapi/statements", json=statement_2(), headers=V1)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert "context.contextAgents: only allowed in xAPI 2.0.0" in error
    assert "context.contextGroups: only allowed in xAPI 2.0.0" in error


def test_a_substatement_may_have_context_agents_under_2_0_only(xapi):
    inner = make_statement(context=context_agents())
    del inner["id"]
    statement = make_statement(object={"objectType": "SubStatement", **inner})
    assert xapi.post("/xapi/statements", json=statement, headers=V2).status_code == 200
    refused = xapi.post("/xapi/statements", json={**statement, "id": new_id()}, headers=V1)
    assert refused.status_code == 400
    assert "object.context.contextAgents: only allowed in xAPI 2.0.0" in (
        refused.get_json()["error"])


@pytest.mark.parametrize(("entry", "problem"), [
    ({"objectType": "Agent", "agent": INSTRUCTOR},
     "context.contextAgents[0].objectType: must be contextAgent"),
    ({"objectType": "contextAgent"}, "context.contextAgents[0].agent: is required"),
    ({"objectType": "contextAgent", "agent": TEAM},
     "context.contextAgents[0].agent.objectType: must be Agent"),
    ({"objectType": "contextAgent", "agent": INSTRUCTOR, "relevantTypes": []},
     "context.contextAgents[0].relevantTypes: must be an array of at least one item"),
    ({"objectType": "contextAgent", "agent": INSTRUCTOR, "relevantTypes": ["abc"]},
     "context.contextAgents[0].relevantTypes[0]: must be an IRI"),
])
def test_a_bad_context_agent_is_refused_naming_the_path(xapi, entry, problem):
    statement = make_statement(context={"contextAgents": [entry]})
    response = xapi.post("/xapi/statements", json=statement, headers=V2)
    assert response.status_code == 400
    assert problem in response.get_json()["error"]


def test_a_context_group_must_hold_a_group(xapi):
    statement = make_statement(context={"contextGroups": [
        {"objectType": "contextGroup", "group": INSTRUCTOR}]})
    response = xapi.post("/xapi/statements", json=statement, headers=V2)
    assert response.status_code == 400
    assert "context.contextGroups[0].group.objectType: must be Group" in (
        response.get_json()["error"])


def test_statement_version_2_0_0_is_accepted_under_2_0_only_and_kept(xapi):
    statement = make_statement(version="2.0.0")
    assert xapi.post("/xapi/statements", json=statement, headers=V2).status_code == 200
    assert _get_one(xapi, statement["id"], V2)["version"] == "2.0.0"
    refused = xapi.post("/xapi/statements", json={**statement, "id": new_id()}, headers=V1)
    assert refused.status_code == 400
    assert refused.get_json()["error"].startswith("version: must be 1.0 or 1.0.x")
    # A 1.0.x statement is a 2.0 statement too.
    older = make_statement(version="1.0.1")
    assert xapi.post("/xapi/statements", json=older, headers=V2).status_code == 200
    assert _get_one(xapi, older["id"], V2)["version"] == "1.0.1"
    bad = xapi.post("/xapi/statements", json=make_statement(version="2.1.0"), headers=V2)
    assert bad.status_code == 400


def test_a_statement_without_version_gets_the_version_of_its_request(xapi):
    under_2, under_1 = make_statement(), make_statement()
    assert xapi.post("/xapi/statements", json=under_2, headers=V2).status_code == 200
    assert xapi.post("/xapi/statements", json=under_1, headers=V1).status_code == 200
    assert _get_one(xapi, under_2["id"], V2)["version"] == "2.0.0"
    assert _get_one(xapi, under_1["id"], V2)["version"] == "1.0.0"


def test_statements_are_returned_as_stored_under_either_version(xapi):
    statement = statement_2()
    xapi.post("/xapi/statements", json=statement, headers=V2)
    older = make_statement()
    xapi.post("/xapi/statements", json=older, headers=V1)
    # A 1.0.3 client reads the 2.0 statement as stored; its version says what it is.
    got = _get_one(xapi, statement["id"], V1)
    assert (got["version"], got["context"]) == ("2.0.0", context_agents())
    assert _get_one(xapi, older["id"], V2)["version"] == "1.0.0"


@pytest.mark.parametrize("agent", [INSTRUCTOR, {"mbox": "mailto:piet@example.com"},
                                   {"objectType": "Group", "mbox": "mailto:noord@example.com"}])
def test_related_agents_reach_context_agents_and_groups(xapi, agent):
    statement = statement_2()
    xapi.post("/xapi/statements", json=statement, headers=V2)
    query = {"agent": json.dumps(agent)}
    narrow = xapi.get("/xapi/statements?" + urlencode(query), headers=V2).get_json()
    assert narrow["statements"] == []  # the agent filter is the actor or object only
    broad = xapi.get("/xapi/statements?" + urlencode({**query, "related_agents": "true"}),
                     headers=V2).get_json()
    assert [s["id"] for s in broad["statements"]] == [statement["id"]]


def test_format_ids_reduces_context_agents_and_groups(xapi):
    statement = statement_2()
    xapi.post("/xapi/statements", json=statement, headers=V2)
    got = _get_one(xapi, statement["id"], V2, format="ids")
    assert got["context"]["contextAgents"] == [
        {"objectType": "contextAgent",
         "agent": {"objectType": "Agent", "mbox": "mailto:ines@example.com"},
         "relevantTypes": [INSTRUCTOR_TYPE]}]
    assert got["context"]["contextGroups"] == [
        {"objectType": "contextGroup",
         "group": {"objectType": "Group", "mbox": "mailto:noord@example.com"}}]


def test_a_put_with_other_context_agents_under_the_same_id_is_a_conflict(xapi):
    statement = statement_2()
    url = f"/xapi/statements?statementId={statement['id']}"
    assert xapi.put(url, json=statement, headers=V2).status_code == 204
    assert xapi.put(url, json=statement, headers=V2).status_code == 204  # the same again
    other = {**statement, "context": {"contextAgents": [
        {"objectType": "contextAgent", "agent": {"mbox": "mailto:someone@example.com"}}]}}
    assert xapi.put(url, json=other, headers=V2).status_code == 409


def test_a_state_put_without_concurrency_headers_over_a_document_is_409_under_2_0(xapi):
    url = state_url("bookmark")
    # Creating needs no header, in either version.
    assert xapi.put(url, data=b'{"page": 1}', headers={**JSON, **V2}).status_code == 204
    refused = xapi.put(url, data=b'{"page": 2}', headers={**JSON, **V2})
    assert refused.status_code == 409
    assert "If-Match" in refused.get_json()["error"]
    assert xapi.get(url, headers=V2).get_json() == {"page": 1}  # unchanged
    etag = xapi.get(url, headers=V2).headers["ETag"]
    assert xapi.put(url, data=b'{"page": 3}',
                    headers={**JSON, **V2, "If-Match": etag}).status_code == 204
    assert xapi.get(url, headers=V2).get_json() == {"page": 3}
    # 1.0.3 exempts the State resource: the same PUT replaces the document.
    assert xapi.put(url, data=b'{"page": 4}', headers={**JSON, **V1}).status_code == 204
    assert xapi.get(url, headers=V1).get_json() == {"page": 4}


@pytest.mark.parametrize(("path", "method"), [("/xapi/statements", "GET"),
                                               ("/xapi/activities/state", "PUT"),
                                               ("/xapi/about", "GET")])
def test_the_alternate_syntax_is_refused_under_2_0(xapi, path, method):
    form = {"Authorization": xapi.headers["Authorization"], "X-Experience-API-Version": "2.0.0"}
    response = xapi.client.post(f"{path}?method={method}", data=urlencode(form),
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "alternate request syntax" in response.get_json()["error"]
    assert "not part of xAPI 2.0.0" in response.get_json()["error"]
    # The version given as a header (not a form field) is refused the same way.
    response = xapi.client.post(f"{path}?method={method}", data=urlencode({}),
                                content_type="application/x-www-form-urlencoded",
                                headers={**xapi.headers, **V2})
    assert response.status_code == 400
    assert "not part of xAPI 2.0.0" in response.get_json()["error"]


def test_the_alternate_syntax_still_works_under_1_0_3(xapi):
    statement = make_statement()
    xapi.post("/xapi/statements", json=statement, headers=V1)
    form = {"Authorization": xapi.headers["Authorization"], "X-Experience-API-Version": "1.0.3",
            "statementId": statement["id"]}
    response = xapi.client.post("/xapi/statements?method=GET", data=urlencode(form),
                                content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert response.get_json()["id"] == statement["id"]



# 9274.1.1 §4.2.7: under 2.0 the LRS converts timestamps to UTC; 1.0.3 (Data §4.5) only
# recommended it, and 1.0.x requests keep the timestamp as sent. 12:00 at -05:00 is 17:00 UTC;
# 02:00 at +03:00 on 4 May is 23:00 UTC on 3 May.
def test_timestamps_are_stored_in_utc_under_2_0_and_as_sent_under_1_0_3(xapi):
    inner = make_statement(timestamp="2023-05-04T02:00:00.250+03:00")
    del inner["id"]
    sub = {"objectType": "SubStatement", **inner}
    in_2 = make_statement(timestamp="2023-05-04T12:00:00.1234-05:00", object=sub)
    in_1 = make_statement(timestamp="2023-05-04T12:00:00.1234-05:00", object=sub)
    assert xapi.post("/xapi/statements", json=in_2, headers=V2).status_code == 200
    assert xapi.post("/xapi/statements", json=in_1, headers=V1).status_code == 200
    for reader in (V2, V1):  # each is returned as it was stored, to either reader
        got_2 = _get_one(xapi, in_2["id"], reader)
        assert got_2["timestamp"] == "2023-05-04T17:00:00.1234Z"
        assert got_2["object"]["timestamp"] == "2023-05-03T23:00:00.250Z"
        got_1 = _get_one(xapi, in_1["id"], reader)
        assert got_1["timestamp"] == "2023-05-04T12:00:00.1234-05:00"
        assert got_1["object"]["timestamp"] == "2023-05-04T02:00:00.250+03:00"


def test_resending_a_statement_with_its_local_timestamp_is_no_conflict_under_2_0(xapi):
    statement = make_statement(timestamp="2023-05-04T12:00:00-05:00")
    url = f"/xapi/statements?statementId={statement['id']}"
    assert xapi.put(url, json=statement, headers=V2).status_code == 204
    # The same instant, so the same statement (Data §2.3.1 comparison); nothing changes.
    assert xapi.put(url, json=statement, headers=V2).status_code == 204
    assert xapi.put(url, json={**statement, "timestamp": "2023-05-04T17:00:00+00:00"},
                    headers=V2).status_code == 204
    conflict = xapi.put(url, json={**statement, "timestamp": "2023-05-04T18:00:00Z"},
                        headers=V2)
    assert conflict.status_code == 409
    assert _get_one(xapi, statement["id"], V2)["timestamp"] == "2023-05-04T17:00:00Z"



# What 1.0.3 only recommended (SHOULD*) and 2.0 requires, tried under both versions.

@pytest.mark.parametrize("headers", [V1, V2], ids=["1.0.3", "2.0.0"])
def test_format_ids_leaves_out_every_display(xapi, headers):
    statement = make_statement()  # a verb display and an activity name
    assert xapi.post("/xapi/statements", json=statement, headers=headers).status_code == 200
    got = _get_one(xapi, statement["id"], headers, format="ids")
    assert got["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert got["object"] == {"id": "https://example.com/activities/privacy-basics"}


@pytest.mark.parametrize("headers", [V1, V2], ids=["1.0.3", "2.0.0"])
def test_no_limit_on_response_patterns_or_their_number(xapi, headers):
    long_answer = "[,]".join(f"choice-{n}" for n in range(2000))
    statement = make_statement(
        object={"id": "https://example.com/quiz/q1", "definition": {
            "interactionType": "choice",
            "correctResponsesPattern": [f"choice-{n}" for n in range(1000)],
            "choices": [{"id": f"choice-{n}", "description": {"en": f"Choice {n}"}}
                        for n in range(300)]}},
        result={"response": long_answer})
    assert xapi.post("/xapi/statements", json=statement, headers=headers).status_code == 200
    got = _get_one(xapi, statement["id"], headers)
    assert got["result"]["response"] == long_answer
    assert len(got["object"]["definition"]["correctResponsesPattern"]) == 1000


@pytest.mark.parametrize("headers", [V1, V2], ids=["1.0.3", "2.0.0"])
def test_a_timestamp_in_the_future_is_accepted_and_a_missing_one_is_stored(xapi, headers):
    later = make_statement(timestamp="2099-01-01T00:00:00.000Z")
    assert xapi.post("/xapi/statements", json=later, headers=headers).status_code == 200
    assert _get_one(xapi, later["id"], headers)["timestamp"] == "2099-01-01T00:00:00.000Z"
    bare = make_statement()
    assert "timestamp" not in bare
    assert xapi.post("/xapi/statements", json=bare, headers=headers).status_code == 200
    got = _get_one(xapi, bare["id"], headers)
    assert got["timestamp"] == got["stored"]


@pytest.mark.parametrize("headers", [V1, V2], ids=["1.0.3", "2.0.0"])
def test_statement_answers_carry_last_modified(xapi, headers):
    statement = make_statement()
    assert xapi.post("/xapi/statements", json=statement, headers=headers).status_code == 200
    one = xapi.get(f"/xapi/statements?statementId={statement['id']}", headers=headers)
    listed = xapi.get("/xapi/statements", headers=headers)
    assert one.headers["Last-Modified"] == listed.headers["Last-Modified"]
    assert one.headers["Last-Modified"].endswith(" GMT")

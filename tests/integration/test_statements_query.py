"""GET /xapi/statements: filters, paging, formats and headers."""

import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import pytest

from tests.integration.http_checks import assert_head_like_get
from tests.integration.statements_helpers import make_statement, new_id

ACT = "https://example.com/activities/"


def _query(xapi, **params):
    query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items())
    response = xapi.get(f"/xapi/statements?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _ids(result):
    return [s["id"] for s in result["statements"]]


def _post(xapi, *statements):
    response = xapi.post("/xapi/statements", json=list(statements))
    assert response.status_code == 200, response.get_json()


def test_results_are_newest_first_and_ascending_reverses(xapi):
    first, second = make_statement(), make_statement()
    _post(xapi, first)
    _post(xapi, second)
    assert _ids(_query(xapi))[:2] == [second["id"], first["id"]]
    assert _ids(_query(xapi, ascending="true"))[:2] == [first["id"], second["id"]]


def test_empty_result_is_a_statement_result_with_no_statements(xapi):
    result = _query(xapi, verb="http://example.com/verbs/never")
    assert result == {"statements": [], "more": ""}


def test_verb_filter(xapi):
    done, failed = make_statement(verb="completed"), make_statement(verb="failed")
    _post(xapi, done, failed)
    assert _ids(_query(xapi, verb="http://adlnet.gov/expapi/verbs/failed")) == [failed["id"]]


def test_agent_filter_matches_actor_object_and_group_members(xapi):
    as_actor = make_statement(actor="kees@example.com")
    as_object = make_statement()
    as_object["object"] = {"objectType": "Agent", "mbox": "mailto:kees@example.com"}
    in_group = make_statement()
    in_group["actor"] = {"objectType": "Group", "member": [{"mbox": "mailto:kees@example.com"}]}
    other = make_statement(actor="someone@example.com")
    _post(xapi, as_actor, as_object, in_group, other)
    agent = json.dumps({"mbox": "mailto:kees@example.com"})
    assert set(_ids(_query(xapi, agent=agent))) == {
        as_actor["id"], as_object["id"], in_group["id"]}


def test_related_agents_also_matches_instructor_and_authority(xapi):
    taught = make_statement(context={"instructor": {"mbox": "mailto:teacher@example.com"}})
    _post(xapi, taught)
    agent = json.dumps({"mbox": "mailto:teacher@example.com"})
    assert _ids(_query(xapi, agent=agent)) == []
    assert _ids(_query(xapi, agent=agent, related_agents="true")) == [taught["id"]]


def test_activity_filter_and_related_activities(xapi):
    direct = make_statement(activity=ACT + "course")
    child = make_statement(activity=ACT + "lesson-1", context={
        "contextActivities": {"parent": [{"id": ACT + "course"}]}})
    _post(xapi, direct, child)
    assert _ids(_query(xapi, activity=ACT + "course")) == [direct["id"]]
    assert set(_ids(_query(xapi, activity=ACT + "course", related_activities="true"))) == {
        direct["id"], child["id"]}


def test_registration_filter(xapi):
    registration = new_id()
    inside = make_statement(context={"registration": registration})
    _post(xapi, inside, make_statement())
    assert _ids(_query(xapi, registration=registration.upper())) == [inside["id"]]


def test_filters_combine(xapi):
    a = make_statement(actor="piet@example.com", verb="failed")
    b = make_statement(actor="piet@example.com", verb="completed")
    c = make_statement(actor="joke@example.com", verb="failed")
    _post(xapi, a, b, c)
    agent = json.dumps({"mbox": "mailto:piet@example.com"})
    assert _ids(_query(xapi, agent=agent, verb="http://adlnet.gov/expapi/verbs/failed")) == [
        a["id"]]


def test_since_is_exclusive_and_until_inclusive(xapi):
    first = make_statement()
    _post(xapi, first)
    stored = xapi.get(f"/xapi/statements?statementId={first['id']}").get_json()["stored"]
    time.sleep(0.005)
    second = make_statement()
    _post(xapi, second)
    assert first["id"] not in _ids(_query(xapi, since=stored))
    assert second["id"] in _ids(_query(xapi, since=stored))
    assert _ids(_query(xapi, until=stored)) == [first["id"]]


def test_statement_ref_targeting_a_match_is_returned_too(xapi):
    target = make_statement(actor="ben@example.com", activity=ACT + "explosives")
    confirm = make_statement(actor="andrew@example.com", verb="confirmed")
    confirm["object"] = {"objectType": "StatementRef", "id": target["id"]}
    _post(xapi, target, confirm)
    found = _ids(_query(xapi, activity=ACT + "explosives"))
    assert set(found) == {target["id"], confirm["id"]}
    agent = json.dumps({"mbox": "mailto:ben@example.com"})
    assert set(_ids(_query(xapi, agent=agent))) == {target["id"], confirm["id"]}


def test_statement_ref_stored_before_its_target_matches_once_the_target_arrives(xapi):
    target_id = new_id()
    confirm = make_statement(actor="andrew@example.com", verb="confirmed")
    confirm["object"] = {"objectType": "StatementRef", "id": target_id}
    _post(xapi, confirm)
    target = make_statement(activity=ACT + "late")
    target["id"] = target_id
    _post(xapi, target)
    assert set(_ids(_query(xapi, activity=ACT + "late"))) == {target_id, confirm["id"]}


def test_paging_with_more_is_complete_and_stable_while_statements_arrive(xapi):
    batch = [make_statement(activity=ACT + "paged") for _ in range(25)]
    _post(xapi, *batch)
    seen = []
    result = _query(xapi, activity=ACT + "paged", limit=10)
    while True:
        seen += _ids(result)
        _post(xapi, make_statement(activity=ACT + "paged"))  # arrives while paging
        if not result["more"]:
            break
        assert result["more"].startswith("/xapi/statements?more=")
        result = xapi.get(result["more"]).get_json()
    assert seen == [s["id"] for s in reversed(batch)]


def test_limit_zero_means_the_server_maximum(xapi):
    _post(xapi, *[make_statement(activity=ACT + "many") for _ in range(3)])
    assert len(_ids(_query(xapi, activity=ACT + "many", limit=0))) == 3


@pytest.mark.parametrize("params, named", [
    ({"limit": "-1"}, "limit: "), ({"limit": "ten"}, "limit: "),
    ({"since": "yesterday"}, "since: "), ({"format": "full"}, "format: "),
    ({"ascending": "yes"}, "ascending: "),
    ({"agent": "{\"mbox\": \"kees@example.com\"}"}, "agent: mbox: "),
    ({"agent": "not json"}, "agent: "), ({"registration": "not-a-uuid"}, "registration: "),
    ({"colour": "blue"}, "colour: "),
    ({"statementId": new_id(), "voidedStatementId": new_id()},
     "statementId and voidedStatementId "),
    ({"statementId": new_id(), "verb": "http://adlnet.gov/expapi/verbs/completed"}, "verb: "),
    ({"more": "garbage"}, "more: "),
])
def test_bad_query_parameters_are_400_naming_the_parameter(xapi, params, named):
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    response = xapi.get(f"/xapi/statements?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(named)


def test_ids_format_keeps_only_identifiers(xapi):
    statement = make_statement()
    _post(xapi, statement)
    got = xapi.get(f"/xapi/statements?statementId={statement['id']}&format=ids").get_json()
    assert got["actor"] == {"objectType": "Agent", "mbox": "mailto:anna@example.com"}
    assert got["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert got["object"] == {"id": statement["object"]["id"]}


def test_canonical_format_picks_one_language_by_accept_language(xapi):
    statement = make_statement()
    _post(xapi, statement)
    got = xapi.get(f"/xapi/statements?statementId={statement['id']}&format=canonical",
                   headers={"Accept-Language": "nl-NL, en;q=0.5"}).get_json()
    assert got["object"]["definition"]["name"] == {"nl-NL": "Privacy basis"}


def test_last_modified_is_when_the_newest_statement_was_stored(xapi):
    statement = make_statement()
    _post(xapi, statement)
    single = xapi.get(f"/xapi/statements?statementId={statement['id']}")
    stored = datetime.fromisoformat(single.get_json()["stored"])
    # HTTP dates have whole seconds.
    assert parsedate_to_datetime(single.headers["Last-Modified"]) == stored.replace(microsecond=0)
    assert xapi.get("/xapi/statements").headers["Last-Modified"] == single.headers["Last-Modified"]


def test_every_statements_response_is_consistent_through_now(xapi):
    statement = make_statement()
    _post(xapi, statement)
    single = xapi.get(f"/xapi/statements?statementId={statement['id']}")
    stored = datetime.fromisoformat(single.get_json()["stored"])
    responses = [single, xapi.get("/xapi/statements"), xapi.head("/xapi/statements"),
                 xapi.get(f"/xapi/statements?statementId={new_id()}"),
                 xapi.post("/xapi/statements", json={"not": "a statement"})]
    now = datetime.now(UTC)
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 400]
    for response in responses:
        # An ISO 8601 timestamp with its offset (Data §4.5), which fromisoformat reads.
        moment = datetime.fromisoformat(response.headers["X-Experience-API-Consistent-Through"])
        assert moment.utcoffset() == timedelta(0)  # the LRS writes every timestamp in UTC
        # Settled no earlier than the statement stored before the request (the header is
        # the last millisecond settled, hence the 1 ms), and nothing later can be promised
        # (the default consistency lag is 0).
        assert stored - timedelta(milliseconds=1) <= moment <= now


def test_head_answers_like_get_without_a_body(xapi):
    statement = make_statement()
    _post(xapi, statement)
    for path in (f"/xapi/statements?statementId={statement['id']}", "/xapi/statements"):
        assert_head_like_get(xapi, path, "Content-Type", "Last-Modified")
    assert xapi.head(f"/xapi/statements?statementId={new_id()}").status_code == 404


def test_unknown_statement_is_404(xapi):
    assert xapi.get(f"/xapi/statements?statementId={new_id()}").status_code == 404


def test_more_pages_keep_the_format_of_the_first(xapi):
    _post(xapi, *[make_statement(activity=ACT + "formatted") for _ in range(3)])
    first = _query(xapi, activity=ACT + "formatted", limit=2, format="ids")
    second = xapi.get(first["more"]).get_json()
    assert len(second["statements"]) == 1
    assert second["statements"][0]["object"] == {"id": ACT + "formatted"}
    assert second["more"] == ""

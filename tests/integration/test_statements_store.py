"""PUT and POST /xapi/statements: storing, conflicts, atomic batches, sizes."""

import base64
import json
from datetime import UTC, datetime, timedelta

from tests.integration.statements_helpers import make_statement, new_id


def _get(xapi, statement_id):
    return xapi.get(f"/xapi/statements?statementId={statement_id}")


def test_put_stores_the_statement_under_the_given_id(xapi):
    statement = make_statement()
    del statement["id"]
    sid = new_id()
    response = xapi.put(f"/xapi/statements?statementId={sid}", json=statement)
    assert response.status_code == 204
    stored = _get(xapi, sid).get_json()
    assert stored["id"] == sid
    assert stored["actor"] == statement["actor"]


def _authority_of(client, name: str, services) -> dict:
    """The authority the LRS sets for the client's credential, named `name`."""
    key = base64.b64decode(client.headers["Authorization"].split()[1]).decode().split(":")[0]
    return {"objectType": "Agent", "name": name,
            "account": {"homePage": services.settings.authority_home, "name": key}}


def test_stored_statement_gets_stored_timestamp_authority_and_version(make_xapi, services):
    client = make_xapi("all", name="exam-service")
    statement = make_statement()
    before = datetime.now(UTC)
    client.post("/xapi/statements", json=statement)
    stored = _get(client, statement["id"]).get_json()
    moment = datetime.fromisoformat(stored["stored"])
    assert moment.utcoffset() == timedelta(0)
    # Milliseconds are kept, so `stored` may read up to 1 ms before the clock did.
    assert before - timedelta(milliseconds=1) <= moment <= datetime.now(UTC)
    assert stored["timestamp"] == stored["stored"]
    assert stored["version"] == "1.0.0"
    assert stored["authority"] == _authority_of(client, "exam-service", services)


def test_submitted_authority_is_replaced_by_the_credentials(make_xapi, services):
    client = make_xapi("all", name="exam-service")
    statement = make_statement(authority={"mbox": "mailto:forger@example.com"})
    client.post("/xapi/statements", json=statement)
    stored = _get(client, statement["id"]).get_json()
    assert stored["authority"] == _authority_of(client, "exam-service", services)


def test_put_without_statement_id_is_rejected(xapi):
    response = xapi.put("/xapi/statements", json=make_statement())
    assert response.status_code == 400
    assert "statementId" in response.get_json()["error"]


def test_put_with_mismatching_id_is_rejected(xapi):
    response = xapi.put(f"/xapi/statements?statementId={new_id()}", json=make_statement())
    assert response.status_code == 400


def test_put_of_an_array_is_rejected(xapi):
    response = xapi.put(f"/xapi/statements?statementId={new_id()}", json=[make_statement()])
    assert response.status_code == 400


def test_post_returns_the_ids_in_order_including_generated_ones(xapi):
    first, second = make_statement(), make_statement()
    del second["id"]
    response = xapi.post("/xapi/statements", json=[first, second])
    assert response.status_code == 200
    ids = response.get_json()
    assert ids[0] == first["id"] and len(ids) == 2
    assert _get(xapi, ids[1]).status_code == 200


def test_resending_the_same_statement_is_accepted_and_changes_nothing(xapi):
    statement = make_statement()
    xapi.post("/xapi/statements", json=statement)
    before = _get(xapi, statement["id"]).get_json()
    again = xapi.post("/xapi/statements", json=statement)
    assert again.status_code == 200
    assert xapi.put(f"/xapi/statements?statementId={statement['id']}",
                    json=statement).status_code == 204
    assert _get(xapi, statement["id"]).get_json() == before


def test_same_id_with_other_content_is_a_conflict(xapi):
    statement = make_statement()
    xapi.post("/xapi/statements", json=statement)
    changed = {**statement, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    assert xapi.post("/xapi/statements", json=changed).status_code == 409
    assert xapi.put(f"/xapi/statements?statementId={statement['id']}",
                    json=changed).status_code == 409


def test_a_batch_with_an_invalid_statement_in_the_middle_stores_nothing(xapi):
    good_before, bad, good_after = make_statement(), make_statement(), make_statement()
    bad["actor"] = {"mbox": "anna@example.com"}
    response = xapi.post("/xapi/statements", json=[good_before, bad, good_after])
    assert response.status_code == 400
    assert "[1].actor.mbox" in response.get_json()["error"]
    assert _get(xapi, good_before["id"]).status_code == 404
    assert _get(xapi, good_after["id"]).status_code == 404


def test_a_batch_with_a_conflict_in_the_middle_stores_nothing(xapi):
    existing = make_statement()
    xapi.post("/xapi/statements", json=existing)
    first, last = make_statement(), make_statement()
    clash = {**existing, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    assert xapi.post("/xapi/statements", json=[first, clash, last]).status_code == 409
    assert _get(xapi, first["id"]).status_code == 404
    assert _get(xapi, last["id"]).status_code == 404


def test_a_batch_with_a_repeated_id_is_rejected(xapi):
    statement = make_statement()
    response = xapi.post("/xapi/statements", json=[statement, dict(statement)])
    assert response.status_code == 400
    assert _get(xapi, statement["id"]).status_code == 404


def test_a_batch_over_the_maximum_is_413_with_the_limit_named(xapi):
    response = xapi.post("/xapi/statements", json=[make_statement() for _ in range(51)])
    assert response.status_code == 413
    assert "50" in response.get_json()["error"]


def test_a_body_over_the_maximum_is_413(xapi):
    big = make_statement(result={"response": "x" * (3 * 1024 * 1024)})
    response = xapi.post("/xapi/statements", json=big)
    assert response.status_code == 413
    assert "maximum" in response.get_json()["error"]


def test_invalid_json_is_400(xapi):
    response = xapi.post("/xapi/statements", data=b"{not json",
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]


def test_other_content_types_are_refused(xapi):
    response = xapi.post("/xapi/statements", data=json.dumps(make_statement()),
                         headers={"Content-Type": "text/plain"})
    assert response.status_code == 400


def test_validation_error_names_the_property_path(xapi):
    statement = make_statement()
    statement["actor"]["mbox"] = "anna@example.com"
    response = xapi.post("/xapi/statements", json=statement)
    assert response.status_code == 400
    assert "actor.mbox" in response.get_json()["error"]


def test_unknown_property_is_rejected(xapi):
    response = xapi.post("/xapi/statements", json=make_statement(colour="blue"))
    assert response.status_code == 400
    assert "colour" in response.get_json()["error"]

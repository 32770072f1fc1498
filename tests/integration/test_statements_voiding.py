"""Voided statements (Communication §2.1.4, Data §2.3.2)."""

from tests.integration.statements_helpers import make_statement, new_id, voiding

ACT = "https://example.com/activities/voiding"


def _post(xapi, *statements):
    response = xapi.post("/xapi/statements", json=list(statements))
    assert response.status_code == 200, response.get_json()


def _ids(xapi, query=""):
    return [s["id"] for s in xapi.get(f"/xapi/statements?{query}").get_json()["statements"]]


def test_voided_statement_is_hidden_but_retrievable_by_voided_statement_id(xapi):
    target = make_statement(activity=ACT)
    _post(xapi, target)
    void = voiding(target["id"])
    _post(xapi, void)
    assert xapi.get(f"/xapi/statements?statementId={target['id']}").status_code == 404
    got = xapi.get(f"/xapi/statements?voidedStatementId={target['id']}")
    assert got.status_code == 200 and got.get_json()["id"] == target["id"]
    assert target["id"] not in _ids(xapi)
    assert void["id"] in _ids(xapi)


def test_voided_statement_id_of_a_statement_that_is_not_voided_is_404(xapi):
    target = make_statement()
    _post(xapi, target)
    assert xapi.get(f"/xapi/statements?voidedStatementId={target['id']}").status_code == 404


def test_voiding_statement_still_matches_the_filters_of_its_target(xapi):
    target = make_statement(activity=ACT + "/filtered")
    void = voiding(target["id"])
    _post(xapi, target, void)
    assert _ids(xapi, f"activity={ACT}/filtered") == [void["id"]]


def test_a_voiding_statement_cannot_be_voided(xapi):
    target = make_statement()
    first = voiding(target["id"])
    _post(xapi, target, first)
    second = voiding(first["id"])
    _post(xapi, second)
    assert xapi.get(f"/xapi/statements?statementId={first['id']}").status_code == 200


def test_voiding_before_the_target_arrives_voids_it_on_arrival(xapi):
    target = make_statement()
    _post(xapi, voiding(target["id"]))
    _post(xapi, target)
    assert xapi.get(f"/xapi/statements?statementId={target['id']}").status_code == 404
    assert xapi.get(f"/xapi/statements?voidedStatementId={target['id']}").status_code == 200


def test_voiding_an_unknown_statement_is_accepted(xapi):
    assert xapi.post("/xapi/statements", json=voiding(new_id())).status_code == 200


def test_voided_verb_requires_a_statement_ref(xapi):
    bad = voiding(new_id())
    bad["object"] = {"objectType": "Activity", "id": ACT}
    assert xapi.post("/xapi/statements", json=bad).status_code == 400

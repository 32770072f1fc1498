"""Whatever JSON arrives, the Statements resource answers 200 or a 4xx, never a 500."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.statements_helpers import make_statement

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["id", "actor", "verb", "object", "mbox", "objectType",
                                       "result", "context", "name", "x"]), children, max_size=4),
    max_leaves=12,
)


def _mutated(statement: dict, path: list[str], value):
    target = statement
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target
    if isinstance(target, dict):
        target[path[-1]] = value
    return statement


_paths = st.sampled_from([
    ["actor"], ["actor", "mbox"], ["actor", "objectType"], ["verb"], ["verb", "display"],
    ["object"], ["object", "objectType"], ["object", "definition"], ["result"],
    ["result", "score"], ["context"], ["context", "contextActivities"], ["timestamp"],
    ["attachments"], ["authority"], ["id"], ["version"],
])

_lenient = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@_lenient
@given(body=_json)
def test_any_json_body_gets_a_4xx_or_200(xapi, body):
    response = xapi.post("/xapi/statements", data=json.dumps(body),
                         headers={"Content-Type": "application/json"})
    assert response.status_code in (200, 400, 409, 413), response.get_data(as_text=True)


@_lenient
@given(path=_paths, value=_json)
def test_a_statement_with_any_property_replaced_gets_a_4xx_or_200(xapi, path, value):
    statement = _mutated(make_statement(), path, value)
    response = xapi.post("/xapi/statements", json=statement)
    assert response.status_code in (200, 400, 409), response.get_data(as_text=True)
    if response.status_code == 400:
        assert response.get_json()["error"]


@_lenient
@given(params=st.dictionaries(
    st.sampled_from(["agent", "verb", "activity", "registration", "since", "until", "limit",
                     "format", "ascending", "related_agents", "statementId", "more"]),
    st.text(max_size=30), max_size=4))
def test_any_query_parameters_get_a_4xx_or_200(xapi, params):
    response = xapi.get("/xapi/statements", query_string=params)
    assert response.status_code in (200, 400, 404), response.get_data(as_text=True)


def test_a_nul_character_in_a_string_is_stored_or_refused_cleanly(xapi):
    statement = make_statement()
    statement["actor"]["name"] = "Anna\u0000"
    response = xapi.post("/xapi/statements", json=statement)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        got = xapi.get(f"/xapi/statements?statementId={statement['id']}").get_json()
        assert got["actor"]["name"] == "Anna\u0000"

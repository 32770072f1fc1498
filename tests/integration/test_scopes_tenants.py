"""Every scope on every resource, and tenants that cannot see each other (Communication §4.2)."""

import json
from urllib.parse import urlencode

import pytest

from tests.integration.statements_helpers import make_statement

ACTIVITY = "https://example.com/activities/privacy-basics"
AGENT = json.dumps({"mbox": "mailto:anna@example.com"})
STATE = "/xapi/activities/state?" + urlencode(
    {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"})
ACTIVITY_PROFILE = "/xapi/activities/profile?" + urlencode(
    {"activityId": ACTIVITY, "profileId": "p"})
AGENT_PROFILE = "/xapi/agents/profile?" + urlencode({"agent": AGENT, "profileId": "p"})
ACTIVITIES = "/xapi/activities?" + urlencode({"activityId": ACTIVITY})
AGENTS = "/xapi/agents?" + urlencode({"agent": AGENT})
CREATE = {"Content-Type": "application/json", "If-None-Match": "*"}


def can(client, method: str, url: str) -> bool:
    """Whether the client may make the request: anything but 403 (401 would be a bug here)."""
    kwargs = {"data": b"{}", "headers": CREATE} if method in ("PUT", "POST") else {}
    if url == "/xapi/statements" and method == "POST":
        kwargs = {"json": make_statement()}
    status = client.open(method, url, **kwargs).status_code
    assert status != 401
    return status != 403


# (scope, request) -> allowed. Document writes and reads, statements, definitions, agents.
REQUESTS = {
    "write statements": ("POST", "/xapi/statements"),
    "read statements": ("GET", "/xapi/statements"),
    "write state": ("PUT", STATE),
    "read state": ("GET", STATE),
    "write activity profile": ("PUT", ACTIVITY_PROFILE),
    "read activity profile": ("GET", ACTIVITY_PROFILE),
    "write agent profile": ("POST", AGENT_PROFILE),
    "read agent profile": ("GET", AGENT_PROFILE),
    "read activities": ("GET", ACTIVITIES),
    "read agents": ("GET", AGENTS),
}
ALLOWED = {
    "statements/write": {"write statements"},
    "statements/read": {"read statements", "read activities", "read agents"},
    "statements/read/mine": {"read statements"},
    "state": {"write state", "read state"},
    "define": {"read activities"},
    "profile": {"write activity profile", "read activity profile", "write agent profile",
                "read agent profile", "read activities"},
    "all/read": {"read statements", "read state", "read activity profile",
                 "read agent profile", "read activities", "read agents"},
    "all": set(REQUESTS),
}


@pytest.mark.parametrize("scope", sorted(ALLOWED))
def test_each_scope_reaches_exactly_its_resources(make_xapi, scope):
    client = make_xapi(scope)
    allowed = {name for name, (method, url) in REQUESTS.items() if can(client, method, url)}
    assert allowed == ALLOWED[scope]


def test_tenants_do_not_see_each_others_statements(make_xapi):
    north = make_xapi("all", tenant="north")
    south = make_xapi("all", tenant="south")
    statement = make_statement()
    assert north.post("/xapi/statements", json=statement).status_code == 200
    assert south.get(f"/xapi/statements?statementId={statement['id']}").status_code == 404
    assert south.get("/xapi/statements").get_json()["statements"] == []
    # the same id may be used in the other tenant: it is another store
    other = {**make_statement(), "id": statement["id"]}
    assert south.post("/xapi/statements", json=other).status_code == 200
    got = north.get(f"/xapi/statements?statementId={statement['id']}").get_json()
    assert got["actor"] == statement["actor"] and got["object"]["id"] == statement["object"]["id"]


def test_tenants_do_not_see_each_others_documents_or_definitions(make_xapi):
    north = make_xapi("all", tenant="north")
    south = make_xapi("all", tenant="south")
    assert north.put(STATE, data=b'{"n": 1}', headers=CREATE).status_code == 204
    assert north.put(AGENT_PROFILE, data=b'{"n": 1}', headers=CREATE).status_code == 204
    north.post("/xapi/statements", json=make_statement())
    assert south.get(STATE).status_code == 404
    assert south.get(AGENT_PROFILE).status_code == 404
    assert south.get(STATE.replace("&stateId=s", "")).get_json() == []
    assert "definition" not in south.get(ACTIVITIES).get_json()
    assert south.get(AGENTS).get_json() == {"objectType": "Person",
                                            "mbox": ["mailto:anna@example.com"]}
    # a state DELETE of the whole context in one tenant leaves the other's alone
    assert south.delete(STATE.replace("&stateId=s", "")).status_code == 204
    assert north.get(STATE).get_json() == {"n": 1}

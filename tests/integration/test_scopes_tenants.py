"""Every scope on every resource, and tenants that cannot see each other (Communication §4.2)."""

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest

from tests.integration.statements_helpers import make_statement

ACTIVITY = "https://example.com/activities/privacy-basics"
AGENT = json.dumps({"mbox": "mailto:anna@example.com"})
OTHER_AGENT = json.dumps({"mbox": "mailto:bert@example.com"})
STATE = "/xapi/activities/state?" + urlencode(
    {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"})
AGENT_PROFILE = "/xapi/agents/profile?" + urlencode({"agent": AGENT, "profileId": "p"})
ACTIVITIES = "/xapi/activities?" + urlencode({"activityId": ACTIVITY})
AGENTS = "/xapi/agents?" + urlencode({"agent": AGENT})
CREATE = {"Content-Type": "application/json", "If-None-Match": "*"}
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Call:
    """One request of the scope matrix and the status it gets when the scope allows it."""

    method: str
    path: str
    params: dict
    ok: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)


# Where each document resource keeps its documents, and the parameter naming one of them.
DOCUMENTS = {
    "state": ("/xapi/activities/state", {"activityId": ACTIVITY, "agent": AGENT}, "stateId"),
    "activity profile": ("/xapi/activities/profile", {"activityId": ACTIVITY}, "profileId"),
    "agent profile": ("/xapi/agents/profile", {"agent": AGENT}, "profileId"),
}


def calls() -> dict[str, Call]:
    """Every writing method of every resource, and a read of each, by name.

    Writes go to documents of their own and reads find the documents `seed` stored, so
    that an allowed request has one exact status, whatever the order they are sent in."""
    put = make_statement()
    found = {
        "GET statements": Call("GET", "/xapi/statements", {}, 200),
        "POST statements": Call("POST", "/xapi/statements", {}, 200,
                                json.dumps(make_statement()).encode(), JSON),
        "PUT statements": Call("PUT", "/xapi/statements", {"statementId": put["id"]}, 204,
                               json.dumps(put).encode(), JSON),
        "GET activities": Call("GET", "/xapi/activities", {"activityId": ACTIVITY}, 200),
        "GET agents": Call("GET", "/xapi/agents", {"agent": AGENT}, 200),
        # A state DELETE without stateId clears a whole place: another Agent's, kept empty.
        "DELETE states": Call("DELETE", "/xapi/activities/state",
                              {"activityId": ACTIVITY, "agent": OTHER_AGENT}, 204),
    }
    for resource, (path, place, id_param) in DOCUMENTS.items():
        found[f"GET {resource}"] = Call("GET", path, {**place, id_param: "seed"}, 200)
        found[f"PUT {resource}"] = Call("PUT", path, {**place, id_param: "put"}, 204,
                                        b'{"n": 1}', CREATE)
        found[f"POST {resource}"] = Call("POST", path, {**place, id_param: "post"}, 204,
                                         b'{"n": 1}', JSON)
        found[f"DELETE {resource}"] = Call("DELETE", path, {**place, id_param: "delete"}, 204)
    return found


def seed(client) -> None:
    """A statement and one document of each kind, for the reads to find."""
    assert client.post("/xapi/statements", json=make_statement()).status_code == 200
    for path, place, id_param in DOCUMENTS.values():
        url = f"{path}?{urlencode({**place, id_param: 'seed'})}"
        assert client.put(url, data=b'{"n": 0}', headers=CREATE).status_code == 204


def send(client, call: Call, alternate: bool):
    """Send the call plainly, or as a form POST in the alternate syntax (Communication §1.3)."""
    if not alternate:
        return client.open(call.method, f"{call.path}?{urlencode(call.params)}",
                           data=call.body, headers=call.headers)
    form = {**call.params, **call.headers, "content": call.body.decode()}
    return client.open("POST", f"{call.path}?method={call.method}", data=urlencode(form),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})


def _names(*resources: str, methods=("GET",)) -> set[str]:
    return {f"{method} {resource}" for resource in resources for method in methods}


WRITES = ("PUT", "POST", "DELETE")
READS_ALL = _names("statements", "state", "activity profile", "agent profile", "activities",
                   "agents")
ALLOWED = {
    "statements/write": _names("statements", methods=("PUT", "POST")),
    "statements/read": _names("statements", "activities", "agents"),
    "statements/read/mine": _names("statements"),
    "state": _names("state", methods=("GET", *WRITES)) | {"DELETE states"},
    "define": _names("activities"),
    "profile": _names("activity profile", "agent profile", methods=("GET", *WRITES))
    | _names("activities"),
    "all/read": READS_ALL,
    "all": set(calls()),
}


@pytest.mark.parametrize("alternate", [False, True], ids=["plain", "alternate-syntax"])
@pytest.mark.parametrize("scope", sorted(ALLOWED))
def test_each_scope_reaches_exactly_its_resources(make_xapi, scope, alternate):
    seed(make_xapi("all"))
    client = make_xapi(scope)
    requests = calls()
    statuses = {name: send(client, call, alternate).status_code
                for name, call in requests.items()}
    expected = {name: call.ok if name in ALLOWED[scope] else 403
                for name, call in requests.items()}
    assert statuses == expected


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

"""The pure core's xAPI 2.0 rules: version negotiation, the 2.0 context, and where its
contextAgents / contextGroups count (index keys, Person names, comparison, State PUTs)."""

import pytest

from lrs_bridge.schemas import validate_statement
from lrs_bridge.xapi.agents import context_actors
from lrs_bridge.xapi.compare import statements_equivalent
from lrs_bridge.xapi.documents import Document, Preconditions, check_state_put
from lrs_bridge.xapi.errors import BadRequest, Conflict
from lrs_bridge.xapi.index_keys import index_keys
from lrs_bridge.xapi.person import person_of
from lrs_bridge.xapi.versions import XAPIVersion, answering, line_of, negotiate

V1, V2 = XAPIVersion.V1, XAPIVersion.V2
INES = {"objectType": "Agent", "mbox": "mailto:ines@example.com", "name": "Ines"}
TEAM = {"objectType": "Group", "mbox": "mailto:noord@example.com",
        "member": [{"mbox": "mailto:piet@example.com", "name": "Piet"}]}


def statement(**context) -> dict:
    return {"actor": {"mbox": "mailto:anna@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://example.com/activities/a"},
            "context": {"contextAgents": [{"objectType": "contextAgent", "agent": INES}],
                        "contextGroups": [{"objectType": "contextGroup", "group": TEAM}],
                        **context}}


@pytest.mark.parametrize(("header", "line"), [
    ("1.0", V1), ("1.0.0", V1), ("1.0.3", V1), (" 1.0.9 ", V1),
    ("2.0", V2), ("2.0.0", V2), ("2.0.7", V2),
    ("2.1.0", None), ("0.95", None), ("1.0.x", None), ("", None), (None, None),
])
def test_a_version_header_names_a_line_or_none(header, line):
    assert line_of(header) is line
    assert answering(header) is (line or V2)


def test_negotiate_refuses_what_names_no_line():
    assert negotiate("2.0.0") is V2
    with pytest.raises(BadRequest, match="required"):
        negotiate(None)
    with pytest.raises(BadRequest, match="'3.0.0' is not supported"):
        negotiate("3.0.0")


def test_context_agents_are_2_0_only():
    assert validate_statement(statement(), V2)
    with pytest.raises(BadRequest) as refused:
        validate_statement(statement(), V1)
    assert refused.value.message == (
        "context.contextAgents: only allowed in xAPI 2.0.0: send the request with "
        "X-Experience-API-Version: 2.0.0; context.contextGroups: only allowed in xAPI 2.0.0: "
        "send the request with X-Experience-API-Version: 2.0.0")


def test_an_empty_list_of_context_agents_is_allowed_in_2_0():
    assert validate_statement(statement(contextAgents=[], contextGroups=[]), V2)


def test_a_context_group_may_be_anonymous_but_then_needs_members():
    anonymous = {"objectType": "Group", "member": [{"mbox": "mailto:piet@example.com"}]}
    assert validate_statement(statement(contextGroups=[
        {"objectType": "contextGroup", "group": anonymous}]), V2)
    with pytest.raises(BadRequest, match=r"contextGroups\[0\]\.group\.member"):
        validate_statement(statement(contextGroups=[
            {"objectType": "contextGroup", "group": {"objectType": "Group"}}]), V2)


def test_context_actors_lists_agents_then_groups():
    assert context_actors(statement()["context"]) == [INES, TEAM]
    assert context_actors({"instructor": INES}) == []
    assert context_actors({"contextAgents": "nonsense"}) == []


def test_context_agents_and_group_members_are_related_agents_not_agents():
    keys = index_keys(statement())
    assert keys["agent"] == {"mbox:mailto:anna@example.com"}
    assert keys["agent_related"] == {"mbox:mailto:anna@example.com", "mbox:mailto:ines@example.com",
                                     "mbox:mailto:noord@example.com",
                                     "mbox:mailto:piet@example.com"}


def test_a_person_takes_names_from_context_agents_and_group_members():
    person = person_of({"mbox": "mailto:piet@example.com"}, [statement()])
    assert person["name"] == ["Piet"]
    assert person_of({"mbox": "mailto:ines@example.com"}, [statement()])["name"] == ["Ines"]


def test_statements_differing_in_context_agents_are_not_the_same():
    same = statement()
    same["context"]["contextAgents"][0]["agent"] = {**INES, "mbox": "mailto:ines@EXAMPLE.COM"}
    assert statements_equivalent(statement(), same)  # mbox domains are case-insensitive
    other = statement(contextAgents=[{"objectType": "contextAgent",
                                      "agent": {"mbox": "mailto:bob@example.com"}}])
    assert not statements_equivalent(statement(), other)


def test_a_state_put_without_headers_may_create_but_not_replace():
    current = Document(b"{}", "application/json", "e" * 40, 0)
    check_state_put(Preconditions(), None)
    check_state_put(Preconditions(if_match='"' + "e" * 40 + '"'), current)
    with pytest.raises(Conflict, match="If-Match"):
        check_state_put(Preconditions(), current)

"""Agents, Groups, Accounts and IFIs as actor, object, instructor, team and authority."""

import pytest

from lrs_bridge.schemas import validate_agent
from lrs_bridge.xapi.errors import BadRequest
from tests.unit.statement_samples import (
    account_agent,
    agent,
    assert_rejected,
    assert_valid,
    full_statement,
    group,
    problems,
    rich_statement,
)


def with_actor(actor) -> dict:
    statement = rich_statement()
    statement["actor"] = actor
    return statement


@pytest.mark.parametrize("actor", [
    {"mbox": "mailto:anna@example.com"},
    {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
    {"openid": "https://anna.openid.example.com/"},
    {"objectType": "Agent", "name": "Anna", "account": {"homePage": "https://lms.example.com",
                                                         "name": "1625378"}},
])
def test_an_agent_with_any_one_ifi_is_accepted(actor):
    assert_valid(with_actor(actor))


def test_agent_with_two_ifis_is_rejected():
    actor = {"mbox": "mailto:anna@example.com", "openid": "https://anna.example.com/"}
    assert_rejected(with_actor(actor), "actor", "exactly one IFI")


def test_agent_without_an_ifi_is_rejected():
    assert_rejected(with_actor({"name": "Anna"}), "actor", "one IFI")


def test_mbox_without_mailto_is_rejected():
    assert_rejected(with_actor({"mbox": "anna@example.com"}), "actor.mbox",
                    "must start with mailto:")


def test_mbox_without_an_address_is_rejected():
    assert_rejected(with_actor({"mbox": "mailto:anna"}), "actor.mbox", "email address")


def test_mbox_sha1sum_that_is_not_forty_hex_digits_is_rejected():
    assert_rejected(with_actor({"mbox_sha1sum": "ebd31e95"}), "actor.mbox_sha1sum", "SHA-1")


def test_openid_that_is_not_a_uri_is_rejected():
    assert_rejected(with_actor({"openid": "anna"}), "actor.openid")


def test_agent_name_must_be_a_string():
    assert_valid(with_actor({"name": "Ánna Ö", "mbox": "mailto:anna@example.com"}))
    assert_rejected(with_actor({"name": 7, "mbox": "mailto:anna@example.com"}),
                    "actor.name", "string")


def test_agent_object_type_is_case_sensitive():
    assert_rejected(with_actor({"objectType": "agent", "mbox": "mailto:anna@example.com"}),
                    "actor.objectType", "Agent or Group")


def test_agent_property_names_are_case_sensitive():
    assert_rejected(with_actor({"Mbox": "mailto:anna@example.com"}), "actor.Mbox",
                    "unknown property")


def test_account_needs_a_home_page_irl_and_a_name():
    assert_valid(with_actor(account_agent()))
    assert_rejected(with_actor({"account": {"name": "1"}}), "actor.account.homePage", "required")
    assert_rejected(with_actor({"account": {"homePage": "https://lms.example.com"}}),
                    "actor.account.name", "required")
    assert_rejected(with_actor({"account": {"homePage": "lms", "name": "1"}}),
                    "actor.account.homePage", "IRL")


def test_account_must_be_an_object():
    assert_rejected(with_actor({"account": "1625378"}), "actor.account", "object")


def test_anonymous_group_with_members_is_accepted():
    assert_valid(with_actor(group(agent("anna"), account_agent())))


def test_anonymous_group_without_members_is_rejected():
    assert_rejected(with_actor(group()), "actor.member", "anonymous Group")
    assert_rejected(with_actor({**group(), "member": []}), "actor.member", "anonymous Group")


def test_identified_group_may_omit_members():
    assert_valid(with_actor(group(mbox="mailto:team@example.com")))


def test_identified_group_with_two_ifis_is_rejected():
    actor = group(mbox="mailto:team@example.com", openid="https://team.example.com/")
    assert_rejected(with_actor(actor), "actor", "at most one IFI")


def test_group_needs_its_object_type():
    assert_rejected(with_actor({"member": [agent()]}), "actor.member", "objectType Group")


def test_group_members_cannot_be_groups():
    actor = group(group(agent(), mbox="mailto:inner@example.com"))
    assert_rejected(with_actor(actor), "actor.member[0].objectType", "cannot be Groups")


def test_group_members_need_exactly_one_ifi_each():
    actor = group(agent("anna"), {"name": "Ben"})
    assert_rejected(with_actor(actor), "actor.member[1]", "one IFI")


def test_group_member_must_be_an_array():
    assert_rejected(with_actor({**group(), "member": agent()}), "actor.member", "array")


def test_agent_or_group_may_be_the_object_with_an_object_type():
    statement = rich_statement()
    del statement["context"]["platform"]
    statement["object"] = agent("ben")
    assert_valid(statement)
    statement["object"] = group(agent("ben"))
    assert_valid(statement)


def test_agent_as_object_without_object_type_is_read_as_an_activity():
    statement = rich_statement()
    statement["object"] = {"mbox": "mailto:ben@example.com"}
    assert_rejected(statement, "object.id", "required")


def test_instructor_may_be_an_agent_or_a_group():
    statement = full_statement()
    assert_valid(statement)
    statement["context"]["instructor"] = group(agent("ben"))
    assert_valid(statement)
    statement["context"]["instructor"] = {"mbox": "ben@example.com"}
    assert_rejected(statement, "context.instructor.mbox", "mailto:")


def test_team_must_be_a_group():
    statement = full_statement()
    statement["context"]["team"] = agent("carla")
    assert_rejected(statement, "context.team.objectType", "must be Group")


def test_authority_may_be_an_agent():
    statement = full_statement()
    statement["authority"] = account_agent()
    assert_valid(statement)


def test_authority_group_must_hold_exactly_two_agents():
    statement = full_statement()
    statement["authority"] = group(account_agent(), agent("erik"), agent("fien"))
    assert_rejected(statement, "authority.member", "exactly two Agents")


def test_authority_group_of_an_oauth_pair_is_accepted():
    statement = full_statement()
    statement["authority"] = group(account_agent(), agent("erik"))
    assert_valid(statement)


def test_authority_group_must_be_anonymous():
    statement = full_statement()
    statement["authority"] = group(account_agent(), agent("erik"), mbox="mailto:x@example.com")
    assert_rejected(statement, "authority", "must be anonymous")


def test_agent_parameter_accepts_an_agent_or_an_identified_group():
    anna = {"mbox": "mailto:anna@example.com"}
    assert validate_agent(anna) is anna
    team = group(mbox="mailto:team@example.com")
    assert validate_agent(team) is team


def test_agent_parameter_refuses_an_anonymous_group():
    found = problems(group(agent()), validate_agent)
    assert found == ["must be an Agent or an identified Group: this Group has no IFI"]


def test_agent_parameter_names_the_broken_property():
    assert problems({"mbox": "anna@example.com"}, validate_agent) == [
        "mbox: must start with mailto:"]


@pytest.mark.parametrize("data", ["mailto:anna@example.com", ["x"], None, 3])
def test_agent_parameter_that_is_not_an_object_is_a_bad_request(data):
    with pytest.raises(BadRequest, match="must be an Agent or Group object"):
        validate_agent(data)

"""IFI keys of Agents and Groups (Data §2.4.2.3) and the keys the agent filter matches."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.agents import agent_keys, ifi_key, ifi_property, normalise_mbox
from tests.unit.statement_samples import account_agent, agent, group

SHA1 = "AbCdEf0123456789abcdef0123456789ABCDEF01"


@pytest.mark.parametrize("actor, expected", [
    ({"mbox": "mailto:anna@example.com"}, "mbox:mailto:anna@example.com"),
    ({"mbox_sha1sum": SHA1}, "mbox_sha1sum:" + SHA1.lower()),
    ({"openid": "https://id.example.com/anna"}, "openid:https://id.example.com/anna"),
    ({"account": {"homePage": "https://lms.example.com", "name": "42"}},
     "account:https://lms.example.com|42"),
    ({"objectType": "Group", "mbox": "mailto:team@example.com", "member": [agent()]},
     "mbox:mailto:team@example.com"),
])
def test_each_ifi_has_its_own_prefixed_key(actor, expected):
    assert ifi_key(actor) == expected


def test_anonymous_group_has_no_key():
    assert ifi_key(group(agent("anna"), agent("ben"))) is None


def test_non_objects_have_no_key():
    assert ifi_key(None) is None
    assert ifi_property("mailto:anna@example.com") is None


def test_mbox_domain_and_scheme_are_case_insensitive_but_the_local_part_is_not():
    assert ifi_key({"mbox": "MAILTO:Anna@Example.COM"}) == "mbox:mailto:Anna@example.com"
    assert ifi_key({"mbox": "mailto:Anna@example.com"}) != ifi_key(
        {"mbox": "mailto:anna@example.com"})


def test_name_and_object_type_do_not_change_the_key():
    assert ifi_key(agent("anna")) == ifi_key({"mbox": "mailto:anna@example.com", "name": "A. N."})


def test_same_value_under_different_ifis_gives_different_keys():
    assert ifi_key({"openid": "mailto:anna@example.com"}) != ifi_key(
        {"mbox": "mailto:anna@example.com"})


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_account_keys_are_unambiguous(home_a, name_a, home_b, name_b):
    key_a = ifi_key({"account": {"homePage": home_a, "name": name_a}})
    key_b = ifi_key({"account": {"homePage": home_b, "name": name_b}})
    assert (key_a == key_b) == (
        (home_a.replace("|", "%7C"), name_a) == (home_b.replace("|", "%7C"), name_b))


def test_agent_keys_of_an_agent_is_its_own_key():
    assert agent_keys(account_agent("c-1")) == {"account:https://lms.example.com|c-1"}


def test_agent_keys_of_an_identified_group_include_its_members():
    team = group(agent("anna"), account_agent("c-1"), openid="https://id.example.com/team")
    assert agent_keys(team) == {
        "openid:https://id.example.com/team",
        "mbox:mailto:anna@example.com",
        "account:https://lms.example.com|c-1",
    }


def test_agent_keys_of_an_anonymous_group_are_its_members_keys():
    assert agent_keys(group(agent("anna"), agent("ben"))) == {
        "mbox:mailto:anna@example.com", "mbox:mailto:ben@example.com"}


def test_agent_keys_tolerate_absent_and_empty_parts():
    assert agent_keys(None) == set()
    assert agent_keys({"objectType": "Group", "member": []}) == set()
    assert agent_keys({"objectType": "Group", "mbox": "mailto:t@example.com"}) == {
        "mbox:mailto:t@example.com"}


def test_members_of_an_agent_are_not_looked_at():
    # Only a Group has members; an Agent's stray "member" must not widen its keys.
    assert agent_keys({"mbox": "mailto:a@example.com", "member": [agent("ben")]}) == {
        "mbox:mailto:a@example.com"}


def test_normalise_mbox_leaves_an_address_without_at_sign_alone_but_the_scheme():
    assert normalise_mbox("MAILTO:nobody") == "mailto:nobody"

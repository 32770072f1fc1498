"""Index keys per GET /statements filter (Communication §2.1.3) and the StatementRef targets."""

from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.index_keys import (
    context_activities,
    index_keys,
    key_hash,
    statement_ref_target,
    voiding_target,
)
from tests.unit.statement_samples import (
    ACTIVITY_ID,
    account_agent,
    agent,
    assert_valid,
    clone,
    full_statement,
    group,
    rich_statement,
    substatement,
    voiding,
)

ANNA = "mbox:mailto:anna@example.com"
PASSED = "http://adlnet.gov/expapi/verbs/passed"


def test_minimal_statement_has_verb_agent_and_activity_keys_only():
    statement = {"actor": agent(), "verb": {"id": PASSED}, "object": {"id": ACTIVITY_ID}}
    assert index_keys(statement) == {
        "verb": {PASSED},
        "agent": {ANNA},
        "agent_related": {ANNA},
        "activity": {ACTIVITY_ID},
        "activity_related": {ACTIVITY_ID},
    }


def test_registration_is_lower_cased():
    statement = rich_statement()
    statement["context"]["registration"] = "AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"
    assert index_keys(statement)["registration"] == {"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"}


def test_agent_object_counts_for_agent_but_not_for_activity():
    statement = rich_statement()
    statement["object"] = agent("ben")
    del statement["context"]["platform"]  # only allowed with an Activity object
    assert_valid(statement)
    keys = index_keys(statement)
    assert keys["agent"] == {ANNA, "mbox:mailto:ben@example.com"}
    assert "activity" not in keys


def test_group_actor_matches_through_its_members():
    statement = rich_statement()
    statement["actor"] = group(agent("anna"), agent("ben"))
    assert index_keys(statement)["agent"] == {ANNA, "mbox:mailto:ben@example.com"}


def test_authority_instructor_and_team_are_related_agents_only():
    statement = full_statement()
    keys = index_keys(statement)
    assert keys["agent"] == {ANNA}
    assert keys["agent_related"] == {
        ANNA,
        "mbox:mailto:ben@example.com",  # instructor
        "mbox:mailto:carla@example.com", "mbox:mailto:daan@example.com",  # team members
        "account:https://lms.example.com|consumer-1", "mbox:mailto:erik@example.com",  # authority
    }


def test_context_activities_are_related_activities_single_objects_included():
    statement = full_statement()  # its "other" is a single Activity object, not an array
    keys = index_keys(statement)
    assert keys["activity"] == {ACTIVITY_ID}
    assert keys["activity_related"] == {
        ACTIVITY_ID,
        "https://learning.example.com/paths/onboarding",
        "https://learning.example.com/programmes/compliance",
        "https://w3id.org/xapi/cmi5/context/categories/cmi5",
        "https://x.example.com/exam",
    }


def test_substatement_parts_are_related_but_not_direct_matches():
    statement = substatement()
    inner = statement["object"]
    inner["actor"] = agent("ben")
    inner["object"] = {"objectType": "Activity", "id": "https://example.com/inner"}
    inner["context"]["instructor"] = account_agent("teacher")
    assert_valid(statement)
    keys = index_keys(statement)
    assert keys["agent"] == {ANNA}
    assert keys["agent_related"] >= {"mbox:mailto:ben@example.com",
                                     "account:https://lms.example.com|teacher"}
    assert "activity" not in keys
    assert "https://example.com/inner" in keys["activity_related"]
    assert "https://learning.example.com/paths/onboarding" in keys["activity_related"]


def test_statement_ref_object_has_no_object_keys_and_context_statement_is_ignored():
    statement = voiding("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE")
    keys = index_keys(statement)
    assert "activity" not in keys and "activity_related" not in keys
    assert keys["agent"] == {"mbox:mailto:admin@example.com"}


def test_statement_ref_target_is_lower_cased_and_only_for_statement_refs():
    assert statement_ref_target(voiding("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE")) == (
        "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")
    assert statement_ref_target(rich_statement()) is None
    # Communication §2.1.3: a StatementRef in context does not affect filtering.
    assert statement_ref_target(full_statement()) is None


def test_voiding_target_needs_the_voided_verb_and_a_statement_ref():
    target = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    assert voiding_target(voiding(target)) == target
    not_voiding = voiding(target)
    not_voiding["verb"] = {"id": "http://adlnet.gov/expapi/verbs/attended"}
    assert voiding_target(not_voiding) is None
    assert voiding_target(rich_statement()) is None


def test_index_keys_survive_absent_optional_parts():
    statement = {"actor": {"objectType": "Group", "member": []}, "verb": {"id": PASSED},
                 "object": {"id": ACTIVITY_ID}, "context": {"contextActivities": {}}}
    assert index_keys(statement)["verb"] == {PASSED}
    assert index_keys({}) == {}
    assert context_activities(None) == []


def test_index_keys_do_not_mutate_the_statement():
    statement = full_statement()
    before = clone(statement)
    index_keys(statement)
    assert statement == before


def test_key_hash_is_a_signed_64_bit_integer():
    value = key_hash("agent", ANNA)
    assert isinstance(value, int)
    assert -(2**63) <= value < 2**63


def test_key_hash_is_pinned_so_stored_rows_stay_findable():
    # Stored index rows hold these values: a different hash would orphan all of them.
    assert key_hash("verb", PASSED) == 1000692056306438700


@given(st.text(max_size=20), st.text(max_size=20))
def test_key_hash_separates_kinds_and_keys(key_a, key_b):
    assert key_hash("agent", key_a) != key_hash("agent_related", key_a)
    if key_a != key_b:
        assert key_hash("verb", key_a) != key_hash("verb", key_b)

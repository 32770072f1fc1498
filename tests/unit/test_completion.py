"""What the LRS fills in when it stores a statement (Data §2.4.1, §2.4.7–§2.4.10)."""

from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.completion import complete_statement
from lrs_bridge.xapi.timestamps import format_millis
from tests.unit.statement_samples import account_agent, clone, full_statement, rich_statement

STORED_MS = 1_795_000_000_123
NEW_ID = "11111111-2222-4333-8444-555555555555"
AUTHORITY = account_agent("credential-key")


def _complete(statement):
    return complete_statement(statement, stored_ms=STORED_MS, authority=AUTHORITY, new_id=NEW_ID)


def test_a_bare_statement_gets_id_stored_timestamp_authority_and_version():
    statement = rich_statement()
    del statement["id"], statement["timestamp"]
    completed = _complete(statement)
    assert completed["id"] == NEW_ID
    assert completed["stored"] == format_millis(STORED_MS) == "2026-11-18T11:06:40.123Z"
    assert completed["timestamp"] == completed["stored"]
    assert completed["authority"] == AUTHORITY
    assert completed["version"] == "1.0.0"


def test_a_given_id_timestamp_and_version_are_kept():
    statement = rich_statement()
    statement["version"] = "1.0.3"
    completed = _complete(statement)
    assert completed["id"] == statement["id"]
    assert completed["timestamp"] == "2026-11-23T08:40:12.123+01:00"
    assert completed["version"] == "1.0.3"


def test_stored_and_authority_sent_by_the_client_are_overwritten():
    statement = full_statement()
    completed = _complete(statement)
    assert completed["stored"] == "2026-11-18T11:06:40.123Z"
    assert completed["authority"] == AUTHORITY


def test_other_properties_are_kept_as_sent():
    statement = full_statement()
    completed = _complete(statement)
    for prop in ("actor", "verb", "object", "result", "attachments"):
        assert completed[prop] == statement[prop]


def test_single_context_activities_are_stored_as_arrays_of_one():
    statement = full_statement()  # its "other" is a single Activity object
    completed = _complete(statement)
    groups = completed["context"]["contextActivities"]
    assert groups["other"] == [{"id": "https://x.example.com/exam"}]
    assert groups["parent"] == statement["context"]["contextActivities"]["parent"]


def test_single_context_activities_inside_a_substatement_become_arrays_too():
    statement = rich_statement()
    inner = rich_statement()
    del inner["id"]
    inner["context"]["contextActivities"] = {"parent": {"id": "https://x.example.com/p"}}
    statement["object"] = {"objectType": "SubStatement", **inner}
    completed = _complete(statement)
    assert completed["object"]["context"]["contextActivities"]["parent"] == [
        {"id": "https://x.example.com/p"}]
    assert "timestamp" in completed["object"]  # a SubStatement keeps only what it had


def test_completion_does_not_mutate_the_statement_or_the_authority():
    statement = full_statement()
    before, authority_before = clone(statement), clone(AUTHORITY)
    completed = _complete(statement)
    completed["authority"]["account"]["name"] = "changed"
    assert statement == before
    assert AUTHORITY == authority_before


@given(st.integers(min_value=0, max_value=4_102_444_800_000))
def test_stored_is_the_canonical_form_of_the_given_millis(millis):
    completed = complete_statement({}, stored_ms=millis, authority=AUTHORITY, new_id=NEW_ID)
    assert completed["stored"] == format_millis(millis)
    assert completed["timestamp"] == completed["stored"]

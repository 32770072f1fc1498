"""Whole statements: required and unknown properties, nulls, ids, timestamps, versions, batches."""

import pytest

from lrs_bridge.schemas import validate_statement, validate_statements
from lrs_bridge.xapi.errors import BadRequest
from tests.unit.statement_samples import (
    assert_rejected,
    assert_valid,
    full_statement,
    new_id,
    problems,
    rich_statement,
    substatement,
)


def test_rich_and_full_statements_are_accepted():
    assert_valid(rich_statement())
    assert_valid(full_statement())
    assert_valid(substatement())


def test_statement_is_returned_as_received_with_its_key_order():
    statement = full_statement()
    statement = dict(reversed(list(statement.items())))
    order = list(statement)
    assert list(validate_statement(statement)) == order


def test_the_simplest_statement_of_the_spec_is_accepted():
    assert_valid({
        "id": "12345678-1234-5678-1234-567812345678",
        "actor": {"mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/created", "display": {"en-US": "created"}},
        "object": {"id": "http://example.adlnet.gov/xapi/example/activity"},
    })


def test_statement_without_id_is_accepted():
    statement = rich_statement()
    del statement["id"]
    assert_valid(statement)


@pytest.mark.parametrize("value", ["12345", "", "e05aa883-acaf-40ad-bf54-02c8ce485fb", 12345])
def test_statement_id_must_be_a_uuid(value):
    statement = rich_statement()
    statement["id"] = value
    assert_rejected(statement, "id", "UUID" if isinstance(value, str) else "string")


@pytest.mark.parametrize("key", ["actor", "verb", "object"])
def test_actor_verb_and_object_are_required(key):
    statement = rich_statement()
    del statement[key]
    assert_rejected(statement, key, "is required")


def test_unknown_statement_property_is_rejected():
    statement = rich_statement()
    statement["colour"] = "blue"
    assert_rejected(statement, "colour", "unknown property")


@pytest.mark.parametrize("path", [
    ("actor",), ("verb",), ("object",), ("object", "definition"),
    ("result",), ("result", "score"), ("context",), ("context", "contextActivities"),
    ("context", "contextActivities", "grouping", 0), ("context", "instructor"),
    ("context", "team"), ("context", "team", "member", 0), ("context", "statement"),
    ("authority",), ("authority", "member", 0, "account"), ("attachments", 0),
])
def test_unknown_property_in_any_object_is_rejected(path):
    statement = full_statement()
    target = statement
    for key in path:
        target = target[key]
    target["note"] = "x"
    where = ".".join(str(key) for key in path).replace(".0", "[0]")
    assert_rejected(statement, f"{where}.note", "unknown property")


def test_property_names_are_case_sensitive():
    statement = rich_statement()
    statement["Actor"] = statement.pop("actor")
    found = problems(statement)
    assert found == ["actor: is required", "Actor: unknown property"]


@pytest.mark.parametrize("path", [
    ("actor",), ("verb",), ("object",), ("context",), ("result",), ("id",), ("timestamp",),
    ("actor", "name"), ("verb", "display"), ("verb", "display", "en-US"),
    ("object", "definition"), ("object", "definition", "type"), ("result", "score", "raw"),
    ("result", "success"), ("context", "registration"), ("context", "contextActivities"),
    ("context", "contextActivities", "parent"),
])
def test_null_values_are_rejected(path):
    statement = rich_statement()
    parent = statement
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = None
    assert_rejected(statement, ".".join(path), "must not be null")


def test_null_values_inside_extensions_are_accepted():
    statement = rich_statement()
    statement["result"]["extensions"] = {"https://x.example.com/a": None,
                                         "https://x.example.com/b": {"c": None, "d": [None]}}
    assert_valid(statement)


def test_extensions_itself_must_not_be_null():
    statement = rich_statement()
    statement["context"]["extensions"] = None
    assert_rejected(statement, "context.extensions", "must not be null")


@pytest.mark.parametrize("key", ["timestamp", "stored"])
def test_timestamps_must_be_iso_8601(key):
    statement = rich_statement()
    statement[key] = "2026-11-23T07:40:12.123456Z"
    assert_valid(statement)
    statement[key] = "23 November 2026"
    assert_rejected(statement, key, "ISO 8601 timestamp")
    statement[key] = 1795419612
    assert_rejected(statement, key, "string")


@pytest.mark.parametrize("key", ["timestamp", "stored"])
def test_timestamps_with_offset_minus_zero_are_rejected(key):
    statement = rich_statement()
    statement[key] = "2026-11-23T07:40:12.123-00:00"
    assert_rejected(statement, key, "-00:00")


@pytest.mark.parametrize("version", ["1.0.0", "1.0.1", "1.0.3", "1.0.9"])
def test_versions_starting_with_1_0_dot_are_accepted(version):
    statement = rich_statement()
    statement["version"] = version
    assert_valid(statement)


@pytest.mark.parametrize("version", ["1.1.0", "0.95", "2.0.0", "1.0.x", 1.0])
def test_versions_not_starting_with_1_0_dot_are_rejected(version):
    statement = rich_statement()
    statement["version"] = version
    assert_rejected(statement, "version")


def test_authority_must_be_an_agent_or_group():
    statement = rich_statement()
    statement["authority"] = {"objectType": "Activity", "id": "https://x.example.com"}
    assert_rejected(statement, "authority.objectType", "Agent or Group")


def with_attachment(**changes) -> dict:
    statement = full_statement()
    statement["attachments"][0].update(changes)
    return statement


@pytest.mark.parametrize("key", ["usageType", "display", "contentType", "length", "sha2"])
def test_attachment_required_properties(key):
    statement = full_statement()
    del statement["attachments"][0][key]
    assert_rejected(statement, f"attachments[0].{key}", "is required")


def test_attachment_optional_properties_may_be_left_out():
    statement = full_statement()
    del statement["attachments"][0]["description"]
    del statement["attachments"][0]["fileUrl"]
    assert_valid(statement)


@pytest.mark.parametrize("key, value, rule", [
    ("usageType", "signature", "IRI"),
    ("display", "Signature", "language map"),
    ("description", "A JWS", "language map"),
    ("contentType", "octet-stream", "media type"),
    ("length", "4235", "integer"),
    ("length", -1, "integer"),
    ("length", 42.5, "integer"),
    ("sha2", "abc", "SHA-2"),
    ("fileUrl", "signature.jws", "IRL"),
    ("size", 1, "unknown property"),
])
def test_attachment_property_formats(key, value, rule):
    assert_rejected(with_attachment(**{key: value}), f"attachments[0].{key}", rule)


def test_attachments_must_be_an_array():
    statement = full_statement()
    statement["attachments"] = statement["attachments"][0]
    assert_rejected(statement, "attachments", "array")


def test_language_map_keys_must_be_language_tags():
    statement = rich_statement()
    statement["verb"]["display"] = {"en-US": "passed", "english": "passed", "en_GB": "passed"}
    assert_rejected(statement, "verb.display", "key 'en_GB' is not an RFC 5646 language tag")


def test_language_map_values_must_be_strings():
    statement = rich_statement()
    statement["object"]["definition"]["name"] = {"en-US": ["Privacy"]}
    assert_rejected(statement, "object.definition.name.en-US", "must be a string")


@pytest.mark.parametrize("data", ["{}", ["statement"], None, 42, True])
def test_validate_statement_refuses_what_is_not_an_object(data):
    with pytest.raises(BadRequest, match="a statement must be a JSON object"):
        validate_statement(data)


def test_validate_statements_takes_one_statement_or_an_array():
    single, batch = rich_statement(), [rich_statement(), full_statement()]
    assert validate_statements(single) == [single]
    assert validate_statements(batch) is batch


def test_empty_batch_is_rejected():
    with pytest.raises(BadRequest, match="empty"):
        validate_statements([])


@pytest.mark.parametrize("data", ["statements", 3, None])
def test_batch_that_is_neither_object_nor_array_is_rejected(data):
    with pytest.raises(BadRequest, match="statement object or an array"):
        validate_statements(data)


def test_batch_problems_are_prefixed_with_the_index():
    batch = [rich_statement() for _ in range(5)]
    batch[3]["actor"]["mbox"] = "anna@example.com"
    assert problems(batch, validate_statements) == ["[3].actor.mbox: must start with mailto:"]


def test_batch_item_that_is_not_an_object_is_named_by_index():
    batch = [rich_statement(), "statement"]
    assert problems(batch, validate_statements) == ["[1]: a statement must be a JSON object"]


def test_many_problems_are_cut_to_the_first_three():
    statement = rich_statement()
    statement.update(id="x", timestamp="y", version="z", stored="w")
    found = problems(statement)
    assert len(found) == 4 and found[-1] == "and 1 more"


def test_a_batch_with_many_bad_statements_stops_early():
    batch = [{"id": new_id()} for _ in range(1000)]
    found = problems(batch, validate_statements)
    assert found[0] == "[0].actor: is required" and found[-1] == "and more"

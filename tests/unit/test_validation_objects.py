"""Verbs, the object's objectType, Statement References, SubStatements and voiding."""

import pytest

from tests.unit.statement_samples import (
    VOIDED,
    agent,
    assert_rejected,
    assert_valid,
    new_id,
    rich_statement,
    substatement,
    voiding,
)


def test_verb_needs_an_iri_id():
    statement = rich_statement()
    statement["verb"] = {"display": {"en-US": "passed"}}
    assert_rejected(statement, "verb.id", "required")
    statement["verb"]["id"] = "passed"
    assert_rejected(statement, "verb.id", "IRI")


def test_verb_display_is_optional():
    statement = rich_statement()
    statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/passed"}
    assert_valid(statement)


def test_verb_display_must_be_a_language_map():
    statement = rich_statement()
    statement["verb"]["display"] = "passed"
    assert_rejected(statement, "verb.display", "language map")


def test_verb_unknown_property_is_rejected():
    statement = rich_statement()
    statement["verb"]["name"] = {"en-US": "passed"}
    assert_rejected(statement, "verb.name", "unknown property")


@pytest.mark.parametrize("kind", ["statementref", "Person", "", 3, ["Activity"]])
def test_unknown_object_type_is_rejected(kind):
    statement = rich_statement()
    statement["object"]["objectType"] = kind
    assert_rejected(statement, "object.objectType", "must be one of Activity, Agent, Group")


def test_object_type_null_is_rejected():
    statement = rich_statement()
    statement["object"]["objectType"] = None
    assert_rejected(statement, "object.objectType", "must not be null")


def test_statement_ref_needs_a_uuid_id():
    statement = rich_statement()
    del statement["context"]["platform"]
    statement["object"] = {"objectType": "StatementRef", "id": new_id().upper()}
    assert_valid(statement)
    statement["object"]["id"] = "not-a-uuid"
    assert_rejected(statement, "object.id", "UUID")
    del statement["object"]["id"]
    assert_rejected(statement, "object.id", "required")


def test_statement_ref_allows_no_other_property():
    statement = voiding()
    statement["object"]["definition"] = {}
    assert_rejected(statement, "object.definition", "unknown property")


def test_substatement_is_validated_like_a_statement():
    assert_valid(substatement())
    statement = substatement()
    statement["object"]["actor"]["mbox"] = "anna@example.com"
    assert_rejected(statement, "object.actor.mbox", "mailto:")
    del statement["object"]["verb"]
    assert_rejected(statement, "object.verb", "required")


@pytest.mark.parametrize("key, value", [
    ("id", "e05aa883-acaf-40ad-bf54-02c8ce485fb0"),
    ("stored", "2026-11-23T07:40:12Z"),
    ("version", "1.0.0"),
    ("authority", {"mbox": "mailto:lrs@example.com"}),
    ("id", None),
])
def test_substatement_must_not_have_lrs_assigned_properties(key, value):
    statement = substatement()
    statement["object"][key] = value
    assert_rejected(statement, f"object.{key}", "must not be used in a SubStatement")


def test_substatement_cannot_contain_a_substatement():
    statement = substatement()
    statement["object"]["object"] = {**substatement()["object"]}
    assert_rejected(statement, "object.object.objectType", "cannot contain another")


def test_substatement_may_refer_to_a_statement():
    statement = substatement()
    del statement["object"]["context"]["platform"]
    statement["object"]["object"] = {"objectType": "StatementRef", "id": new_id()}
    assert_valid(statement)


def test_voiding_statement_with_a_statement_ref_is_accepted():
    assert_valid(voiding())


@pytest.mark.parametrize("target", [
    {"objectType": "Activity", "id": "https://example.com/a"},
    {"id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"},
    agent(),
])
def test_voided_verb_requires_a_statement_ref_object(target):
    statement = voiding()
    statement["object"] = target
    assert_rejected(statement, "object.objectType", "must be StatementRef")


def test_voided_verb_in_a_substatement_also_requires_a_statement_ref():
    statement = substatement()
    statement["object"]["verb"] = {"id": VOIDED}
    assert_rejected(statement, "object.object.objectType", "must be StatementRef")

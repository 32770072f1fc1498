"""Activities, their definitions, interaction types and interaction components."""

import pytest

from tests.unit.statement_samples import (
    assert_rejected,
    assert_valid,
    components,
    interaction,
    rich_statement,
)


def with_definition(**definition) -> dict:
    statement = rich_statement()
    statement["object"]["definition"].update(definition)
    return statement


def test_activity_without_object_type_is_accepted():
    statement = rich_statement()
    del statement["object"]["objectType"]
    assert_valid(statement)


def test_activity_needs_an_iri_id():
    statement = rich_statement()
    del statement["object"]["id"]
    assert_rejected(statement, "object.id", "required")
    statement["object"]["id"] = "privacy-basics"
    assert_rejected(statement, "object.id", "IRI")


def test_activity_object_type_is_case_sensitive():
    statement = rich_statement()
    statement["object"]["objectType"] = "activity"
    assert_rejected(statement, "object.objectType", "must be one of")


def test_definition_name_and_description_are_language_maps():
    assert_valid(with_definition(name={"en": "Privacy"}, description={"fr-CA": "Vie privée"}))
    assert_rejected(with_definition(name="Privacy"), "object.definition.name", "language map")
    assert_rejected(with_definition(description={"english": 1}),
                    "object.definition.description.english", "string")


def test_definition_type_is_an_iri():
    assert_rejected(with_definition(type="module"), "object.definition.type", "IRI")


def test_definition_more_info_is_an_irl():
    assert_valid(with_definition(moreInfo="https://learning.example.com/privacy"))
    assert_rejected(with_definition(moreInfo="privacy.html"), "object.definition.moreInfo", "IRL")


def test_definition_extensions_need_iri_keys():
    assert_valid(with_definition(extensions={"https://x.example.com/level": [1, None]}))
    assert_rejected(with_definition(extensions={"level": 1}), "object.definition.extensions",
                    "key 'level' is not an IRI")


def test_definition_unknown_property_is_rejected():
    assert_rejected(with_definition(title={"en": "x"}), "object.definition.title",
                    "unknown property")


@pytest.mark.parametrize("kind", [
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
    "likert", "numeric", "other",
])
def test_every_interaction_type_of_the_spec_is_accepted(kind):
    assert_valid(interaction(kind, correctResponsesPattern=[]))


@pytest.mark.parametrize("kind", ["True-False", "multiple-choice", "", "CHOICE"])
def test_interaction_type_outside_the_list_is_rejected(kind):
    assert_rejected(interaction(kind), "object.definition.interactionType", "must be one of")


@pytest.mark.parametrize("kind, lists", [
    ("choice", ["choices"]),
    ("sequencing", ["choices"]),
    ("likert", ["scale"]),
    ("matching", ["source", "target"]),
    ("performance", ["steps"]),
])
def test_component_lists_are_accepted_for_their_interaction_types(kind, lists):
    assert_valid(interaction(kind, **{key: components("a", "b") for key in lists}))


@pytest.mark.parametrize("kind, key", [
    ("true-false", "choices"), ("likert", "choices"), ("choice", "scale"),
    ("matching", "steps"), ("performance", "source"), ("fill-in", "target"),
])
def test_component_lists_are_rejected_for_other_interaction_types(kind, key):
    assert_rejected(interaction(kind, **{key: components("a")}),
                    f"object.definition.{key}", "only allowed when interactionType is")


def test_component_list_without_interaction_type_is_rejected():
    statement = with_definition(choices=components("a"))
    assert_rejected(statement, "object.definition.choices", "choice or sequencing")


def test_component_ids_within_a_list_must_be_distinct():
    assert_valid(interaction("matching", source=components("a", "b"), target=components("a")))
    statement = interaction("choice", choices=components("a", "b", "a"))
    assert_rejected(statement, "object.definition.choices[2].id", "repeats the id 'a'")


def test_component_needs_a_string_id():
    statement = interaction("likert", scale=[{"description": {"en": "Agree"}}])
    assert_rejected(statement, "object.definition.scale[0].id", "required")
    statement = interaction("likert", scale=[{"id": 1}])
    assert_rejected(statement, "object.definition.scale[0].id", "string")


def test_component_description_is_a_language_map():
    statement = interaction("likert", scale=[{"id": "1", "description": "Agree"}])
    assert_rejected(statement, "object.definition.scale[0].description", "language map")


def test_component_unknown_property_is_rejected():
    statement = interaction("likert", scale=[{"id": "1", "value": 1}])
    assert_rejected(statement, "object.definition.scale[0].value", "unknown property")


def test_correct_responses_pattern_is_an_array_of_strings():
    assert_valid(interaction("choice", correctResponsesPattern=["a[,]b", "a"],
                             choices=components("a", "b")))
    assert_rejected(interaction("choice", correctResponsesPattern="a"),
                    "object.definition.correctResponsesPattern", "array")
    assert_rejected(interaction("numeric", correctResponsesPattern=["1:4", 5]),
                    "object.definition.correctResponsesPattern[1]", "string")


def test_correct_responses_pattern_without_interaction_type_is_rejected():
    assert_rejected(with_definition(correctResponsesPattern=["true"]),
                    "object.definition.correctResponsesPattern", "interactionType")


def test_definition_must_be_an_object():
    statement = rich_statement()
    statement["object"]["definition"] = ["Privacy basics"]
    assert_rejected(statement, "object.definition", "must be an object")

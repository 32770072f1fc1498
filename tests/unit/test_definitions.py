"""Canonical Activity definitions: what a new statement may change, and what it may not."""

from lrs_bridge.xapi.definitions import activities_of, definitions_in, merge_definition

CHOICE = {
    "name": {"en-US": "Question 1"},
    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "interactionType": "choice",
    "correctResponsesPattern": ["a"],
    "choices": [{"id": "a", "description": {"en-US": "Yes"}},
                {"id": "b", "description": {"en-US": "No"}}],
}


def test_language_maps_are_combined_and_the_newest_wins_per_language():
    merged = merge_definition({"name": {"en-US": "Onbaording", "nl-NL": "Inwerken"}},
                              {"name": {"en-US": "Onboarding", "de-DE": "Einarbeitung"}})
    assert merged["name"] == {"en-US": "Onboarding", "nl-NL": "Inwerken",
                              "de-DE": "Einarbeitung"}


def test_type_more_info_and_extensions_follow_the_newest():
    merged = merge_definition(
        {"type": "http://a", "moreInfo": "http://old", "extensions": {"http://x": 1}},
        {"type": "http://b", "moreInfo": "http://new", "extensions": {"http://y": 2}})
    assert merged == {"type": "http://b", "moreInfo": "http://new",
                      "extensions": {"http://x": 1, "http://y": 2}}


def test_interaction_and_correct_responses_are_fixed_by_the_first_definition():
    changed = {**CHOICE, "interactionType": "true-false", "correctResponsesPattern": ["b"],
               "choices": [{"id": "b", "description": {"nl-NL": "Nee"}},
                           {"id": "c", "description": {"en-US": "Maybe"}}]}
    merged = merge_definition(CHOICE, changed)
    assert merged["interactionType"] == "choice"
    assert merged["correctResponsesPattern"] == ["a"]
    assert [c["id"] for c in merged["choices"]] == ["a", "b"]
    assert merged["choices"][1]["description"] == {"en-US": "No", "nl-NL": "Nee"}


def test_a_first_definition_is_taken_whole():
    assert merge_definition(None, CHOICE) == CHOICE
    assert merge_definition({}, CHOICE) == CHOICE


def test_activities_of_finds_object_context_and_substatement_activities():
    statement = {
        "object": {"objectType": "SubStatement",
                   "object": {"id": "http://sub", "definition": {"name": {"en": "s"}}},
                   "context": {"contextActivities": {"parent": [{"id": "http://subparent"}]}}},
        "context": {"contextActivities": {"grouping": [{"id": "http://g"}],
                                          "category": {"id": "http://c"}}},
    }
    assert {a["id"] for a in activities_of(statement)} == {
        "http://sub", "http://subparent", "http://g", "http://c"}


def test_definitions_in_a_batch_merge_in_order():
    batch = [
        {"object": {"id": "http://a", "definition": {"name": {"en": "one"}}}},
        {"object": {"id": "http://a", "definition": {"name": {"nl": "een"}}}},
        {"object": {"id": "http://b"}},
    ]
    assert definitions_in(batch) == {"http://a": {"name": {"en": "one", "nl": "een"}}}


def test_a_later_definition_cannot_add_components_of_another_interaction_type():
    likert = {"interactionType": "likert", "scale": [{"id": "1", "description": {"en": "low"}}]}
    merged = merge_definition(CHOICE, likert)
    assert merged["interactionType"] == "choice" and "scale" not in merged
    assert merged["choices"] == CHOICE["choices"]


def test_the_first_interaction_definition_is_taken_whole():
    merged = merge_definition({"name": {"en-US": "Q1"}}, CHOICE)
    assert {k: merged[k] for k in ("interactionType", "correctResponsesPattern", "choices")} == {
        "interactionType": "choice", "correctResponsesPattern": ["a"],
        "choices": CHOICE["choices"]}

"""Results, scores, context and contextActivities."""

import pytest

from tests.unit.statement_samples import (
    agent,
    assert_rejected,
    assert_valid,
    full_statement,
    new_id,
    rich_statement,
    voiding,
)


def with_result(**result) -> dict:
    statement = rich_statement()
    statement["result"].update(result)
    return statement


def with_score(**score) -> dict:
    statement = rich_statement()
    statement["result"]["score"] = score
    return statement


def with_context(**context) -> dict:
    statement = rich_statement()
    statement["context"].update(context)
    return statement


@pytest.mark.parametrize("scaled", [-1, 0, 0.5, 1, 1.0])
def test_scaled_score_between_minus_one_and_one_is_accepted(scaled):
    assert_valid(with_score(scaled=scaled))


@pytest.mark.parametrize("scaled", [1.01, -1.5, 85])
def test_scaled_score_outside_minus_one_and_one_is_rejected(scaled):
    assert_rejected(with_score(scaled=scaled), "result.score.scaled", "between -1 and 1")


def test_raw_score_between_min_and_max_is_accepted():
    assert_valid(with_score(raw=0, min=0, max=10))
    assert_valid(with_score(raw=-5))
    assert_valid(with_score(raw=0, min=0, max=0))


def test_raw_score_outside_min_and_max_is_rejected():
    assert_rejected(with_score(raw=11, min=0, max=10), "result.score.raw", "greater than max")
    assert_rejected(with_score(raw=-1, min=0), "result.score.raw", "less than min")


def test_min_greater_than_max_is_rejected():
    assert_rejected(with_score(min=10, max=0), "result.score.min", "greater than max")


@pytest.mark.parametrize("key", ["scaled", "raw", "min", "max"])
def test_score_numbers_sent_as_strings_are_rejected(key):
    assert_rejected(with_score(**{key: "1"}), f"result.score.{key}", "must be a number")


def test_score_booleans_are_not_numbers():
    assert_rejected(with_score(raw=True), "result.score.raw", "must be a number")


@pytest.mark.parametrize("key", ["success", "completion"])
def test_success_and_completion_must_be_booleans(key):
    assert_valid(with_result(**{key: False}))
    assert_rejected(with_result(**{key: "true"}), f"result.{key}", "true or false")
    assert_rejected(with_result(**{key: 1}), f"result.{key}", "true or false")


def test_response_must_be_a_string():
    assert_valid(with_result(response="a[,]b"))
    assert_rejected(with_result(response=["a", "b"]), "result.response", "string")


def test_duration_must_be_iso_8601():
    assert_valid(with_result(duration="P1DT2H"))
    assert_rejected(with_result(duration="00:12:30"), "result.duration", "ISO 8601 duration")
    assert_rejected(with_result(duration=750), "result.duration", "string")


def test_result_extensions_need_iri_keys():
    assert_valid(with_result(extensions={"https://x.example.com/attempts": None}))
    assert_rejected(with_result(extensions={"attempts": 2}), "result.extensions", "not an IRI")


def test_result_unknown_property_is_rejected():
    assert_rejected(with_result(passed=True), "result.passed", "unknown property")


def test_registration_must_be_a_uuid():
    assert_valid(with_context(registration=new_id().upper()))
    assert_rejected(with_context(registration="attempt-1"), "context.registration", "UUID")


@pytest.mark.parametrize("key", ["parent", "grouping", "category", "other"])
def test_context_activities_may_be_an_array_or_a_single_activity(key):
    activity = {"id": "https://learning.example.com/x", "objectType": "Activity"}
    assert_valid(with_context(contextActivities={key: [activity]}))
    assert_valid(with_context(contextActivities={key: activity}))
    assert_valid(with_context(contextActivities={key: []}))


def test_context_activities_keys_are_only_the_four_types():
    activities = {"parents": [{"id": "https://learning.example.com/x"}]}
    assert_rejected(with_context(contextActivities=activities),
                    "context.contextActivities.parents", "unknown property")


def test_context_activities_must_be_activities():
    activities = {"parent": [{"id": "https://x.example.com/a"}, agent()]}
    assert_rejected(with_context(contextActivities=activities),
                    "context.contextActivities.parent[1].objectType", "must be Activity")
    assert_rejected(with_context(contextActivities={"other": "https://x.example.com/a"}),
                    "context.contextActivities.other", "Activity or an array")
    assert_rejected(with_context(contextActivities={"category": [None]}),
                    "context.contextActivities.category[0]", "must be an object")


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_revision_and_platform_are_strings(key):
    assert_valid(with_context(**{key: "x"}))
    assert_rejected(with_context(**{key: 2}), f"context.{key}", "string")


@pytest.mark.parametrize("key", ["revision", "platform"])
def test_revision_and_platform_only_when_the_object_is_an_activity(key):
    statement = voiding()
    statement["context"] = {key: "x"}
    assert_rejected(statement, f"context.{key}", "only allowed when the object is an Activity")


def test_context_language_must_be_a_language_tag():
    assert_valid(with_context(language="nl-BE"))
    assert_rejected(with_context(language="Dutch (Belgium)"), "context.language", "RFC 5646")


def test_context_statement_must_be_a_statement_ref():
    statement = full_statement()
    assert_valid(statement)
    statement["context"]["statement"] = {"id": new_id()}
    assert_rejected(statement, "context.statement.objectType", "required")
    statement["context"]["statement"] = {"objectType": "SubStatement", "id": new_id()}
    assert_rejected(statement, "context.statement.objectType", "StatementRef")


def test_context_extensions_need_iri_keys():
    assert_rejected(with_context(extensions={"room": 1}), "context.extensions", "not an IRI")


def test_context_unknown_property_is_rejected():
    assert_rejected(with_context(course="x"), "context.course", "unknown property")

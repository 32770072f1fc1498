"""Matching statements to modules, verb meanings and outcomes, explanations, untagged IRIs."""

from pathlib import Path

import pytest

from lrs_bridge.journey.explain import explain, render
from lrs_bridge.journey.matching import PHASE_TAG, SKILL_TAG, ModuleIndex, outcomes, self_tags
from lrs_bridge.journey.untagged import find_untagged
from lrs_bridge.mapping_files.loader import load_mapping
from lrs_bridge.mapping_files.yaml_lines import load_yaml

MAPPING = load_mapping(Path(__file__).parents[1] / "fixtures" / "mappings" / "minimal").mapping
ADL = "http://adlnet.gov/expapi/verbs/"


def statement(activity: str, verb: str = "completed", actor: str = "anna@example.nl",
              **extra) -> dict:
    return {"actor": {"mbox": f"mailto:{actor}"}, "verb": {"id": ADL + verb},
            "object": {"id": activity}, **extra}


def test_exact_match_wins_over_a_prefix_and_the_longest_prefix_wins():
    index = ModuleIndex(MAPPING.modules)
    assert index.match("https://learning.example.nl/modules/privacy-basics")[1] == "activity"
    module, how = index.match("https://learning.example.nl/courses/crm/lesson-3")
    assert (module.id, how) == ("crm-course", "activity_prefix")
    assert index.match("https://learning.example.nl/courses/other") is None


@pytest.mark.parametrize("meaning, result, expected", [
    ("completed", None, {"completed"}),
    ("completed", {"success": True}, {"completed", "passed"}),
    ("passed", None, {"completed", "passed"}),
    ("satisfied", None, {"completed", "passed"}),
    ("failed", {"completion": True}, set()),
    ("progressed", {"completion": True}, {"completed"}),
    ("progressed", {"completion": False, "success": True}, set()),
    ("experienced", None, set()),
    (None, {"completion": True}, set()),
])
def test_outcomes_from_verb_meaning_and_result(meaning, result, expected):
    assert outcomes(meaning, result) == expected


def test_self_tags_from_category_activities():
    tagged = {"context": {"contextActivities": {"category": [
        {"id": PHASE_TAG + "onboarding"}, {"id": SKILL_TAG + "privacy/levels/2"},
        {"id": SKILL_TAG + "crm"}, {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"},
    ]}}}
    assert self_tags(tagged) == (["onboarding"], [("privacy", 2), ("crm", None)])
    assert self_tags({}) == ([], [])


def test_explain_a_pass_below_the_minimum_score():
    e = explain(MAPPING, statement("https://learning.example.nl/modules/privacy-basics",
                                   "passed", result={"score": {"scaled": 0.7}}), False)
    assert e.module.id == "privacy-basics" and e.matched_by == "activity"
    assert e.phases == (("onboarding", "module privacy-basics"),)
    [step] = e.steps
    assert (step.path, step.number, step.outcome, step.verdict.satisfied) == (
        "onboarding", 2, "passed", True)
    [effect] = e.skills
    assert not effect.given and "at least 0.8" in effect.reason


def test_explain_a_completion_by_prefix_gives_the_skill():
    e = explain(MAPPING, statement("https://learning.example.nl/courses/crm/lesson-1"), False)
    assert [(s.skill, s.level, s.given) for s in e.skills] == [("crm", 1, True)]
    lines = render(e)
    assert "matched by activity_prefix https://learning.example.nl/courses/crm/" in lines[2]
    assert lines[-1] == "skill:    gives crm level 1: on completed"


def test_explain_an_untagged_statement_with_an_unknown_verb():
    e = explain(MAPPING, {"actor": {"mbox": "mailto:a@example.nl"},
                          "verb": {"id": "https://example.com/verbs/glanced"},
                          "object": {"id": "https://example.com/elsewhere"}}, False)
    assert e.module is None and e.meaning is None and e.outcomes == frozenset()
    assert "none: no module's activity or activity_prefix matches" in render(e)[2]


def test_untagged_counts_statements_learners_and_last_seen():
    stored = [
        (statement("https://example.com/a", actor="x@example.nl",
                   object={"id": "https://example.com/a",
                           "definition": {"name": {"nl-NL": "Oud"}}}), 1),
        (statement("https://example.com/a", actor="y@example.nl",
                   object={"id": "https://example.com/a",
                           "definition": {"name": {"en-US": "New name"}}}), 5),
        (statement("https://example.com/b"), 3),
        (statement("https://learning.example.nl/courses/crm/lesson-1"), 9),
    ]
    found = find_untagged(MAPPING, stored)
    assert [(e.activity, e.statements, len(e.learners), e.last_seen, e.name) for e in found] == [
        ("https://example.com/a", 2, 2, 5, "New name"),
        ("https://example.com/b", 1, 1, 3, None),
    ]


def test_yaml_reads_on_and_no_as_words_not_booleans():
    assert load_yaml("a: on\nb: no\nc: true\n") == {"a": "on", "b": "no", "c": True}


def test_self_tag_levels_must_be_small_ascii_numbers():
    tagged = {"context": {"contextActivities": {"category": [
        {"id": SKILL_TAG + "a/levels/²"}, {"id": SKILL_TAG + "b/levels/" + "9" * 5000}]}}}
    assert self_tags(tagged) == ([], [("a", None), ("b", None)])

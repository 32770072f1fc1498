"""The rules of evidence: self-tagged skill levels (trust, cap) and path step satisfaction."""

from dataclasses import replace

import pytest

from lrs_bridge.journey.evidence import TagLimits, self_tag_effect, step_verdict
from lrs_bridge.journey.explain import explain, render
from lrs_bridge.journey.matching import SKILL_TAG
from lrs_bridge.journey.model import Skill, Step, Text
from tests.unit.test_journey_mapping import MAPPING, statement

# The minimal mapping: modules give privacy up to level 2 and crm up to level 1.
LIMITS = TagLimits.of(MAPPING)
DONE = frozenset({"completed"})
PRIVACY = "https://learning.example.nl/modules/privacy-basics"


def tagged(*tags: str, verb: str = "completed", activity: str = "https://example.com/day-1",
           **extra) -> dict:
    category = [{"id": SKILL_TAG + tag} for tag in tags]
    return statement(activity, verb, context={"contextActivities": {"category": category}},
                     **extra)


def test_an_untrusted_self_tag_gives_no_level():
    effect = self_tag_effect(LIMITS, "crm", 1, DONE, trusted=False)
    assert not effect.given and effect.from_tag
    assert "not from a credential trusted with skill tags" in effect.reason


def test_a_trusted_self_tag_counts_up_to_what_the_modules_give():
    effect = self_tag_effect(LIMITS, "privacy", 2, DONE, trusted=True)
    assert (effect.skill, effect.level, effect.given) == ("privacy", 2, True)


def test_a_trusted_self_tag_is_capped_at_the_highest_level_a_module_gives():
    effect = self_tag_effect(LIMITS, "crm", 3, DONE, trusted=True)
    assert (effect.level, effect.given) == (1, True)
    assert effect.reason == ("self-tag of level 3, capped at 1 because that is the highest "
                             "level the mapping's modules give crm")


def test_a_self_tag_of_a_skill_not_in_the_mapping_is_ignored():
    effect = self_tag_effect(LIMITS, "crm-systems", 3, DONE, trusted=True)
    assert not effect.given and "the mapping has no skill 'crm-systems'" in effect.reason


def test_a_trusted_self_tag_without_a_completion_gives_nothing():
    effect = self_tag_effect(LIMITS, "crm", 1, frozenset(), trusted=True)
    assert not effect.given and effect.reason.endswith("shows no completion")


def test_a_skill_no_module_gives_gets_no_level_from_a_self_tag():
    mapping = replace(MAPPING, skills=MAPPING.skills + (Skill("empathy", Text("E", "E")),))
    effect = self_tag_effect(TagLimits.of(mapping), "empathy", 1, DONE, trusted=True)
    assert not effect.given and "no module of the mapping gives empathy" in effect.reason


def test_a_self_tag_without_a_level_stays_level_less_even_when_trusted():
    effect = self_tag_effect(LIMITS, "crm", None, DONE, trusted=True)
    assert (effect.level, effect.given) == (None, False)


def test_explain_passes_the_trust_on_and_renders_why():
    day_one = tagged("crm/levels/3", "crm-systems/levels/3")
    untrusted = render(explain(MAPPING, day_one, False))
    assert "skill:    does not give crm level 3: self-tag ignored: the statement is not from " \
        "a credential trusted with skill tags (`credentials add --trust-skill-tags`)" in untrusted
    trusted = render(explain(MAPPING, day_one, True))
    assert "skill:    gives crm level 1: self-tag of level 3, capped at 1 because that is the " \
        "highest level the mapping's modules give crm" in trusted
    assert "skill:    does not give crm-systems level 3: self-tag ignored: the mapping has no " \
        "skill 'crm-systems'" in trusted


@pytest.mark.parametrize("meaning, shown, outcome, expected", [
    ("passed", {"completed", "passed"}, "passed", (True, "the statement shows a pass")),
    ("completed", {"completed"}, "completed", (True, "the statement shows a completion")),
    ("failed", set(), "passed", (False, "the statement shows a failure")),
    ("completed", {"completed"}, "passed",
     (False, "the statement shows a completion, not a pass")),
    ("attempted", set(), "completed",
     (False, "the statement shows no completion (its verb means attempted)")),
    (None, set(), "completed",
     (False, "its verb means nothing to the mapping (not in verbs.yaml)")),
    ("ignored", set(), "completed", (False, "its verb is one the mapping ignores")),
])
def test_a_step_is_satisfied_by_its_outcome_and_says_why_not(meaning, shown, outcome, expected):
    verdict = step_verdict(Step("m", outcome=outcome), meaning, frozenset(shown))
    assert (verdict.satisfied, verdict.reason) == expected


def test_explain_says_whether_each_step_is_satisfied():
    failed = render(explain(MAPPING, statement(PRIVACY, "failed"), False))
    assert "path:     onboarding, step 2 (needs passed): not satisfied — the statement shows " \
        "a failure" in failed
    low_pass = render(explain(MAPPING, statement(PRIVACY, "passed",
                                                 result={"score": {"scaled": 0.7}}), False))
    assert "path:     onboarding, step 2 (needs passed): satisfied — the statement shows a " \
        "pass (a min_score holds back only the skill privacy, not the step)" in low_pass
    assert any("does not give privacy level 2: needs a scaled score of at least 0.8" in line
               for line in low_pass)

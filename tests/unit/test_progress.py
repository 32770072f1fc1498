"""The progress engine's rules: evidence of a statement, module aggregates, step and path
status, due dates, skill levels and their expiry, self-tags, voiding."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lrs_bridge.journey.matching import PHASE_TAG, SKILL_TAG
from lrs_bridge.journey.model import Path, Step, Text
from lrs_bridge.journey.progress import add, evidence_of, retract
from lrs_bridge.journey.progress_state import LearnerProgress, ModuleChanged, SkillChanged
from lrs_bridge.journey.progress_views import (
    Learner,
    current_phase,
    path_status,
    skill_statuses,
    step_status,
)
from tests.unit.test_journey_mapping import MAPPING, statement

PRIVACY = "https://learning.example.nl/modules/privacy-basics"
CRM = "https://learning.example.nl/courses/crm/lesson-1"
ONBOARDING = MAPPING.paths[0]  # step 1: crm-course (completed), step 2: privacy-basics (passed)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
ANNA = Learner("agent", start_date=date(2026, 1, 5), role_start_date=date(2026, 3, 1),
               leave_date=date(2026, 12, 31), paths=("onboarding",))


def said(sid: str, verb: str, activity: str = PRIVACY, day: int = 1, tags: tuple = (),
         **extra) -> dict:
    """A stored statement `sid` of `verb` on `activity` on day `day` of 2026."""
    context = {"contextActivities": {"category": [{"id": tag} for tag in tags]}} if tags else {}
    moment = (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day - 1)).isoformat()
    fields = {"id": sid, "timestamp": moment, "stored": "2026-06-01T00:00:00Z",
              **({"context": context} if context else {}), **extra}
    return statement(activity, verb, **fields)


def fold(*statements: dict, trusted: bool = False, mapping=MAPPING) -> LearnerProgress:
    state = LearnerProgress()
    for s in statements:
        found = evidence_of(mapping, s, trusted_tags=trusted)
        if found is not None:
            state, _ = add(state, found, mapping, NOW)
    return state


def status(state: LearnerProgress, number: int, path: Path = ONBOARDING, learner=ANNA):
    return step_status(state, path, number, learner, NOW)


# evidence_of


def test_the_timestamp_is_read_as_utc_and_falls_back_to_stored():
    found = evidence_of(MAPPING, said("a", "passed", timestamp="2026-02-03T10:00:00+01:00"),
                        trusted_tags=False)
    assert found.timestamp == datetime(2026, 2, 3, 9, tzinfo=UTC)
    bare = said("b", "passed")
    del bare["timestamp"]
    assert evidence_of(MAPPING, bare, trusted_tags=False).timestamp == NOW


def test_a_statement_that_names_no_module_phase_or_skill_contributes_nothing():
    assert evidence_of(MAPPING, said("a", "completed", "https://example.com/x"),
                       trusted_tags=True) is None
    # An ignored verb counts for nothing, even on a module.
    assert evidence_of(MAPPING, said("b", "terminated"), trusted_tags=True) is None


def test_a_self_tagged_phase_alone_is_evidence_and_unknown_phases_are_dropped():
    tags = (PHASE_TAG + "development", PHASE_TAG + "no-such-phase")
    found = evidence_of(MAPPING, said("a", "attended", "https://example.com/x", tags=tags),
                        trusted_tags=False)
    assert (found.module, found.phases, found.skills) == (None, ("development",), ())


@pytest.mark.parametrize("verb, result, failed", [
    ("failed", None, True),
    ("completed", {"success": False}, True),
    ("completed", {"success": True}, False),
    ("passed", {"success": False}, False),  # the verb says passed
    ("responded", {"success": False}, False),  # a wrong answer is not a failed module
    ("attempted", None, False),
])
def test_a_failure_is_a_failed_verb_or_a_completion_without_success(verb, result, failed):
    extra = {"result": result} if result else {}
    assert evidence_of(MAPPING, said("a", verb, **extra), trusted_tags=False).failed is failed


def test_a_grant_gives_its_level_only_above_its_minimum_score():
    high = said("a", "passed", result={"score": {"scaled": 0.9}})
    low = said("b", "passed", result={"score": {"scaled": 0.5}})
    assert evidence_of(MAPPING, high, trusted_tags=False).skills == (("privacy", 2),)
    assert evidence_of(MAPPING, low, trusted_tags=False).skills == ()


def test_self_tagged_levels_count_only_from_trusted_credentials():
    tagged = said("a", "completed", "https://example.com/x", tags=(SKILL_TAG + "crm/levels/1",))
    assert evidence_of(MAPPING, tagged, trusted_tags=False) is None
    assert evidence_of(MAPPING, tagged, trusted_tags=True).skills == (("crm", 1),)


# module aggregates and step status


def test_a_pass_after_two_failures_passes_the_step_and_counts_three_attempts():
    state = fold(said("p", "passed", day=9), said("f1", "failed", day=2),
                 said("f2", "failed", day=5), said("x", "experienced", day=1))
    module = state.modules["privacy-basics"]
    assert (module.attempts, module.failures, module.passed_by) == (3, 2, "p")
    assert (module.first_activity.day, module.last_activity.day) == (1, 9)
    step = status(state, 2)
    assert (step.status, step.completed_by, step.completed_at.day) == ("passed", "p", 9)


def test_a_step_fails_when_the_last_attempt_failed_and_nothing_meets_it():
    state = fold(said("c", "completed", day=2), said("f", "failed", day=5))
    assert status(state, 2).status == "failed"
    # A failure after the pass takes nothing away.
    assert status(fold(said("p", "passed", day=2), said("f", "failed", day=5)), 2).status \
        == "passed"


def test_a_completion_does_not_meet_a_step_that_needs_a_pass():
    state = fold(said("c", "completed", day=3), said("k", "passed", CRM, day=4))
    assert status(state, 2).status == "in_progress"
    # ...while a pass meets a step that needs a completion.
    assert (status(state, 1).status, status(state, 1).completed_by) == ("completed", "k")


def test_the_first_completion_by_time_meets_the_step_ties_going_by_statement_id():
    state = fold(said("z", "completed", CRM, day=3), said("b", "completed", CRM, day=2),
                 said("a", "completed", CRM, day=2))
    assert status(state, 1).completed_by == "a"


@pytest.mark.parametrize("anchor, due", [("start_date", date(2026, 1, 12)),
                                         ("role_start_date", date(2026, 3, 8)),
                                         ("leave_date", date(2027, 1, 7))])
def test_a_step_is_due_its_due_after_the_path_anchor_date(anchor, due):
    path = replace(ONBOARDING, anchor=anchor)
    assert status(LearnerProgress(), 1, path).due == due  # step 1 is due P7D


def test_a_step_without_an_anchor_date_has_no_due_date_and_is_never_overdue():
    step = status(LearnerProgress(), 1, learner=Learner(paths=("onboarding",)))
    assert (step.due, step.overdue) == (None, False)
    assert status(LearnerProgress(), 1).overdue  # due 2026-01-12, now is June


# paths


def test_optional_steps_do_not_count_in_a_paths_progress():
    path = Path("p", Text("P", "P"), "onboarding", None, "start_date",
                (Step("crm-course"), Step("privacy-basics", optional=True)))
    state = fold(said("k", "completed", CRM, day=4))
    result = path_status(state, path, ANNA, NOW)
    assert (result.status, result.progress, result.completed_at.day) == ("completed", 1.0, 4)
    assert not result.steps[1].overdue


def test_a_path_is_in_progress_until_every_required_step_is_met():
    assert path_status(LearnerProgress(), ONBOARDING, ANNA, NOW).status == "not_started"
    state = fold(said("k", "completed", CRM, day=4), said("f", "failed", day=6))
    result = path_status(state, ONBOARDING, ANNA, NOW)
    assert (result.status, result.progress, result.completed_at) == ("in_progress", 0.5, None)


# skills


def with_privacy_valid_for(duration) -> object:
    skills = tuple(replace(s, valid_for=duration) if s.id == "privacy" else s
                   for s in MAPPING.skills)
    return replace(MAPPING, skills=skills)


def test_skill_evidence_expires_and_the_level_falls_back_to_a_lower_unexpired_one():
    mapping = with_privacy_valid_for(timedelta(days=100))
    pass_ = said("p", "passed", day=1, result={"score": {"scaled": 0.9}})
    tag = said("t", "completed", "https://example.com/x", day=51,
               tags=(SKILL_TAG + "privacy/levels/1",))
    state = fold(pass_, tag, trusted=True, mapping=mapping)

    def level_at(moment):
        return {s.skill: s for s in skill_statuses(state, mapping, "agent", moment)}["privacy"]

    before = level_at(datetime(2026, 4, 10, 23, 59, tzinfo=UTC))
    assert (before.level, before.gap, before.expires) == (2, 0, datetime(2026, 4, 11, tzinfo=UTC))
    # At the instant of expiry the pass no longer counts.
    after = level_at(datetime(2026, 4, 11, tzinfo=UTC))
    assert (after.level, after.gap, after.evidence) == (1, 1, ("t",))
    assert level_at(datetime(2026, 6, 1, tzinfo=UTC)).level is None


def test_a_level_dates_from_its_earliest_evidence_and_expires_with_its_latest():
    mapping = with_privacy_valid_for("P1Y")  # also as the text a mapping built in code may hold
    state = fold(said("a", "passed", day=1, result={"score": {"scaled": 0.9}}),
                 said("b", "passed", day=40, result={"score": {"scaled": 1.0}}), mapping=mapping)
    privacy = skill_statuses(state, mapping, "agent", NOW)[1]
    assert (privacy.attained.day, privacy.expires, privacy.evidence) == \
        (1, datetime(2027, 2, 9, tzinfo=UTC), ("a", "b"))


def test_the_gap_is_the_roles_target_less_the_level_and_untargeted_skills_have_none():
    statuses = skill_statuses(fold(said("k", "completed", CRM)), MAPPING, "agent", NOW)
    assert [(s.skill, s.level, s.target, s.gap) for s in statuses] == \
        [("crm", 1, 1, 0), ("privacy", None, 2, 2)]
    other = skill_statuses(fold(said("k", "completed", CRM)), MAPPING, None, NOW)
    assert [(s.skill, s.target, s.gap) for s in other] == [("crm", None, 0)]


# adding, retracting, changes


def test_a_voided_pass_leaves_the_step_passed_while_another_pass_remains():
    state = fold(said("p1", "passed", day=2, result={"score": {"scaled": 0.9}}),
                 said("p2", "passed", day=7, result={"score": {"scaled": 0.95}}))
    state, changes = retract(state, "p1", MAPPING, NOW)
    assert (status(state, 2).status, status(state, 2).completed_by) == ("passed", "p2")
    assert ModuleChanged("privacy-basics", ("first_activity", "attempts", "completed_by",
                                            "passed_by", "completed_at", "passed_at",
                                            "first_attempt_at")) in changes
    # The same level stays, now attained later and expiring later.
    assert SkillChanged("privacy", 2, 2, datetime(2027, 1, 7, tzinfo=UTC)) in changes
    assert state.skills["privacy"].evidence == {"p2": (2, datetime(2026, 1, 7, tzinfo=UTC))}


def test_a_voided_only_pass_takes_back_the_step_and_the_skill_level():
    state = fold(said("f", "failed", day=1), said("p", "passed", day=2,
                                                   result={"score": {"scaled": 0.9}}))
    state, changes = retract(state, "p", MAPPING, NOW)
    assert status(state, 2).status == "failed"
    assert "privacy" not in state.skills
    assert SkillChanged("privacy", 2, None, None) in changes
    state, _ = retract(state, "f", MAPPING, NOW)
    assert status(state, 2).status == "not_started" and state == LearnerProgress()


def test_adding_a_known_statement_again_or_retracting_an_unknown_one_changes_nothing():
    state = fold(said("p", "passed"))
    again = evidence_of(MAPPING, said("p", "failed", day=9), trusted_tags=False)
    assert add(state, again, MAPPING, NOW)[1] == []
    assert state.modules["privacy-basics"].failures == 0
    assert retract(state, "nope", MAPPING, NOW)[1] == []


def test_a_fold_touches_only_the_module_and_skills_its_evidence_names():
    state = fold(said("k", "completed", CRM), said("f", "failed"))
    crm, privacy = state.modules["crm-course"], state.modules["privacy-basics"]
    state, changes = add(state, evidence_of(MAPPING, said("p", "attempted", day=3),
                                            trusted_tags=False), MAPPING, NOW)
    assert state.modules["crm-course"] is crm and state.modules["privacy-basics"] is not privacy
    # An attempted verb shows no outcome: activity, not an attempt that counts.
    assert changes == [ModuleChanged("privacy-basics", ("last_activity", "latest_by"))]


def test_a_skill_change_says_the_level_before_and_after():
    state = fold(said("k", "completed", CRM))
    _, changes = add(state, evidence_of(MAPPING, said("p", "passed", result={
        "score": {"scaled": 0.9}}), trusted_tags=False), MAPPING, NOW)
    assert SkillChanged("privacy", None, 2, datetime(2027, 1, 1, tzinfo=UTC)) in changes


# phase


def test_the_current_phase_is_that_of_the_latest_evidence_with_a_phase():
    tagged = said("t", "attended", "https://example.com/x", day=5,
                  tags=(PHASE_TAG + "development",))
    skill_only = said("s", "completed", "https://example.com/y", day=9,
                      tags=(SKILL_TAG + "crm/levels/1",))
    state = fold(said("k", "completed", CRM, day=2), tagged, skill_only, trusted=True)
    assert current_phase(state, MAPPING) == ("development", datetime(2026, 1, 9, tzinfo=UTC))
    assert current_phase(LearnerProgress(), MAPPING) == (None, None)

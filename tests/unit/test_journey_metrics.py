"""The journey metrics from the counts the store gives, each worked out by hand."""

from datetime import UTC, date, datetime

from lrs_bridge.journey.dates import day_number
from lrs_bridge.journey.metrics.cohorts import (
    OnboardingCount,
    RetentionCount,
    retention,
    time_to_productivity,
)
from lrs_bridge.journey.metrics.coverage import coverage
from lrs_bridge.journey.metrics.engagement import SurveyCounts, exit_feedback, microlearning
from lrs_bridge.journey.metrics.participation import PhaseGroup, participation
from lrs_bridge.journey.metrics.paths import (
    PathCounts,
    PhaseCompletion,
    path_completion,
    phase_completion,
)
from lrs_bridge.journey.metrics.period import Period, default_period
from lrs_bridge.journey.metrics.skills import DecayCounts, LevelCount, gap_matrix, skill_decay
from lrs_bridge.journey.model import Mapping, Module, Path, Phase, Step, Text

JAN, FEB, MAR, APR = 24312, 24313, 24314, 24315  # 2026's months; bits 12-15 of block 405


def bits(*months: int) -> int:
    return sum(1 << (m % 60) for m in months)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def test_the_default_period_is_twelve_calendar_months_up_to_the_day():
    period = default_period(date(2026, 11, 29))
    assert (period.start, period.end, len(period.months)) == (date(2025, 12, 1),
                                                              date(2026, 11, 29), 12)
    assert period.as_at == datetime(2026, 11, 29, 23, 59, 59, 999000, tzinfo=UTC)
    assert period.end_ms - period.start_ms == period.days * 86_400_000 == 364 * 86_400_000


def test_participation_counts_the_audience_of_the_months_and_who_took_part():
    period = Period(date(2026, 1, 15), date(2026, 3, 10))  # counts January to March
    groups = [
        PhaseGroup("onboarding", 405, bits(JAN, FEB), 3, 2, 2),
        PhaseGroup("onboarding", 405, bits(APR), 1, 0, 1),  # audience after the period
        PhaseGroup("development", 405, (1 << 60) - 1, 2, 1, 1),
    ]
    taking = {("onboarding", JAN): 1, ("onboarding", FEB): 2, ("development", MAR): 1}
    found = [p.as_json() for p in participation(["onboarding", "development", "attract"],
                                                groups, taking, period)]
    assert found[0] == {"phase": "onboarding", "audience": 3, "participants": 2,
                        "rate": 0.6667, "active": 3, "months": [
                            {"month": "2026-01", "audience": 3, "participants": 1,
                             "rate": 0.3333},
                            {"month": "2026-02", "audience": 3, "participants": 2,
                             "rate": 0.6667},
                            {"month": "2026-03", "audience": 0, "participants": 0,
                             "rate": None}]}
    assert (found[1]["audience"], found[1]["participants"], found[1]["rate"]) == (2, 1, 0.5)
    assert [m["participants"] for m in found[1]["months"]] == [0, 0, 1]
    assert found[2] == {"phase": "attract", "audience": 0, "participants": 0, "rate": None,
                        "active": 0, "months": [
                            {"month": f"2026-0{n}", "audience": 0, "participants": 0,
                             "rate": None} for n in (1, 2, 3)]}


def test_path_completion_rates_in_the_mappings_order():
    found = path_completion([("a", "onboarding"), ("b", "development")],
                            [PathCounts("a", 4, 3, 2, 1)])
    assert [p.as_json() for p in found] == [
        {"path": "a", "phase": "onboarding", "following": 4, "completed": 3, "rate": 0.75,
         "completed_in_period": 2, "overdue": 1},
        {"path": "b", "phase": "development", "following": 0, "completed": 0, "rate": None,
         "completed_in_period": 0, "overdue": 0}]


def test_phase_completion_in_the_mappings_order_with_zeros_for_a_phase_nobody_follows():
    found = phase_completion(["attract", "onboarding"], [PhaseCompletion("onboarding", 3, 1),
                                                         PhaseCompletion("retention", 2, 2)])
    assert [p.as_json() for p in found] == [
        {"phase": "attract", "following": 0, "completed": 0, "rate": None},
        {"phase": "onboarding", "following": 3, "completed": 1, "rate": 0.3333}]


def test_the_gap_matrix_counts_learners_below_target_and_their_mean_gap():
    targets = {"agent": {"crm": 3, "privacy": 2}, "lead": {"privacy": 2}}
    counts = [LevelCount("agent", "crm", 0, 2), LevelCount("agent", "crm", 1, 1),
              LevelCount("agent", "crm", 3, 1), LevelCount("agent", "privacy", 2, 3),
              LevelCount("agent", "privacy", 0, 1), LevelCount("lead", "privacy", 1, 2)]
    found = gap_matrix(targets, ["privacy", "crm", "coaching"], counts).as_json()
    assert (found["roles"], found["skills"]) == (["agent", "lead"], ["privacy", "crm"])
    assert found["cells"] == [
        {"role": "agent", "skill": "privacy", "target": 2, "learners": 4, "below_target": 1,
         "share_below": 0.25, "mean_gap": 0.5},
        {"role": "agent", "skill": "crm", "target": 3, "learners": 4, "below_target": 3,
         "share_below": 0.75, "mean_gap": 2.0},  # gaps 3 + 3 + 2 + 0 over 4 learners
        {"role": "lead", "skill": "privacy", "target": 2, "learners": 2, "below_target": 2,
         "share_below": 1.0, "mean_gap": 1.0}]


def test_skill_decay_per_skill_that_expires():
    found = skill_decay(["privacy", "vca"], [DecayCounts("privacy", 5, 2, 1, 2)], 30,
                        {"privacy": "P1Y", "vca": "P10Y"}).as_json()
    assert found == {"within_days": 30, "skills": [
        {"skill": "privacy", "valid_for": "P1Y", "learners": 8, "held": 5, "expiring": 2,
         "expired": 1, "never": 2},
        {"skill": "vca", "valid_for": "P10Y", "learners": 0, "held": 0, "expiring": 0,
         "expired": 0, "never": 0}]}


def test_time_to_productivity_of_those_who_started_in_the_period():
    counts = [OnboardingCount(True, 25, 1),  # week 4
              OnboardingCount(True, 8, 1),  # week 2
              OnboardingCount(True, None, 2),  # not completed by the end of the period
              OnboardingCount(False, None, 1),  # no onboarding path
              OnboardingCount(True, -2, 1)]  # completed before their start date: week 1
    found = time_to_productivity("onboarding", counts).as_json()
    assert {k: v for k, v in found.items() if k != "weeks"} == {
        "onboarding_phase": "onboarding", "started": 6, "without_onboarding_path": 1,
        "completed": 3, "not_completed": 2, "median_days": 8}  # of -2, 8 and 25
    assert [w["learners"] for w in found["weeks"]] == [1, 1, 0, 1] + [0] * 9
    assert found["weeks"][-1] == {"week": 13, "learners": 0, "or_later": True}
    two = time_to_productivity(None, [OnboardingCount(True, 10, 1),
                                      OnboardingCount(True, 100, 1)]).as_json()
    assert (two["median_days"], two["weeks"][-1]["learners"]) == (55, 1)  # 100 days: week 15


def test_retention_at_six_months_split_by_onboarding():
    counts = [RetentionCount(True, True, 1), RetentionCount(True, False, 1),
              RetentionCount(False, True, 2), RetentionCount(False, False, 1)]
    assert retention(counts).as_json() == {
        "months": 6, "learners": 5, "retained": 3, "rate": 0.6,
        "onboarding_completed": {"learners": 2, "retained": 1, "rate": 0.5},
        "onboarding_not_completed": {"learners": 3, "retained": 2, "rate": 0.6667}}
    assert retention([]).as_json()["rate"] is None


def test_microlearning_per_learner_per_week_with_the_weeks_of_the_period():
    period = Period(date(2026, 3, 4), date(2026, 3, 17))  # Wednesday to Tuesday: 2 weeks
    monday = day_number(date(2026, 3, 2))
    days = {monday + 2: 4, monday + 6: 2, monday + 14: 2}  # Wednesday, Sunday, next Monday
    found = microlearning(["micro"], 10, 4, days, period).as_json()
    assert found == {"short_modules": ["micro"], "learners": 10, "active_learners": 4,
                     "completions": 8, "weeks": 2.0, "per_learner_per_week": 0.4, "by_week": [
                         {"week": "2026-03-02", "days": 5, "completions": 6,
                          "per_learner": 0.6},
                         {"week": "2026-03-09", "days": 7, "completions": 0, "per_learner": 0.0},
                         {"week": "2026-03-16", "days": 2, "completions": 2,
                          "per_learner": 0.2}]}


def test_exit_feedback_counts_responses_scores_and_the_share_of_leavers():
    counts = [SurveyCounts("exit-survey", 4, 3, 3, 2.1, (0, 1, 0, 1, 1), 0)]
    found = exit_feedback(["exit-survey", "exit-call"], counts, 6, 3).as_json()
    assert found == {
        "modules": ["exit-survey", "exit-call"], "leavers": 6, "respondents": 3,
        "response_rate": 0.5, "responses": 4, "scored": 3, "mean_score": 0.7,
        "scores": [{"from": 0.0, "to": 0.2, "responses": 0},
                   {"from": 0.2, "to": 0.4, "responses": 1},
                   {"from": 0.4, "to": 0.6, "responses": 0},
                   {"from": 0.6, "to": 0.8, "responses": 1},
                   {"from": 0.8, "to": 1.0, "responses": 1}], "below_zero": 0,
        "by_module": [{"module": "exit-survey", "responses": 4, "respondents": 3, "scored": 3,
                       "mean_score": 0.7},
                      {"module": "exit-call", "responses": 0, "respondents": 0, "scored": 0,
                       "mean_score": None}]}


def test_coverage_names_phases_without_content_or_activity():
    t = Text("x", "x")
    mapping = Mapping(phases=(Phase("a", t), Phase("b", t), Phase("c", t)),
                      modules=(Module("m1", t, "e-learning", "a", "https://x.example/1"),
                               Module("m2", t, "e-learning", "b", "https://x.example/2")),
                      paths=(Path("p", t, "a", None, "start_date", (Step("m1"),)),))
    assert coverage(mapping, ["a", "b", "c"], {"a": 3}).as_json() == {
        "phases": [{"phase": "a", "modules": 1, "paths": 1, "active": 3},
                   {"phase": "b", "modules": 1, "paths": 0, "active": 0},
                   {"phase": "c", "modules": 0, "paths": 0, "active": 0}],
        "without_content": ["c"], "without_activity": ["b", "c"]}

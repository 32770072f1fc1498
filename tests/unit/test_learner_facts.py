"""What the worker keeps of a learner for the metrics: skill levels as pieces over time,
phase rows, short completions, survey responses, path completion and onboarding."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

from lrs_bridge.journey.learner_facts import (
    JourneyRow,
    PhaseRow,
    Response,
    activity,
    completed_at,
    journey_row,
    marks_of,
    onboarding,
    path_rows,
    phase_rows,
    response,
    short_completion,
    skill_rows,
    with_counts,
)
from lrs_bridge.journey.learners import Learner, RoleSpell
from lrs_bridge.journey.progress import add
from lrs_bridge.journey.progress_state import Evidence, LearnerProgress, SkillProgress
from lrs_bridge.journey.progress_views import Learner as ViewLearner
from lrs_bridge.journey.progress_views import path_status
from lrs_bridge.journey.skill_pieces import EXPIRED, HELD, NONE, Piece, piece_at, pieces
from lrs_bridge.mapping_files.loader import load_mapping

SAMPLE = load_mapping(Path(__file__).parents[2] / "mappings").mapping
YEAR = timedelta(days=365)
START = datetime(2026, 3, 2, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def skill(*levels: tuple[int, str]) -> SkillProgress:
    return SkillProgress("privacy-gdpr", {f"s{n}": (level, at(when))
                                          for n, (level, when) in enumerate(levels)})


# --- skill pieces --------------------------------------------------------------------------------

def test_a_level_held_until_its_evidence_expires_then_the_lower_one_then_none():
    found = pieces(skill((2, "2026-03-10"), (1, "2026-06-01")), YEAR, START, None)
    assert found == [
        Piece(START, at("2026-03-10"), 0, NONE),
        Piece(at("2026-03-10"), at("2027-03-10"), 2, HELD, drops=True),
        Piece(at("2027-03-10"), at("2027-06-01"), 1, HELD, drops=True),
        Piece(at("2027-06-01"), None, 0, EXPIRED)]
    assert piece_at(found, at("2027-04-01")).level == 1
    assert piece_at(found, at("2026-01-01")) is None  # before the start date


def test_a_higher_level_later_is_a_rise_not_a_drop_and_without_expiry_it_lasts():
    assert pieces(skill((1, "2026-03-10"), (3, "2026-05-01")), None, START, None) == [
        Piece(START, at("2026-03-10"), 0, NONE),
        Piece(at("2026-03-10"), at("2026-05-01"), 1, HELD, drops=False),
        Piece(at("2026-05-01"), None, 3, HELD)]


def test_pieces_are_cut_to_the_employment_and_evidence_from_before_it_counts():
    leave_end = at("2027-05-01")  # leave date 30 April 2027
    assert pieces(skill((2, "2026-02-01"), (1, "2026-06-01")), YEAR, START, leave_end) == [
        Piece(START, at("2027-02-01"), 2, HELD, drops=True),
        Piece(at("2027-02-01"), leave_end, 1, HELD, drops=False)]  # ends by leaving
    assert pieces(None, YEAR, START, None) == [Piece(START, None, 0, NONE)]


def test_skill_rows_are_the_pieces_of_each_skill_the_latest_role_needs():
    person = Learner(frozenset({"k"}), (RoleSpell("team-lead", date(2026, 3, 2)),),
                     date(2026, 3, 2))
    state = LearnerProgress(skills={"privacy-gdpr": skill((2, "2026-03-10"))})
    rows = skill_rows(state, person, SAMPLE)
    assert [(r.skill, r.target, r.piece.level, r.piece.state) for r in rows] == [
        ("coaching-leadership", 3, 0, NONE), ("company-culture", 3, 0, NONE),
        ("feedback-conversations", 3, 0, NONE),
        ("privacy-gdpr", 2, 0, NONE), ("privacy-gdpr", 2, 2, HELD),  # valid for P1Y
        ("privacy-gdpr", 2, 0, EXPIRED)]
    assert {r.role for r in rows} == {"team-lead"}
    assert [r.skill for r in skill_rows(state, person, SAMPLE, {"privacy-gdpr"})] == [
        "privacy-gdpr"] * 3


# --- phase rows, short completions, responses ---------------------------------------------------

def evidence(sid: str, module: str | None, when: str, outcomes=(), phases=(), score=None):
    return Evidence(sid, at(when), module, "completed", frozenset(outcomes), score, False,
                    (), phases)


def test_activity_short_completions_and_responses_of_one_piece_of_evidence():
    marks = marks_of(SAMPLE)
    micro = evidence("a", "crm-customer-file-micro", "2026-03-04T23:30:00",
                     {"completed"}, ("onboarding", "retention"))
    assert activity(micro) == [("onboarding", 24314), ("retention", 24314)]
    assert short_completion(micro, marks) == (20516, "crm-customer-file-micro")
    assert short_completion(evidence("b", "crm-customer-file-micro", "2026-03-04"), marks) \
        is None  # not completed
    survey = evidence("c", "exit-survey", "2026-12-20", score=0.75)
    assert response(survey, marks) == Response("c", "exit-survey", at("2026-12-20"), 0.75)
    assert response(micro, marks) is None


def test_phase_rows_hold_audience_and_active_months_per_block_of_sixty():
    rows = phase_rows({"onboarding": {24314, 24315}},
                      Counter({("onboarding", 24315): 2, ("development", 24360): 1}))
    # 24314 is bit 14 of block 405; 24360 is bit 0 of block 406
    assert rows == {("onboarding", 405): PhaseRow(0b11 << 14, 1 << 15, {24315: 2}),
                    ("development", 406): PhaseRow(0, 1, {24360: 1})}
    row = rows[("onboarding", 405)]
    assert with_counts(row, {24315: -1, 24316: 1}) == PhaseRow(0b11 << 14, 0b11 << 15,
                                                               {24315: 1, 24316: 1})
    assert with_counts(row, {24315: -2}) == PhaseRow(0b11 << 14, 0, {})  # still audience
    assert with_counts(rows[("development", 406)], {24360: -1}) is None
    assert with_counts(None, {24360: 1}) == PhaseRow(0, 1, {24360: 1})


# --- paths and onboarding ----------------------------------------------------------------------

def test_path_completion_and_onboarding_follow_the_required_steps():
    person = Learner(frozenset({"k"}), (RoleSpell("team-lead", date(2026, 3, 2)),),
                     date(2026, 3, 2))
    state = LearnerProgress()
    general = {"first-working-day": "2026-03-02", "welcome-noordwind": "2026-03-05",
               "privacy-basics": "2026-03-10", "buddy-programme": "2026-03-30",
               "onboarding-talk": "2026-03-31"}  # the pulse survey is optional
    for number, (module, when) in enumerate(general.items()):
        add(state, evidence(f"g{number}", module, when, {"completed", "passed"}), SAMPLE,
            START)
    paths = {p.id: p for p in SAMPLE.paths}
    assert completed_at(state, paths["onboarding-general"]) == at("2026-03-31")
    assert onboarding(state, person, SAMPLE) == (True, None)  # team-lead onboarding open
    for number, when in enumerate(("2026-03-12", "2026-04-02")):
        module = ("team-lead-start", "absence-talk-micro")[number]
        add(state, evidence(f"t{number}", module, when, {"completed"}), SAMPLE, START)
    assert onboarding(state, person, SAMPLE) == (True, at("2026-04-02"))
    rows = {r.path: r for r in path_rows(state, person, SAMPLE)}
    assert rows["onboarding-team-lead"].completed == at("2026-04-02")
    assert rows["development-team-lead"].completed is None
    assert (rows["onboarding-general"].anchor, rows["onboarding-general"].due) == (
        date(2026, 3, 2), date(2026, 4, 1))


def test_the_journey_row_holds_onboarding_days_and_the_six_month_day():
    def person(start: date, leave: date | None = None) -> Learner:
        return Learner(frozenset({"k"}), (RoleSpell("team-lead", start),), start,
                       leave_date=leave)

    done = LearnerProgress()
    for number, (module, when) in enumerate((
            ("first-working-day", "2026-01-05"), ("welcome-noordwind", "2026-01-06"),
            ("privacy-basics", "2026-01-07"), ("buddy-programme", "2026-01-20"),
            ("onboarding-talk", "2026-01-30"), ("team-lead-start", "2026-01-12"),
            ("absence-talk-micro", "2026-02-03T22:00:00"))):
        add(done, evidence(f"e{number}", module, when, {"completed", "passed"}), SAMPLE, START)
    row = journey_row(done, person(date(2026, 1, 5)), SAMPLE)
    assert row == JourneyRow(date(2026, 1, 5), True, at("2026-02-03T22:00:00"), 29,
                             date(2026, 7, 5), True, True)
    # left on the six-month day: still employed then; left the day before: not
    assert journey_row(done, person(date(2026, 1, 5), date(2026, 7, 5)), SAMPLE).retained
    assert not journey_row(done, person(date(2026, 1, 5), date(2026, 7, 4)), SAMPLE).retained
    # started 31 August: the six-month day is the last of February; onboarding came before
    # the start date, so it counts as done by then (and took minus days)
    late = journey_row(done, person(date(2026, 8, 31)), SAMPLE)
    assert (late.retention_day, late.onboarding_days, late.retention_onboarded) == (
        date(2027, 2, 28), -209, True)  # 3 February to 31 August: 28+31+30+31+30+31+28
    assert journey_row(LearnerProgress(), person(date(2026, 1, 5)), SAMPLE) == JourneyRow(
        date(2026, 1, 5), True, None, None, date(2026, 7, 5), True, False)


def test_completion_is_the_path_views_completion_for_any_evidence():
    """Given random evidence on the sample's modules, should agree with path_status."""
    modules = [m.id for m in SAMPLE.modules]
    for seed in range(40):
        rnd, state = Random(seed), LearnerProgress()
        for n in range(rnd.randint(0, 40)):
            outcomes = rnd.choice([(), ("completed",), ("completed", "passed")])
            add(state, evidence(f"e{n}", rnd.choice(modules),
                                f"2026-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}", outcomes),
                SAMPLE, START)
        for path in SAMPLE.paths:
            assert completed_at(state, path) == path_status(
                state, path, ViewLearner(), START).completed_at, (seed, path.id)

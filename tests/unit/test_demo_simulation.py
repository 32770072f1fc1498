"""The demo's learning history: deterministic, never in the future, every statement valid (also
as TinCanPython sends it), nothing after a person left, and, folded by the progress engine's
own pure functions, an organisation that looks real: part of it through onboarding, alerts of
most kinds, tests failed and retaken, microlearning done again and again."""

import json
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from tincan import Statement

from lrs_bridge.demo.organisation import make_people, roster_csv
from lrs_bridge.demo.sessions import PASS_MARK
from lrs_bridge.demo.simulation import person_statements, refreshers, simulate
from lrs_bridge.journey.alert_rules import conditions
from lrs_bridge.journey.dates import add_months
from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.matching import ModuleIndex
from lrs_bridge.journey.progress import add, evidence_of
from lrs_bridge.journey.progress_state import LearnerProgress
from lrs_bridge.journey.progress_views import learner_view
from lrs_bridge.journey.roster import parse_roster, updated
from lrs_bridge.mapping_files.loader import load_mapping
from lrs_bridge.schemas import validate_statements
from lrs_bridge.xapi.timestamps import parse_timestamp

SAMPLE = load_mapping(Path(__file__).parents[2] / "mappings").mapping
NOW = datetime(2026, 11, 30, 10, 30, tzinfo=UTC)
INDEX = ModuleIndex(SAMPLE.modules)


def history(people: int, seed: int) -> tuple[list, dict[str, list[dict]]]:
    """The people and each one's statements."""
    found = make_people(SAMPLE, people, seed, NOW.date())
    return found, {p.email: person_statements(SAMPLE, p, seed, NOW) for p in found}


@pytest.fixture(scope="module")
def organisation():
    return history(200, 1)


def module_of(statement: dict) -> str | None:
    found = INDEX.match(statement["object"]["id"])
    return found[0].id if found else None


def moment(statement: dict) -> datetime:
    return parse_timestamp(statement["timestamp"])


def folded(people: list, statements: dict[str, list[dict]]):
    """Each person's view and alert conditions at NOW, as the progress worker folds them."""
    roster = parse_roster(roster_csv(people).encode(), "demo.csv",
                          {r.id for r in SAMPLE.roles}, {p.id for p in SAMPLE.paths})
    found = {}
    for row in roster.rows:
        person = updated(None, row, roster.columns)
        state = LearnerProgress()
        for statement in statements[person.email]:
            evidence = evidence_of(SAMPLE, statement, trusted_tags=False, index=INDEX)
            if evidence is not None:
                add(state, evidence, SAMPLE, NOW)
        context = learner_context(person, SAMPLE, NOW.date())
        view = learner_view(state, SAMPLE, context, NOW)
        found[person.email] = (view, conditions(view, state, SAMPLE, context, NOW))
    return found


def test_the_same_seed_and_time_give_the_same_statements_another_seed_others():
    people = make_people(SAMPLE, 12, 5, NOW.date())
    first = simulate(SAMPLE, people, 5, NOW)
    assert simulate(SAMPLE, people, 5, NOW) == first
    assert simulate(SAMPLE, people, 6, NOW) != first
    # Another run later gives other statement ids: a second demo on one database adds to it
    # rather than conflicting with the first one's statements.
    later = simulate(SAMPLE, people, 5, NOW + timedelta(hours=1))
    assert not {s["id"] for s in first} & {s["id"] for s in later}


def test_statement_ids_are_unique(organisation):
    _, statements = organisation
    ids = [s["id"] for items in statements.values() for s in items]
    assert len(ids) == len(set(ids)) > 5000


def test_no_statement_is_dated_in_the_future_and_each_persons_are_in_order(organisation):
    _, statements = organisation
    for items in statements.values():
        moments = [moment(s) for s in items]
        assert all(m < NOW for m in moments)
        assert moments == sorted(moments)


def test_history_spreads_over_the_eighteen_months_and_the_application_before_them(organisation):
    _, statements = organisation
    months = {(moment(s).year, moment(s).month) for items in statements.values() for s in items}
    assert len(months) >= 19


def test_every_statement_validates_also_as_tincanpython_sends_it(organisation):
    _, statements = organisation
    everything = [s for items in statements.values() for s in items]
    validate_statements(everything)
    validate_statements([json.loads(Statement.from_json(json.dumps(s)).to_json("1.0.3"))
                         for s in everything[:3000]])


def test_every_statement_is_about_a_module_of_the_mapping(organisation):
    _, statements = organisation
    assert all(module_of(s) for items in statements.values() for s in items)


def test_leavers_send_nothing_after_their_last_day_and_alumni_only_alumni_content(organisation):
    people, statements = organisation
    left = [p for p in people if p.leave_date is not None and p.leave_date < NOW.date()]
    assert {p.status for p in left} == {"leaver", "alumni"}
    for person in left:
        gone = datetime.combine(person.leave_date + timedelta(days=1), time(), tzinfo=UTC)
        after = {module_of(s) for s in statements[person.email] if moment(s) >= gone}
        assert after <= ({"alumni-content"} if person.status == "alumni" else set())
    assert any(module_of(s) == "alumni-content" for p in left for s in statements[p.email])


def test_most_who_leave_in_their_first_six_months_stopped_learning_weeks_before(organisation):
    people, statements = organisation
    early = [p for p in people if p.leave_date is not None
             and p.leave_date < add_months(p.start_date, 6)]
    assert len(early) >= 3

    phases = {m.id: m.phase for m in SAMPLE.modules}

    def last_learning(person) -> date:  # offboarding and alumni content left aside
        return max((moment(s).date() for s in statements[person.email]
                    if phases[module_of(s)] not in ("offboarding", "apply", "attract")),
                   default=person.start_date)

    quiet = [p for p in early if (last_learning(p) - p.start_date).days <= 45]
    assert len(quiet) * 2 > len(early)


def test_before_the_start_date_only_the_application_and_employer_brand(organisation):
    people, statements = organisation
    phases = {m.id: m.phase for m in SAMPLE.modules}
    before = Counter(phases[module_of(s)] for p in people for s in statements[p.email]
                     if moment(s).date() < p.start_date)
    assert set(before) == {"attract", "apply"}


def test_leavers_hand_over_and_answer_the_exit_survey_with_a_score(organisation):
    people, statements = organisation
    leaving = [s for p in people if p.leave_date for s in statements[p.email]]
    survey = [s for s in leaving if module_of(s) == "exit-survey"]
    assert survey and all(s["verb"]["id"].endswith("/responded") for s in survey)
    assert len({s["result"]["score"]["scaled"] for s in survey}) > 1
    assert any(module_of(s) == "knowledge-transfer-exit" for s in leaving)


def test_tests_are_failed_and_retaken_with_scores_on_both_sides_of_the_pass_mark(organisation):
    _, statements = organisation
    scores = [s["result"]["score"]["scaled"] for items in statements.values() for s in items
              if s["verb"]["id"].endswith(("/passed", "/failed"))]
    assert min(scores) < PASS_MARK <= max(scores) and len(set(scores)) > 30
    retaken = 0
    for items in statements.values():
        failed = {module_of(s) for s in items if s["verb"]["id"].endswith("/failed")}
        passed_later = {module_of(s) for s in items if s["verb"]["id"].endswith("/passed")}
        retaken += len(failed & passed_later)
    assert retaken >= 5


def test_microlearning_is_done_again_and_again(organisation):
    _, statements = organisation
    micro = {m.id for m in SAMPLE.modules if m.type == "microlearning"}
    repeats = [count for items in statements.values()
               for module, count in Counter(module_of(s) for s in items).items()
               if module in micro]
    assert max(repeats) >= 6
    assert sum(count >= 4 for count in repeats) > 50


def test_the_refreshers_are_the_steps_due_within_three_months_of_an_expiry():
    # privacy-gdpr and electrical-safety evidence counts for a year: the privacy refresher
    # (P11M) and the NEN 3140 refresher (P1Y) renew it; the NEN 3140 designation (P6M) and
    # the privacy basics (P14D) give it first
    assert refreshers(SAMPLE) == {("retention-growth", "privacy-refresher"),
                                  ("retention-safety-refresher", "nen3140-refresher")}


def test_refreshers_are_taken_near_the_expiry_of_what_they_renew(organisation):
    people, statements = organisation
    months = [(moment(s).date() - p.start_date).days / 30.4 for p in people
              for s in statements[p.email] if module_of(s) == "privacy-refresher"
              and s["verb"]["id"].endswith("/passed")]
    assert len(months) > 20
    # due at 11 months, taken in its last tenth (9.9 months on) or late
    assert min(months) > 9.5


def test_only_the_ambitious_work_on_an_ambition_path(organisation):
    people, statements = organisation
    mobility = {"job-shadow-day", "aspiring-team-lead"}
    workers = {p.email for p in people for s in statements[p.email] if module_of(s) in mobility}
    assert workers and workers <= {p.email for p in people if p.paths}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_part_of_the_organisation_is_through_onboarding_and_alerts_of_most_kinds_open(seed):
    people, statements = history(200, seed)
    views = folded(people, statements)
    onboarding = {p.id for p in SAMPLE.paths if p.phase == "onboarding"}
    through = [all(p.status == "completed" for p in view.paths if p.path in onboarding)
               for view, _ in views.values()]
    assert 0.2 < sum(through) / len(through) < 0.95
    kinds = Counter(kind for _, found in views.values() for kind, _ in found)
    assert {"overdue", "skill_gap", "stalled", "repeated_failure", "milestone"} <= set(kinds)
    assert {"expiring", "expired"} & set(kinds)
    # not everyone the same: some people have open overdue steps, most do not
    late = sum(any(kind == "overdue" for kind, _ in found) for _, found in views.values())
    assert 0.05 < late / len(views) < 0.6


def test_progress_on_the_development_paths_varies(organisation):
    views = folded(*organisation)
    development = Counter(p.status for view, _ in views.values() for p in view.paths
                          if p.path.startswith("development-"))
    assert set(development) == {"not_started", "in_progress", "completed"}


def test_a_small_organisation_works_too():
    people, statements = history(5, 9)
    assert len(people) == 5 and sum(map(len, statements.values())) > 0

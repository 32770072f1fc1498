"""The alert rules: each kind opens when its condition holds and resolves, naming what cleared
it, when the condition clears; leavers; one open alert per key; determinism."""

from dataclasses import replace
from datetime import UTC, date, datetime

import isodate
import pytest

from lrs_bridge.journey.alerts import Condition, Resolution, conditions, reconcile
from lrs_bridge.journey.model import Module, Path, SkillGrant, Step, Text
from lrs_bridge.journey.progress import retract
from lrs_bridge.journey.progress_views import learner_view
from tests.unit.test_journey_mapping import MAPPING
from tests.unit.test_progress import ANNA, CRM, NOW, ONBOARDING, fold, said

# ANNA starts on 2026-01-05: step 1 (crm-course) is due 2026-01-12, step 2 (privacy-basics,
# passed) 2026-02-04. Privacy evidence counts for a year; alerts use the default thresholds
# (stalled after 14 days, 3 failures, expiry warning 30 days).
STAYER = replace(ANNA, leave_date=None)
QUIZ = "https://learning.example.nl/assessments/privacy"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def passed(sid: str, day: int) -> dict:
    """A pass of privacy-basics with a score that gives privacy level 2."""
    return said(sid, "passed", day=day, result={"score": {"scaled": 0.9}})


def holding(state, now, learner=ANNA, mapping=MAPPING) -> dict:
    return conditions(learner_view(state, mapping, learner, now), state, mapping, learner, now)


class Alerts:
    """A fake alert store for one learner: keeps open what reconcile opens, drops what it
    resolves."""

    def __init__(self, learner=ANNA, mapping=MAPPING):
        self.learner, self.mapping, self.open = learner, mapping, {}

    def evaluate(self, state, now) -> tuple[list[Condition], dict[tuple, Resolution]]:
        view = learner_view(state, self.mapping, self.learner, now)
        found = conditions(view, state, self.mapping, self.learner, now)
        opened, resolved = reconcile(self.open.values(), found, view, state, self.learner, now)
        self.open.update((c.key, c) for c in opened)
        for r in resolved:
            del self.open[r.kind, r.subject]
        return opened, {(r.kind, r.subject): r for r in resolved}


# overdue


def test_a_required_step_falls_overdue_once_its_due_date_is_over():
    assert ("overdue", "onboarding/crm-course") not in holding(fold(), at(2026, 1, 12, 23, 59))
    found = holding(fold(), at(2026, 1, 13))
    alert = found["overdue", "onboarding/crm-course"]
    assert (alert.since, alert.path, alert.phase) == (at(2026, 1, 13), "onboarding", "onboarding")
    assert alert.detail == {"module": "crm-course", "step": 1, "outcome": "completed",
                            "due": "2026-01-12"}
    assert ("overdue", "onboarding/privacy-basics") not in found  # due 2026-02-04


def test_the_statement_that_meets_an_overdue_step_resolves_it():
    alerts = Alerts()
    alerts.evaluate(fold(), at(2026, 2, 10))
    state = fold(said("k", "completed", CRM, day=42), said("f", "failed", day=43),
                 passed("p", day=44))
    now = at(2026, 2, 15)
    _, resolved = alerts.evaluate(state, now)
    assert resolved["overdue", "onboarding/crm-course"] == Resolution(
        "overdue", "onboarding/crm-course", now, "k", "completed")
    assert resolved["overdue", "onboarding/privacy-basics"] == Resolution(
        "overdue", "onboarding/privacy-basics", now, "p", "passed")


# skill_gap


def test_a_gap_is_news_once_the_step_that_should_close_it_falls_due():
    assert not any(kind == "skill_gap" for kind, _ in holding(fold(), at(2026, 1, 12, 23, 59)))
    found = holding(fold(), at(2026, 1, 13))
    gap = found["skill_gap", "crm"]
    assert (gap.since, gap.path, gap.phase) == (at(2026, 1, 13), "onboarding", "onboarding")
    assert gap.detail == {"level": None, "target": 1, "gap": 1, "module": "crm-course"}
    assert ("skill_gap", "privacy") not in found  # its step falls due on 2026-02-05


def with_quiz():
    quiz = Module("privacy-quiz", Text("Quiz", "Toets"), "assessment", "onboarding",
                  activity=QUIZ, skills=(SkillGrant("privacy", 2, "passed"),))
    return replace(MAPPING, modules=(*MAPPING.modules, quiz))


def test_a_gap_is_news_right_after_an_assessment_of_the_skill_is_attempted():
    mapping, learner = with_quiz(), replace(STAYER, paths=())
    looked = fold(said("x", "experienced", QUIZ, day=2), mapping=mapping)
    assert holding(looked, NOW, learner, mapping) == {}  # activity, no attempt
    state = fold(said("x", "experienced", QUIZ, day=2), said("q", "failed", QUIZ, day=3),
                 mapping=mapping)
    gap = holding(state, NOW, learner, mapping)["skill_gap", "privacy"]
    assert (gap.since, gap.path, gap.phase) == (at(2026, 1, 3), None, "onboarding")
    assert gap.detail["module"] == "privacy-quiz"
    # An attempt at a module that is no assessment says nothing about the skill yet.
    failed = fold(said("f", "failed", day=3), mapping=mapping)
    assert holding(failed, NOW, learner, mapping) == {}


def test_the_evidence_that_closes_a_gap_resolves_it_and_a_pass_without_the_level_does_not():
    alerts = Alerts()
    alerts.evaluate(fold(), at(2026, 2, 10))
    assert ("skill_gap", "privacy") in alerts.open
    low = said("low", "passed", day=42, result={"score": {"scaled": 0.5}})  # below 0.8
    _, resolved = alerts.evaluate(fold(low), at(2026, 2, 12))
    assert resolved["overdue", "onboarding/privacy-basics"].statement_id == "low"
    assert ("skill_gap", "privacy") not in resolved
    now = at(2026, 2, 15)
    _, resolved = alerts.evaluate(fold(low, passed("p", day=45)), now)
    assert resolved == {("skill_gap", "privacy"): Resolution("skill_gap", "privacy", now, "p",
                                                             "evidence")}


def test_a_gap_left_by_expired_evidence_dates_from_the_expiry():
    state = fold(said("k", "completed", CRM, day=1), passed("p", day=1))  # expires 2027-01-01
    gap = holding(state, at(2027, 2, 1), STAYER)["skill_gap", "privacy"]
    assert (gap.since, gap.detail["level"], gap.detail["gap"]) == (at(2027, 1, 1), None, 2)


# stalled


def test_a_learner_stalls_after_stalled_after_without_activity_on_an_open_path():
    state = fold(said("a", "experienced", day=10))
    assert ("stalled", "journey") not in holding(state, at(2026, 1, 23, 23, 59))
    stalled = holding(state, at(2026, 1, 24))["stalled", "journey"]
    assert (stalled.since, stalled.path, stalled.phase) == (at(2026, 1, 24), "onboarding",
                                                            "onboarding")
    assert stalled.detail == {"last_activity": at(2026, 1, 10).isoformat(),
                              "quiet_since": at(2026, 1, 10).isoformat(),
                              "open_paths": ["onboarding"]}


def test_without_activity_the_quiet_spell_counts_from_the_paths_anchor_date():
    stalled = holding(fold(), at(2026, 2, 1))["stalled", "journey"]
    assert (stalled.since, stalled.detail["last_activity"]) == (at(2026, 1, 19), None)


def test_nobody_stalls_on_a_path_that_has_not_begun_or_is_completed():
    mapping = replace(MAPPING, paths=(replace(ONBOARDING, anchor="role_start_date"),))
    learner = replace(STAYER, role_start_date=date(2026, 6, 1))
    state = fold(said("a", "experienced", day=10))
    assert ("stalled", "journey") not in holding(state, at(2026, 5, 31), learner, mapping)
    assert ("stalled", "journey") not in holding(state, at(2026, 6, 14), learner, mapping)
    assert holding(state, at(2026, 6, 15), learner, mapping)["stalled", "journey"].since == \
        at(2026, 6, 15)
    done = fold(said("k", "completed", CRM, day=3), passed("p", day=4))
    assert ("stalled", "journey") not in holding(done, NOW)


def test_new_activity_resolves_a_stalled_alert():
    alerts = Alerts()
    alerts.evaluate(fold(said("old", "experienced", day=2)), at(2026, 1, 30))
    assert ("stalled", "journey") in alerts.open
    now = at(2026, 2, 1)
    state = fold(said("old", "experienced", day=2), said("a", "experienced", day=31))
    _, resolved = alerts.evaluate(state, now)
    assert resolved["stalled", "journey"] == Resolution("stalled", "journey", now, "a",
                                                        "activity")


def test_activity_that_arrives_late_resolves_a_stalled_alert_too():
    alerts = Alerts()
    alerts.evaluate(fold(), at(2026, 1, 20))  # quiet since the start date, 2026-01-05
    now = at(2026, 1, 25)
    _, resolved = alerts.evaluate(fold(said("late", "experienced", day=18)), now)
    assert resolved["stalled", "journey"] == Resolution("stalled", "journey", now, "late",
                                                        "activity")


# repeated_failure


def test_a_step_failed_failures_before_alert_times_raises_an_alert_from_that_failure():
    failures = [said("f1", "failed", day=2), said("f2", "failed", day=5),
                said("f3", "failed", day=8)]
    assert ("repeated_failure", "privacy-basics") not in holding(fold(*failures[:2]), NOW)
    alert = holding(fold(*failures, said("f4", "failed", day=9)), NOW)[
        "repeated_failure", "privacy-basics"]
    assert (alert.since, alert.path, alert.phase) == (at(2026, 1, 8), "onboarding", "onboarding")
    assert alert.detail == {"module": "privacy-basics", "failures": 4, "attempts": 4,
                            "threshold": 3}
    mapping = replace(MAPPING, alerts=replace(MAPPING.alerts, failures_before_alert=2))
    assert holding(fold(*failures[:2]), NOW, mapping=mapping)[
        "repeated_failure", "privacy-basics"].since == at(2026, 1, 5)


def test_a_pass_resolves_repeated_failures():
    failures = [said(f"f{n}", "failed", day=n) for n in (2, 3, 4)]
    alerts = Alerts()
    alerts.evaluate(fold(*failures), at(2026, 1, 10))
    now = at(2026, 1, 13)
    _, resolved = alerts.evaluate(fold(*failures, passed("p", day=12)), now)
    assert resolved["repeated_failure", "privacy-basics"] == Resolution(
        "repeated_failure", "privacy-basics", now, "p", "passed")


# expiring and expired


def test_evidence_is_expiring_within_expiry_warning_of_its_expiry():
    state = fold(passed("p", day=1))  # privacy level 2 until 2027-01-01
    assert ("expiring", "privacy") not in holding(state, at(2026, 12, 1, 23, 59), STAYER)
    alert = holding(state, at(2026, 12, 2), STAYER)["expiring", "privacy"]
    assert (alert.since, alert.path, alert.phase) == (at(2026, 12, 2), None, None)
    assert alert.detail == {"level": 2, "target": 2, "expires": at(2027, 1, 1).isoformat()}


def test_renewed_evidence_resolves_an_expiring_alert():
    alerts = Alerts(STAYER)
    alerts.evaluate(fold(passed("p", day=1)), at(2026, 12, 5))
    now = at(2026, 12, 11)
    _, resolved = alerts.evaluate(fold(passed("p", day=1), passed("p2", day=344)), now)
    assert resolved["expiring", "privacy"] == Resolution("expiring", "privacy", now, "p2",
                                                         "evidence")


def test_an_expiring_alert_resolves_as_expired_when_the_evidence_expires():
    alerts = Alerts(STAYER)
    state = fold(passed("p", day=1))
    alerts.evaluate(state, at(2026, 12, 5))
    now = at(2027, 1, 1)
    opened, resolved = alerts.evaluate(state, now)
    assert resolved["expiring", "privacy"] == Resolution("expiring", "privacy", now, None,
                                                         "expired")
    expired = next(c for c in opened if c.key == ("expired", "privacy"))
    assert (expired.since, expired.detail["level"]) == (at(2027, 1, 1), 2)


def test_new_evidence_resolves_an_expired_alert():
    alerts = Alerts(STAYER)
    alerts.evaluate(fold(passed("p", day=1)), at(2027, 1, 2))
    assert ("expired", "privacy") in alerts.open
    now = at(2027, 1, 16)
    _, resolved = alerts.evaluate(fold(passed("p", day=1), passed("p3", day=380)), now)
    assert resolved["expired", "privacy"] == Resolution("expired", "privacy", now, "p3",
                                                        "evidence")


def test_months_in_the_thresholds_are_calendar_months():
    mapping = replace(MAPPING, alerts=replace(
        MAPPING.alerts, stalled_after=isodate.parse_duration("P1M"), expiry_warning="P2M"))
    assert holding(fold(), at(2026, 2, 5), mapping=mapping)["stalled", "journey"].since == \
        at(2026, 2, 5)
    assert ("stalled", "journey") not in holding(fold(), at(2026, 2, 4), mapping=mapping)
    assert holding(fold(passed("p", day=1)), at(2026, 11, 1), STAYER, mapping)[
        "expiring", "privacy"].since == at(2026, 11, 1)


# milestone


def test_completing_a_path_is_a_milestone_and_so_is_completing_its_phase():
    found = holding(fold(said("k", "completed", CRM, day=3), passed("p", day=9)), NOW)
    path, phase = found["milestone", "path:onboarding"], found["milestone", "phase:onboarding"]
    assert (path.since, path.path, path.phase) == (at(2026, 1, 9), "onboarding", "onboarding")
    assert (phase.since, phase.path, phase.phase) == (at(2026, 1, 9), None, "onboarding")


def test_a_phase_is_completed_once_every_path_of_it_the_learner_follows_is():
    tools = Path("tools", Text("Tools", "Tools"), "onboarding", None, "start_date",
                 (Step("crm-course"),))
    mapping = replace(MAPPING, paths=(*MAPPING.paths, tools))
    learner = replace(ANNA, paths=("onboarding", "tools"))
    found = holding(fold(said("k", "completed", CRM, day=3)), NOW, learner, mapping)
    assert found["milestone", "path:tools"].since == at(2026, 1, 3)
    assert ("milestone", "phase:onboarding") not in found
    found = holding(fold(said("k", "completed", CRM, day=3), passed("p", day=9)), NOW,
                    learner, mapping)
    phase = found["milestone", "phase:onboarding"]
    assert (phase.since, phase.detail["paths"]) == (at(2026, 1, 9), ["onboarding", "tools"])


def test_a_milestone_stays_open_until_the_pass_behind_it_is_voided():
    alerts = Alerts()
    state = fold(said("k", "completed", CRM, day=3), passed("p", day=9))
    opened, _ = alerts.evaluate(state, NOW)
    assert {c.key for c in opened} == {("milestone", "path:onboarding"),
                                       ("milestone", "phase:onboarding")}
    assert alerts.evaluate(state, at(2027, 6, 1))[1] == {}  # its evidence expired meanwhile
    state, _ = retract(state, "p", MAPPING, NOW)
    now = at(2027, 6, 2)
    _, resolved = alerts.evaluate(state, now)
    assert {key: r for key, r in resolved.items() if key[0] == "milestone"} == {
        ("milestone", key): Resolution("milestone", key, now, None, "no_longer_holds")
        for key in ("path:onboarding", "phase:onboarding")}


def test_an_alert_cleared_by_a_changed_mapping_names_no_statement():
    demanding = replace(MAPPING, roles=(replace(MAPPING.roles[0], skills={"privacy": 3,
                                                                          "crm": 1}),),
                        alerts=replace(MAPPING.alerts, expiry_warning="P60D"))
    alerts = Alerts(STAYER, demanding)
    state = fold(said("k", "completed", CRM, day=1), passed("p", day=1))
    alerts.evaluate(state, at(2026, 11, 15))
    assert {("skill_gap", "privacy"), ("expiring", "privacy")} <= set(alerts.open)
    alerts.mapping = MAPPING  # target 2, warning 30 days
    now = at(2026, 11, 16)
    _, resolved = alerts.evaluate(state, now)
    assert resolved == {(kind, "privacy"): Resolution(kind, "privacy", now, None,
                                                      "no_longer_holds")
                        for kind in ("expiring", "skill_gap")}


# leavers


@pytest.mark.parametrize("learner, moment, gets_them", [
    (replace(ANNA, leave_date=date(2026, 3, 1)), at(2026, 3, 1, 23), True),
    (replace(ANNA, leave_date=date(2026, 3, 1)), at(2026, 3, 2), False),
    (replace(ANNA, leave_date=None, status="alumni"), at(2026, 3, 2), False),
    (replace(ANNA, leave_date=None, status="leaver"), at(2026, 3, 2), False),
    (replace(ANNA, leave_date=date(2026, 4, 1), status="leaver"), at(2026, 3, 2), True),
])
def test_leavers_and_alumni_get_no_overdue_stalled_or_gap_alerts_after_leaving(
        learner, moment, gets_them):
    state = fold(*(said(f"f{n}", "failed", day=n) for n in (2, 3, 4)))
    kinds = {kind for kind, _ in holding(state, moment, learner)}
    employed = {"overdue", "stalled", "skill_gap"}
    assert kinds & employed == (employed if gets_them else set())
    assert "repeated_failure" in kinds  # what they did still shows


def test_a_learners_open_alerts_resolve_as_left_once_they_leave():
    alerts = Alerts()
    alerts.evaluate(fold(), at(2026, 2, 10))
    assert {kind for kind, _ in alerts.open} == {"overdue", "stalled", "skill_gap"}
    alerts.learner = replace(ANNA, leave_date=date(2026, 2, 12))
    now = at(2026, 2, 13)
    _, resolved = alerts.evaluate(fold(), now)
    assert sorted(resolved) == [("overdue", "onboarding/crm-course"),
                                ("overdue", "onboarding/privacy-basics"),
                                ("skill_gap", "crm"), ("skill_gap", "privacy"),
                                ("stalled", "journey")]
    assert {(r.at, r.statement_id, r.reason) for r in resolved.values()} == {(now, None, "left")}
    assert alerts.open == {}


def test_a_statement_that_clears_an_alert_is_named_even_after_the_learner_left():
    alerts = Alerts()
    alerts.evaluate(fold(), at(2026, 2, 10))
    alerts.learner = replace(ANNA, leave_date=date(2026, 2, 12))
    now = at(2026, 2, 13)
    _, resolved = alerts.evaluate(fold(said("k", "completed", CRM, day=43)), now)
    assert resolved["overdue", "onboarding/crm-course"] == Resolution(
        "overdue", "onboarding/crm-course", now, "k", "completed")
    assert resolved["overdue", "onboarding/privacy-basics"].reason == "left"


# one open alert per key, determinism


def test_a_condition_that_still_holds_opens_no_second_alert():
    alerts = Alerts()
    opened, _ = alerts.evaluate(fold(said("f", "failed", day=2)), at(2026, 2, 10))
    assert len(opened) == len({c.key for c in opened}) == 5
    assert alerts.evaluate(fold(said("f", "failed", day=2)), at(2026, 2, 20)) == ([], {})
    # An open alert is matched by its key, whatever it said when it was opened.
    view = learner_view(fold(), MAPPING, ANNA, NOW)
    found = holding(fold(), NOW)
    stale = [replace(c, since=at(2020, 1, 1), detail={}) for c in found.values()]
    assert reconcile(stale, found, view, fold(), ANNA, NOW) == ([], [])


def test_the_same_inputs_give_the_same_alerts_in_key_order():
    statements = [said("k", "completed", CRM, day=40), said("f1", "failed", day=2),
                  said("f2", "failed", day=3), said("f3", "failed", day=4)]
    state, reversed_state = fold(*statements), fold(*reversed(statements))
    now = at(2026, 3, 1)
    first, again = holding(state, now), holding(reversed_state, now)
    assert list(first.items()) == list(again.items())
    assert list(first) == sorted(first)
    view = learner_view(state, MAPPING, ANNA, now)
    assert reconcile([], first, view, state, ANNA, now) == (list(first.values()), [])
    opened = [first["stalled", "journey"], first["overdue", "onboarding/privacy-basics"]]
    assert reconcile(opened, {}, view, state, ANNA, now) == \
        reconcile(reversed(opened), {}, view, state, ANNA, now)

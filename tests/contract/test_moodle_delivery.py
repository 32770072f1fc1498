"""Each outbox event against the fake Moodle: what arrives there, and what deliver answers."""

import pytest

from lrs_bridge_connectors.base import OK, PERMANENT, LmsUser
from tests.contract.moodle_events import LEARNER, alert, event, skill, step

OVERRIDE = "core_completion_override_activity_completion_status"


@pytest.fixture
def anna(moodle):
    return LmsUser(id=str(moodle.add_user("anna@noordwind.nl")), email="anna@noordwind.nl")


def test_a_passed_step_completes_the_activity_of_its_module(moodle, connect, anna):
    cmid = moodle.add_cm(moodle.add_course(enrolled=[int(anna.id)]))
    connector = connect({"modules": {"privacy-basics": {"cmid": cmid}}})
    result = connector.deliver(step("privacy-basics", "passed"), anna)
    assert result.status == OK, result.message
    assert moodle.called(OVERRIDE) == [{"userid": int(anna.id), "cmid": cmid, "newstate": 1}]
    assert moodle.completions[(int(anna.id), cmid)]["state"] == 1


@pytest.mark.parametrize("status", ["failed", "in_progress", "not_started"])
def test_a_step_not_met_sends_nothing_and_undoes_nothing(moodle, connect, anna, status):
    cmid = moodle.add_cm(moodle.add_course())
    connector = connect({"modules": {"privacy-basics": {"cmid": cmid}}})
    assert connector.deliver(step("privacy-basics", "passed"), anna).status == OK
    result = connector.deliver(step("privacy-basics", status), anna)
    assert result.status == OK and "nothing to send" in result.message
    assert [p["newstate"] for p in moodle.called(OVERRIDE)] == [1]
    assert moodle.completions[(int(anna.id), cmid)]["state"] == 1


def test_a_module_without_a_moodle_mapping_is_not_sent(moodle, connect, anna):
    result = connect({"modules": {}}).deliver(step("welcome-noordwind"), anna)
    assert (result.status, result.message) == (OK, "module welcome-noordwind is not mapped "
                                                   "to Moodle")
    assert moodle.calls == []


def test_a_user_moodle_no_longer_has_gets_no_completion(moodle, connect):
    cmid = moodle.add_cm(moodle.add_course())
    gone = LmsUser(id="99999")
    result = connect({"modules": {"m": {"cmid": cmid}}}).deliver(step("m"), gone)
    assert result.status == PERMANENT and result.user_gone
    assert moodle.called(OVERRIDE) == [] and moodle.completions == {}


def test_with_a_course_a_learner_not_enrolled_there_gets_no_completion(moodle, connect, anna):
    course = moodle.add_course(enrolled=[])
    cmid = moodle.add_cm(course)
    result = connect({"modules": {"m": {"cmid": cmid, "course": course}}}).deliver(step("m"),
                                                                                 anna)
    assert result.status == PERMANENT and "not enrolled in course" in result.message
    assert not result.user_gone and moodle.completions == {}
    assert moodle.called("core_enrol_get_users_courses") == [
        {"userid": int(anna.id), "returnusercount": False}]


def test_with_a_course_an_enrolled_learner_gets_the_completion(moodle, connect, anna):
    course = moodle.add_course(enrolled=[int(anna.id)])
    cmid = moodle.add_cm(course)
    result = connect({"modules": {"m": {"cmid": cmid, "course": course}}}).deliver(
        step("m", "completed"), anna)
    assert result.status == OK and (int(anna.id), cmid) in moodle.completions


def test_an_activity_without_completion_tracking_is_reported_not_passed_over(moodle, connect,
                                                                              anna):
    cmid = moodle.add_cm(moodle.add_course(), tracking=0)
    result = connect({"modules": {"m": {"cmid": cmid}}}).deliver(step("m"), anna)
    assert result.status == PERMANENT and "completion tracking off" in result.message


def test_completion_off_in_the_course_is_permanent_in_moodles_words(moodle, connect, anna):
    cmid = moodle.add_cm(moodle.add_course(completion=False))
    result = connect({"modules": {"m": {"cmid": cmid}}}).deliver(step("m"), anna)
    assert result.status == PERMANENT
    assert "Completion is not enabled (completionnotenabled)" in result.message


def test_a_missing_capability_names_the_capability_to_add(moodle, connect, anna):
    moodle.capabilities.discard("moodle/course:overridecompletion")
    cmid = moodle.add_cm(moodle.add_course())
    result = connect({"modules": {"m": {"cmid": cmid}}}).deliver(step("m"), anna)
    assert result.status == PERMANENT
    assert "error/nopermission (nopermission)" in result.message
    assert "moodle/course:overridecompletion" in result.message


def test_a_mapping_of_the_wrong_shape_is_permanent_and_says_why(moodle, connect, anna):
    result = connect({"modules": {"m": {"idnumber": "PRIV"}}}).deliver(step("m"), anna)
    assert result.status == PERMANENT and "give its cmid" in result.message
    assert moodle.calls == []


def test_a_skill_level_rates_the_competency_in_its_course(moodle, connect, anna):
    course = moodle.add_course(enrolled=[int(anna.id)])
    competency = moodle.add_competency("PRIV-1", course=course)
    connector = connect({"skills": {"privacy-gdpr": {"competency": "PRIV-1", "course": course}}})
    result = connector.deliver(skill("privacy-gdpr", 2, evidence=("st-1", "st-2")), anna)
    assert result.status == OK, result.message
    [rating] = moodle.ratings
    assert (rating["userid"], rating["competencyid"], rating["courseid"], rating["grade"]) == \
        (int(anna.id), competency, course, 2)
    assert rating["descidentifier"] == "evidence_manualoverrideincourse"
    assert rating["note"] == "lrs-bridge: privacy-gdpr at level 2; evidence: xAPI statements " \
                             "st-1, st-2"


def test_without_a_course_the_rating_is_on_the_learners_competency_by_the_levels_map(
        moodle, connect, anna):
    competency = moodle.add_competency("VCA", scale=2)
    connector = connect({"skills": {"safety-vca": {"competency_id": competency,
                                                   "levels": {"1": 1, "2": 2}}}})
    assert connector.deliver(skill("safety-vca", 1), anna).status == OK
    assert [(r["courseid"], r["grade"], r["descidentifier"]) for r in moodle.ratings] == \
        [(None, 1, "evidence_manualoverride")]


@pytest.mark.parametrize("level, levels", [(None, None), (0, None), (3, {"1": 1, "2": 2})])
def test_a_level_without_a_scale_value_sends_nothing(moodle, connect, anna, level, levels):
    target = {"competency": "PRIV-1"} | ({"levels": levels} if levels else {})
    result = connect({"skills": {"privacy-gdpr": target}}).deliver(skill("privacy-gdpr", level),
                                                                   anna)
    assert result.status == OK and "no Moodle rating" in result.message
    assert moodle.calls == []


def test_a_rating_outside_the_scale_is_permanent(moodle, connect, anna):
    moodle.add_competency("PRIV-1", scale=2)
    result = connect({"skills": {"p": {"competency": "PRIV-1"}}}).deliver(skill("p", 4), anna)
    assert result.status == PERMANENT and "Invalid rating" in result.message


def test_an_id_number_in_two_frameworks_needs_the_framework(moodle, connect, anna):
    moodle.add_competency("PRIV-1", framework=1)
    second = moodle.add_competency("PRIV-1", framework=2)
    result = connect({"skills": {"p": {"competency": "PRIV-1"}}}).deliver(skill("p", 1), anna)
    assert result.status == PERMANENT and 'give the skill\'s "framework"' in result.message
    connector = connect({"skills": {"p": {"competency": "PRIV-1", "framework": 2}}})
    assert connector.deliver(skill("p", 1), anna).status == OK
    assert connector.deliver(skill("p", 2), anna).status == OK
    assert [r["competencyid"] for r in moodle.ratings] == [second, second]
    assert len(moodle.called("core_competency_list_competencies")) == 2  # then cached


def test_an_alert_a_manager_acts_on_goes_to_the_learner_and_the_manager(moodle, connect, anna):
    lead = moodle.add_user("lead@noordwind.nl")
    overdue = alert("overdue", "onboarding-general/privacy-basics",
                    {"module": "privacy-basics", "step": 2, "due": "2026-03-16"})
    result = connect().deliver(overdue, anna)
    assert (result.status, result.message) == (OK, "sent to the learner and to the manager")
    assert [(m["touserid"], m["textformat"], m["clientmsgid"]) for m in moodle.messages] == [
        (int(anna.id), 2, f"{overdue['id']}-learner"), (lead, 2, f"{overdue['id']}-manager")]
    assert moodle.messages[0]["text"] == ("The step privacy-basics on path onboarding-general "
                                          "was due on 2026-03-16 and is not done yet.")
    assert moodle.messages[1]["text"].startswith("Anna de Boer: the step privacy-basics")


def test_an_alert_for_the_learner_alone_is_not_sent_to_the_manager(moodle, connect, anna):
    moodle.add_user("lead@noordwind.nl")
    expiring = alert("expiring", "privacy-gdpr", {"expires": "2027-03-21T09:00:00+00:00"},
                     path=None)
    assert connect().deliver(expiring, anna).message == "sent to the learner"
    assert [m["touserid"] for m in moodle.messages] == [int(anna.id)]


def test_a_manager_moodle_does_not_know_is_said_and_the_learner_still_told(moodle, connect,
                                                                            anna):
    result = connect().deliver(alert("stalled", "journey", {"quiet_since": "2026-03-01"}),
                               anna)
    assert result.status == OK
    assert "not to the manager: Moodle has no user with the manager's address" in result.message
    assert len(moodle.messages) == 1


def test_a_message_refused_inside_a_200_is_permanent_with_moodles_reason(moodle, connect, anna):
    lead = moodle.add_user("lead@noordwind.nl")
    moodle.blocked.add(int(anna.id))
    result = connect().deliver(alert("skill_gap", "privacy-gdpr", {"level": 0, "target": 2}),
                               anna)
    assert result.status == PERMANENT
    assert "due to their message preferences" in result.message
    assert "sent to the manager" in result.message  # not sent again: it did arrive
    assert [m["touserid"] for m in moodle.messages] == [lead]


def test_an_event_of_a_learner_without_a_manager_email_goes_to_the_learner(moodle, connect,
                                                                           anna):
    learner = {key: value for key, value in LEARNER.items() if key != "manager_email"}
    result = connect().deliver(alert("repeated_failure", "privacy-basics", {"failures": 3},
                                     learner=learner), anna)
    assert result.status == OK and "no manager e-mail address" in result.message


@pytest.mark.parametrize("kind", ["alert.resolved", "path.changed"])
def test_resolved_alerts_and_path_changes_are_not_sent(moodle, connect, anna, kind):
    result = connect().deliver(event(kind, path="onboarding-general"), anna)
    assert result.status == OK and "not sent to Moodle" in result.message
    assert moodle.calls == []


def test_an_event_for_a_learner_moodle_does_not_have_is_permanent(moodle, connect):
    cmid = moodle.add_cm(moodle.add_course())
    result = connect({"modules": {"m": {"cmid": cmid}}}).deliver(step("m"), None)
    assert result.status == PERMANENT and "no Moodle user" in result.message
    assert moodle.calls == []


@pytest.mark.parametrize("made", [
    lambda: step("privacy-basics", "passed"), lambda: step("privacy-basics", "failed"),
    lambda: step("welcome-noordwind", "passed"), lambda: skill("privacy-gdpr", 2),
    lambda: skill("privacy-gdpr", None), lambda: skill("culture", 2),
    lambda: event("path.changed", path="onboarding-general", status="completed"),
    lambda: alert("overdue", "welcome-noordwind", {}), lambda: event("alert.resolved")])
def test_an_event_needs_a_user_exactly_when_it_would_send_something(moodle, connect, made):
    """The worker retries an event whose user the LMS lacks only when needs_user says so:
    what needs none must go through without one, and sending nothing."""
    connector = connect({"modules": {"privacy-basics": {"cmid": 40}},
                         "skills": {"privacy-gdpr": {"competency_id": 5, "course": 3}}})
    sent = made()
    if connector.needs_user(sent):
        assert connector.deliver(sent, None).status != OK
    else:
        assert connector.deliver(sent, None).status == OK
        assert moodle.calls == []


def test_a_user_moodle_confirmed_a_moment_ago_is_not_checked_again(moodle, connect, anna):
    """Deliveries close together ask Moodle once whether the user exists and is enrolled;
    a minute later they ask again (a user deleted meanwhile is found out)."""
    course = moodle.add_course(enrolled=[int(anna.id)])
    first, second = moodle.add_cm(course), moodle.add_cm(course)
    connector = connect({"modules": {"privacy-basics": {"cmid": first, "course": course},
                                     "welcome-noordwind": {"cmid": second, "course": course}}})
    now = [1000.0]
    connector.client.confirmed.clock = lambda: now[0]
    for module in ("privacy-basics", "welcome-noordwind"):
        assert connector.deliver(step(module, "passed"), anna).status == OK
    checks = [f for f, _ in moodle.calls if f in ("core_user_get_users_by_field",
                                                  "core_enrol_get_users_courses")]
    assert checks == ["core_user_get_users_by_field", "core_enrol_get_users_courses"]
    now[0] += 61
    del moodle.users[int(anna.id)]
    result = connector.deliver(step("privacy-basics", "passed"), anna)
    assert (result.status, result.user_gone) == (PERMANENT, True)

"""Progress into Canvas: a step's completion as an assignment grade or its status in a
custom gradebook column, a path's percentage, a skill's level; absolute values only."""

import pytest

from lrs_bridge_connectors.base import OK, LmsUser
from tests.contract import outbox_events

ANNA = LmsUser(id="101", email="anna@noordwind.nl")


def test_a_completed_step_completes_its_assignment(connector, canvas):
    result = connector.deliver(outbox_events.step_changed("welcome-noordwind"), ANNA)
    assert result.status == OK
    assert canvas.grades == {(12, 34, 101): "complete"}
    assert "assignment 34" in result.message and "complete" in result.message


@pytest.mark.parametrize("status", ["not_started", "in_progress", "failed"])
def test_a_step_not_met_sends_no_grade_since_a_completion_is_never_undone(
        status, connector, canvas):
    result = connector.deliver(outbox_events.step_changed("welcome-noordwind", status), ANNA)
    assert result.status == OK and "nothing sent" in result.message
    assert canvas.requests == [] and canvas.grades == {}


def test_a_passed_step_posts_its_score_where_the_map_asks_for_it(connector, canvas):
    event = outbox_events.step_changed("privacy-basics", "passed", score=0.9)
    assert connector.deliver(event, ANNA).status == OK
    assert canvas.grades == {(13, 35, 101): "90%"}  # course given by SIS id
    assert canvas.count("PUT", "/api/v1/courses/sis_course_id:AVG-2026/assignments/35/"
                               "submissions/101") == 1


@pytest.mark.parametrize(("grade", "posted"), [("pass", "pass"), (7.5, "7.5"),
                                               ("score", "100%")])
def test_the_grade_posted_is_the_one_the_map_names(grade, posted, canvas, connector_for):
    lms_map = {"modules": {"welcome-noordwind": {"course": 12, "assignment": 34,
                                                 "grade": grade}}}
    connector = connector_for(canvas.url, lms_map=lms_map)
    assert connector.deliver(outbox_events.step_changed(), ANNA).status == OK
    assert canvas.grades == {(12, 34, 101): posted}


def test_a_step_mapped_to_a_column_shows_its_status_whatever_it_is(connector, canvas):
    connector.deliver(outbox_events.step_changed("pulse-survey", "in_progress"), ANNA)
    assert canvas.column_data == {(12, 10, 101): "in progress"}
    connector.deliver(outbox_events.step_changed("pulse-survey", "completed"), ANNA)
    assert canvas.column_data == {(12, 10, 101): "completed 2026-03-04"}
    assert canvas.count("GET", r".*/custom_gradebook_columns") == 0  # given by id


def test_a_path_writes_its_current_percentage_to_the_titled_column(connector, canvas):
    for progress in (0.4, 0.2, 2 / 3):  # down as well as up: the value is absolute
        assert connector.deliver(outbox_events.path_changed(progress=progress), ANNA).status == OK
        assert canvas.column_data[(12, 7, 101)] == f"{int(progress * 100)}%"
    assert canvas.count("GET", "/api/v1/courses/12/custom_gradebook_columns") == 1  # kept


def test_a_path_mapped_to_an_assignment_is_graded_with_its_percentage(canvas, connector_for):
    connector = connector_for(canvas.url, lms_map={"paths": {"onboarding-general": {
        "course": 13, "assignment": 35}}})
    connector.deliver(outbox_events.path_changed(progress=1.0), ANNA)
    assert canvas.grades == {(13, 35, 101): "100%"}


def test_a_skill_level_fills_its_column_and_no_level_clears_it(connector, canvas):
    connector.deliver(outbox_events.skill_changed(level=2), ANNA)
    assert canvas.column_data == {(12, 8, 101): "2"}  # a hidden column is found too
    connector.deliver(outbox_events.skill_changed(level=None), ANNA)
    assert canvas.column_data == {}


def test_an_object_without_a_place_in_canvas_sends_nothing(connector, canvas):
    for event in (outbox_events.step_changed("apply-intake"),
                  outbox_events.path_changed("leadership"),
                  outbox_events.skill_changed("negotiation")):
        result = connector.deliver(event, ANNA)
        assert result.status == OK and "has no place in Canvas" in result.message
    assert canvas.requests == []


def test_a_column_title_the_course_lacks_is_permanent_and_named(canvas, connector_for):
    connector = connector_for(canvas.url, lms_map={"paths": {"onboarding-general": {
        "course": 12, "column": "Voortgang"}}})
    result = connector.deliver(outbox_events.path_changed(), ANNA)
    assert result.status == "permanent"
    assert "course 12 has no custom gradebook column 'Voortgang'" in result.message


def test_a_learner_without_a_canvas_user_is_permanent(connector, canvas):
    result = connector.deliver(outbox_events.step_changed(), None)
    assert result.status == "permanent" and "anna@noordwind.nl has no Canvas user" in \
        result.message
    assert canvas.requests == []


@pytest.mark.parametrize("made", [
    lambda: outbox_events.step_changed("welcome-noordwind"),
    lambda: outbox_events.step_changed("welcome-noordwind", "failed"),
    lambda: outbox_events.step_changed("pulse-survey", "failed"),
    lambda: outbox_events.step_changed("no-such-module"),
    lambda: outbox_events.path_changed(), lambda: outbox_events.skill_changed(),
    lambda: outbox_events.skill_changed("culture"), lambda: outbox_events.alert_opened(),
    lambda: outbox_events.alert_resolved()])
def test_an_event_needs_a_user_exactly_when_it_would_send_something(connector, canvas, made):
    event = made()
    if connector.needs_user(event):
        assert connector.deliver(event, None).status != OK
    else:
        assert connector.deliver(event, None).status == OK
        assert canvas.requests == []

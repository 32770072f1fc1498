"""The `lms.canvas` entries of the mapping, checked, and what each event writes there; the
words of Canvas's errors and of an alert's message."""

import pytest
import requests

from lrs_bridge_connectors.canvas import CanvasConnector, check_lms
from lrs_bridge_connectors.canvas.answers import failure
from lrs_bridge_connectors.canvas.messages import alert_text
from lrs_bridge_connectors.canvas.targets import value


@pytest.mark.parametrize(("kind", "data"), [
    ("module", {"course": 12, "assignment": 34}),
    ("modules", {"course": "sis_course_id:ONB-2026", "assignment": 34, "grade": "score"}),
    ("module", {"course": 12, "assignment": 34, "grade": 10}),
    ("module", {"course": 12, "column": "Status"}),
    ("path", {"course": 12, "column": 7}),
    ("path", {"course": 12, "assignment": 35}),
    ("skill", {"course": 12, "column": "Privacy skill"}),
])
def test_good_entries_have_no_problems(kind, data):
    assert check_lms(kind, data) == []
    assert CanvasConnector.check_lms(kind, data) == []


@pytest.mark.parametrize(("kind", "data", "problem"), [
    ("module", {"assignment": 34}, "course is missing"),
    ("module", {"course": "ONB", "assignment": 34}, "'ONB' is not a Canvas course id"),
    ("module", {"course": True, "assignment": 34}, "True is not a Canvas course id"),
    ("module", {"course": 12}, "assignment or column is missing"),
    ("module", {"course": 12, "assignment": 34, "column": 7}, "not both"),
    ("module", {"course": 12, "assignment": "x"}, "'x' is not a Canvas assignment id"),
    ("module", {"course": 12, "assignment": 34, "grade": "A+"}, "grade 'A+' is not one of"),
    ("module", {"course": 12, "assignment": 34, "grade": -1}, "grade -1 is not one of"),
    ("module", {"course": 12, "column": "Status", "grade": "pass"},
     "grade goes with assignment"),
    ("path", {"course": 12, "column": " "}, "neither a column title nor an id"),
    ("path", {"course": 12, "column": 7, "grade": "pass"}, "unknown key 'grade'"),
    ("skill", {"course": 12, "assignment": 34}, "unknown key 'assignment'"),
    ("skill", {"course": 12}, "column is missing"),
    ("skill", ["course", 12], "expected a mapping"),
    ("phase", {"course": 12}, "not a module, path or skill"),
])
def test_each_problem_is_said(kind, data, problem):
    problems = check_lms(kind, data)
    assert any(problem in p for p in problems), problems


def _step(status, score=None, completed_at=None):
    return {"type": "step.changed", "status": status, "score": score,
            "completed_at": completed_at}


def test_what_a_step_writes():
    assignment = {"course": 1, "assignment": 2}
    assert value(_step("passed"), assignment) == "complete"
    assert value(_step("failed"), assignment) is None
    assert value(_step("passed", 0.856), {**assignment, "grade": "score"}) == "86%"
    assert value(_step("passed", -0.2), {**assignment, "grade": "score"}) == "0%"
    assert value(_step("completed"), {**assignment, "grade": 10}) == "10"
    column = {"course": 1, "column": "Status"}
    assert value(_step("not_started"), column) == "not started"
    assert value(_step("passed", completed_at="2026-03-21T09:00:00+00:00"), column) == \
        "passed 2026-03-21"


def test_a_path_percentage_is_rounded_down_so_100_means_done():
    target = {"course": 1, "column": "P"}
    assert value({"type": "path.changed", "progress": 0.999}, target) == "99%"
    assert value({"type": "path.changed", "progress": 0.29}, target) == "29%"  # not 28.99…
    assert value({"type": "path.changed", "progress": 1.0}, target) == "100%"


def _response(status, body, content_type="application/json"):
    response = requests.Response()
    response.status_code, response._content = status, body.encode()
    response.headers["Content-Type"] = content_type
    return response


def test_canvas_error_envelopes_become_words():
    found = failure(_response(401, '{"errors":[{"message":"Invalid access token."}]}'), "x")
    assert found.status == "permanent" and '"Invalid access token."' in found.message
    found = failure(_response(400, '[{"attribute":"body","message":"blank"}]'), "send it")
    assert "body: blank" in found.message
    found = failure(_response(400, '{"error":"invalid grade"}'), "grade it")
    assert "invalid grade" in found.message and "HTTP 400" in found.message
    found = failure(_response(403, "403 Forbidden (Rate Limit Exceeded)\n", "text/plain"), "x")
    assert found.status == "retry" and found.retry_after == 10.0
    found = failure(_response(502, "<html>Bad gateway</html>", "text/html"), "x")
    assert found.status == "retry" and "Bad gateway" in found.message


def test_an_alert_message_names_the_learner_and_fits_canvas():
    event = {"learner": {"name": "Anna de Boer"}, "kind": "skill_gap",
             "subject": "privacy-gdpr" * 30, "since": "2026-03-17T00:00:00+00:00",
             "detail": {"level": None, "target": 2}}
    subject, body = alert_text(event)
    assert len(subject) == 255 and subject.startswith("Anna de Boer: skill gap")
    assert "is at level 0, the role asks for 2" in body
    subject, body = alert_text({"kind": "milestone", "subject": "phase:onboarding",
                                "since": "2026-05-01T10:00:00+00:00"})
    assert body.startswith("A learner: the phase onboarding completed on 2026-05-01")

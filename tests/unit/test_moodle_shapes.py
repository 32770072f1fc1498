"""The `lms.moodle` dicts a mapping may give its modules, skills and paths, and what a Moodle
alert message says."""

import pytest

from lrs_bridge_connectors.moodle import MoodleConnector
from lrs_bridge_connectors.moodle.messages import alert_text
from lrs_bridge_connectors.moodle.roster import _date
from lrs_bridge_connectors.moodle.shapes import scale_value

check = MoodleConnector.check_lms


@pytest.mark.parametrize("kind, data", [
    ("module", {"cmid": 12}), ("modules", {"cmid": 12, "course": 3}),
    ("skill", {"competency": "PRIV-1"}),
    ("skill", {"competency_id": 5, "framework": 1, "course": 3, "levels": {"1": 1, 2: 2}}),
    ("path", {}),
])
def test_shapes_that_fit(kind, data):
    assert check(kind, data) == []


@pytest.mark.parametrize("kind, data, problem", [
    ("module", {}, "cmid is missing"),
    ("module", {"idnumber": "PRIV"}, "no web service that finds an activity by its ID number"),
    ("module", {"cmid": "12"}, "cmid must be a Moodle id"),
    ("module", {"cmid": True}, "cmid must be a Moodle id"),
    ("module", {"cmid": 1, "section": 2}, "unknown key 'section'"),
    ("skill", {}, 'give exactly one of "competency"'),
    ("skill", {"competency": "A", "competency_id": 3}, 'give exactly one of "competency"'),
    ("skill", {"competency": ""}, "the competency's ID number (text)"),
    ("skill", {"idnumber": "A"}, 'as "competency", not "idnumber"'),
    ("skill", {"competency": "A", "levels": {"one": 1}}, "'one' is not a skill level"),
    ("skill", {"competency": "A", "levels": {"1": 0}}, "0 is not a scale value"),
    ("skill", {"competency": "A", "levels": [1, 2]}, "levels must map"),
    ("path", {"course": 3}, "unknown key 'course'"),
    ("path", {"idnumber": "x"}, "unknown key 'idnumber'"),
    ("module", "12", "must be a mapping"),
    ("phase", {}, "no mapping object of kind 'phase'"),
])
def test_shapes_that_do_not_fit_say_why(kind, data, problem):
    problems = check(kind, data)
    assert problems and any(problem in p for p in problems), problems


def test_every_kind_of_object_has_its_shape_documented():
    assert set(MoodleConnector.lms_shapes) == {"module", "skill", "path"}


@pytest.mark.parametrize("data, level, value", [
    ({}, 2, 2), ({}, 0, None), ({}, None, None),
    ({"levels": {"1": 1, "3": 2}}, 3, 2), ({"levels": {1: 1}}, 1, 1),
    ({"levels": {"1": 1}}, 2, None),
])
def test_a_level_is_rated_with_the_scale_value_the_mapping_gives(data, level, value):
    assert scale_value(data, level) == value


@pytest.mark.parametrize("kind, subject, detail, text", [
    ("overdue", "p/m", {"module": "m", "due": "2026-03-16"},
     "The step m on path p was due on 2026-03-16 and is not done yet."),
    ("skill_gap", "crm", {"level": None, "target": 2},
     "The skill crm is at level 0; the role asks for level 2."),
    ("stalled", "journey", {"quiet_since": "2026-03-01T10:00:00+00:00"},
     "There has been no learning activity since 2026-03-01 while a path is open."),
    ("repeated_failure", "m", {"failures": 3}, "The module m has been failed 3 times."),
    ("expiring", "vca", {"expires": "2027-01-05T00:00:00+00:00"},
     "The evidence of the skill vca expires on 2027-01-05: renew it before then."),
    ("expired", "vca", {}, "The evidence of the skill vca has expired."),
    ("milestone", "path:p", {}, "The path p is completed. Well done!"),
])
def test_alert_messages_to_the_learner(kind, subject, detail, text):
    event = {"kind": kind, "subject": subject, "detail": detail,
             "path": "p" if kind == "overdue" else None}
    assert alert_text(event, {"name": "Anna"}, False) == text
    assert alert_text(event, {"name": "Anna"}, True) == "Anna: " + text[0].lower() + text[1:]


@pytest.mark.parametrize("raw, day", [
    (None, None), ("0", None), ("2026-03-02", "2026-03-02"),
    ("1772406000", "2026-03-02"),  # midnight in Amsterdam (UTC+1)
    ("1772427600", "2026-03-02"),  # midnight in New York (UTC-5)
])
def test_profile_dates_become_iso_dates(raw, day):
    assert _date(raw) == day


def test_the_moodle_kind_is_found_through_its_entry_point():
    from lrs_bridge_connectors.registry import connector_class
    assert connector_class("moodle") is MoodleConnector

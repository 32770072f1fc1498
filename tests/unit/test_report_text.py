"""The terminal text of learner reports and alerts, and the moments commands and the API read."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from lrs_bridge.clock import parse_moment
from lrs_bridge.report_text import alert_line, labelled, progress_lines, reason


def _alert(kind: str, detail: dict, **more) -> dict:
    return {"id": 7, "learner": 3, "kind": kind, "subject": "s", "status": "open",
            "opened": "2026-03-20T12:00:00+00:00", "resolved": None, "detail": detail,
            "learner_email": "anna@x.nl", **more}


@pytest.mark.parametrize(("kind", "detail", "expected"), [
    ("overdue", {"module": "m", "step": 2, "outcome": "passed", "due": "2026-03-16"},
     "due 2026-03-16"),
    ("repeated_failure", {"module": "m", "failures": 3, "attempts": 4, "threshold": 3},
     "failed 3 of 4 attempts"),
    ("skill_gap", {"level": None, "target": 2, "gap": 2, "module": "m"}, "no level, target 2"),
    ("skill_gap", {"level": 1, "target": 3, "gap": 2, "module": "m"}, "level 1, target 3"),
    ("expiring", {"level": 2, "target": 2, "expires": "2027-01-01T09:00:00+00:00"},
     "level 2 expires 2027-01-01"),
    ("expired", {"level": 2, "target": 2, "expired": "2026-01-01T09:00:00+00:00"},
     "level 2 expired 2026-01-01"),
    ("stalled", {"last_activity": None, "quiet_since": "2026-02-02T00:00:00+00:00",
                 "open_paths": ["p"]}, "no activity since 2026-02-02"),
    ("milestone", {"path": "p", "phase": "onboarding"}, "path completed"),
    ("milestone", {"phase": "onboarding", "paths": ["p"]}, "phase completed"),
    ("someday", {"b": 2, "a": 1}, "a 1, b 2"),  # a kind this version does not know
])
def test_the_reason_of_each_kind_of_alert(kind, detail, expected):
    assert reason(_alert(kind, detail)) == expected


def test_an_alert_line_names_the_learner_and_says_when_it_was_resolved():
    stalled = {"quiet_since": "2026-02-02T00:00:00+00:00"}
    assert alert_line(_alert("stalled", stalled)) == \
        "2026-03-20  stalled          anna@x.nl  s: no activity since 2026-02-02"
    done = _alert("stalled", stalled, status="resolved", resolved="2026-03-21T08:00:00+00:00",
                  learner_email=None, learner_name="Pieter")
    assert alert_line(done).endswith("  Pieter  s: no activity since 2026-02-02 "
                                     "[resolved 2026-03-21]")


def test_labelled_lines_leave_out_empty_values_and_label_the_first():
    assert labelled("paths", ["", "a", "b"]) == ["paths:        a", "              b"]
    assert labelled("team", None) == []


def test_progress_lines_mark_overdue_steps_and_wrap_long_alerts_under_80_columns():
    step = {"number": 3, "module": "customer-conversations-classroom", "optional": False,
            "status": "not_started", "due": "2026-03-16", "overdue": True,
            "completed_at": None, "score": None}
    done = {**step, "number": 1, "module": "welcome", "status": "passed", "overdue": False,
            "completed_at": "2026-03-04T09:00:00+00:00", "score": 0.85, "optional": True}
    failed = {**step, "status": "failed", "score": 0.5, "optional": True}
    report = {"phase": None, "last_activity": None, "skills": [],
              "paths": [{"id": "p", "name": "P", "status": "in_progress", "progress": 0.5,
                         "completed_at": None, "steps": [done, step, failed]}],
              "alerts": [_alert("overdue", {"due": "2026-03-16"},
                                subject="development-customer-service/"
                                        "customer-conversations-classroom")]}
    lines = progress_lines(report)
    assert lines[:2] == ["phase:        none yet", "last active:  never"]
    assert "   1 welcome                    passed      done 2026-03-04 score 85% (optional)" \
        in lines
    assert "   3 customer-conversations-cl… not started due 2026-03-16 OVERDUE" in lines
    late = lines.index("   3 customer-conversations-cl… failed      due 2026-03-16 OVERDUE "
                       "score 50%")
    assert lines[late + 1] == " " * 44 + "(optional)"  # what does not fit goes below
    assert lines[-3:] == [
        "open alerts: 1",
        "  overdue  development-customer-service/customer-conversations-classroom:",
        "           due 2026-03-16"]
    assert max(map(len, lines)) <= 80


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
    ("2026-03-01T09:30:00", datetime(2026, 3, 1, 9, 30, tzinfo=UTC)),
    ("2026-03-01T09:30:00Z", datetime(2026, 3, 1, 9, 30, tzinfo=UTC)),
    ("2026-03-01T09:30:00+01:00", datetime(2026, 3, 1, 9, 30,
                                           tzinfo=timezone(timedelta(hours=1)))),
])
def test_a_moment_is_a_date_or_a_date_and_time_in_utc_without_a_zone(text, expected):
    assert parse_moment(text) == expected and parse_moment(text).tzinfo is not None


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30", "2026-03-01T25:00", ""])
def test_anything_else_is_not_a_moment(text):
    with pytest.raises(ValueError):
        parse_moment(text)

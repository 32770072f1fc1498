"""The dashboard's plain parts: the sign-in throttle, the session key file, the learner
timeline's order and CSV cells a spreadsheet would run."""

import stat
from datetime import UTC, datetime

import pytest

from lrs_bridge.journey.progress_state import Evidence
from lrs_bridge.journey.progress_views import LearnerView, PathStatus, SkillStatus, StepStatus
from lrs_bridge.settings import Settings
from lrs_bridge.store.alerts import AlertRow
from lrs_bridge.web.dashboard.csv_export import _cell
from lrs_bridge.web.dashboard.throttle import LoginThrottle
from lrs_bridge.web.dashboard.timeline import timeline
from lrs_bridge.web.session_key import KEY_FILE, SessionKeyError, session_key


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_an_address_waits_after_five_failures_until_its_window_ends():
    clock = FakeClock()
    throttle = LoginThrottle(failures=5, window=900, clock=clock)
    for _ in range(4):
        throttle.failed("Anna@x.nl")
    assert throttle.wait_seconds("anna@x.nl") == 0
    throttle.failed(" anna@X.nl ")  # the same address, however typed
    assert throttle.wait_seconds("anna@x.nl") == 900
    clock.now += 600
    assert throttle.wait_seconds("anna@x.nl") == 300
    assert throttle.wait_seconds("bert@x.nl") == 0
    clock.now += 300
    assert throttle.wait_seconds("anna@x.nl") == 0


def test_signing_in_forgets_the_failures():
    throttle = LoginThrottle(failures=2, window=900, clock=FakeClock())
    throttle.failed("a@x.nl")
    throttle.succeeded("a@x.nl")
    throttle.failed("a@x.nl")
    assert throttle.wait_seconds("a@x.nl") == 0


def test_a_session_key_is_made_once_and_kept_private_in_the_data_folder(tmp_path):
    settings = Settings(home=str(tmp_path))
    first = session_key(settings)
    assert len(first) >= 32 and session_key(settings) == first
    path = tmp_path / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == first
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE]  # no temporary file left


def test_a_configured_session_key_wins_and_must_be_long(tmp_path):
    assert session_key(Settings(home=str(tmp_path), session_key="k" * 40)) == "k" * 40
    assert not (tmp_path / KEY_FILE).exists()
    with pytest.raises(SessionKeyError, match="LRS_BRIDGE_SESSION_KEY: too short"):
        session_key(Settings(home=str(tmp_path), session_key="short"))


def test_a_data_folder_that_cannot_keep_the_key_is_a_clear_error(tmp_path):
    not_a_folder = tmp_path / "home"
    not_a_folder.write_text("")  # even root cannot write a file inside a file
    with pytest.raises(SessionKeyError, match="make the folder writable, or set LRS_BRIDGE_"):
        session_key(Settings(home=str(not_a_folder)))


def test_a_damaged_key_file_is_an_error_naming_it(tmp_path):
    (tmp_path / KEY_FILE).write_text("x\n")
    with pytest.raises(SessionKeyError, match=f"{KEY_FILE}: the session key in it is too"):
        session_key(Settings(home=str(tmp_path)))


def _at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_the_timeline_is_newest_first_with_causes_below_their_effects():
    passed = Evidence("s2", _at(19), "privacy", "passed", frozenset({"passed", "completed"}),
                      0.9, False, (("privacy-gdpr", 2),))
    failed = Evidence("s1", _at(5), "privacy", "failed", frozenset(), 0.5, True)
    step = StepStatus("onboarding", 1, "privacy", "passed", False, "passed", None, False,
                      _at(19), "s2", 0.9, 2, 1)
    view = LearnerView((PathStatus("onboarding", "completed", 1.0, _at(19), (step,)),),
                       (SkillStatus("privacy-gdpr", 2, 2, 0, _at(19), None, ("s2",)),),
                       "onboarding", _at(19))
    alert = AlertRow(7, 1, "overdue", "onboarding/privacy", "resolved", "onboarding",
                     "onboarding", _at(17, 0), _at(18, 12), "{}", _at(19), "s2", "passed")
    events = timeline([failed, passed], view, [alert])
    assert [(e.at.day, e.kind) for e in events] == [
        (19, "alert_resolved"), (19, "skill"), (19, "step"), (19, "statement"),
        (18, "alert_opened"), (5, "statement")]
    assert events[0].reason == "passed" and events[1].level == 2
    assert events[3].score == 0.9 and events[5].failed


def test_a_timeline_without_a_mapping_still_lists_statements_and_alerts():
    only = Evidence("s1", _at(5), None, "experienced", frozenset(), None, False)
    assert [e.kind for e in timeline([only], None, [])] == ["statement"]


@pytest.mark.parametrize(("value", "cell"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+31 6", "'+31 6"), ("@sum", "'@sum"),
    ("-0.5", "-0.5"), ("Anna", "Anna"), (None, ""), (True, "yes"), (0.4, "0.4"),
    (_at(19), "2026-03-19T09:00:00+00:00")])
def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(value, cell):
    assert _cell(value) == cell

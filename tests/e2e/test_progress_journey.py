"""End to end: the sample organisation's new hires through a real `lrs-bridge serve`.

The roster comes in with the CLI while the server runs, statements with TinCanPython, and the
progress the server's own worker folds is read back over /api/v1. The server's clock is the
real one, so every date here is counted back from today: the new hires started START_DAYS_AGO
days ago, which puts the first onboarding steps weeks past due.
"""

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from tincan import (
    Activity,
    Agent,
    LanguageMap,
    RemoteLRS,
    Result,
    Score,
    Statement,
    StatementRef,
    Verb,
)

from tests.e2e.polling import eventually
from tests.live_server import live_server, run_cli

pytestmark = pytest.mark.e2e

MAPPINGS = Path(__file__).parents[2] / "mappings"
ADL = "http://adlnet.gov/expapi/verbs/"
# The sample organisation's activities (mappings/modules/onboarding.yaml).
FIRST_DAY = "https://hr.noordwind.example/touchpoints/eerste-werkdag"
WELCOME = "https://leren.noordwind.example/courses/welkom-bij-noordwind/"  # the prefix itself
PRIVACY = "https://leren.noordwind.example/modules/privacy-avg-basis"
ROSTER_HEAD = "email,name,role,manager_email,team,start_date"
START_DAYS_AGO = 40
DEADLINE = 60.0  # seconds to wait for the worker; it looks for work every 0.2 s

ANNA = "anna.deboer@noordwind.nl"
BERT = "bert.smit@noordwind.nl"
CARLA = "carla.kok@noordwind.nl"  # not on the first roster


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    """A running server on the sample mappings, its first roster imported by the CLI."""
    workdir = tmp_path_factory.mktemp("journey")
    folder = workdir / "mappings"
    shutil.copytree(MAPPINGS, folder)
    database = f"sqlite:///{workdir / 'lrs.db'}"
    env = {**os.environ, "LRS_BRIDGE_DATABASE_URL": database,
           "LRS_BRIDGE_MAPPINGS": str(folder)}
    start = datetime.now(UTC).date() - timedelta(days=START_DAYS_AGO)
    with live_server(workdir, database_url=database,
                     extra_env={"LRS_BRIDGE_MAPPINGS": str(folder)}) as server:
        first = _write_roster(workdir / "first.csv", _hire(ANNA, "Anna de Boer", start),
                              _hire(BERT, "Bert Smit", start, role="field-technician"))
        assert run_cli(env, "roster", "import", str(first)).strip() == \
            f"{first}: 2 added, 0 changed, 0 unchanged"
        reader = json.loads(run_cli(env, "credentials", "add", "journey-reader",
                                    "--scope", "progress/read", "--json"))
        api = requests.Session()
        api.auth = (reader["key"], reader["secret"])
        yield _Journey(
            lrs=RemoteLRS(version="1.0.3", endpoint=server.endpoint, username=server.key,
                          password=server.secret),
            api=api, base=server.endpoint.replace("/xapi/", "/api/v1/"), env=env,
            workdir=workdir, start=start)


@dataclass(frozen=True)
class _Journey:
    """The server under test: TinCanPython's client, the progress API and the CLI's env."""

    lrs: RemoteLRS
    api: requests.Session  # with the progress/read credential
    base: str  # the URL of /api/v1/
    env: dict
    workdir: Path
    start: date  # the first roster's start date

    def get(self, route: str, **params) -> dict:
        response = self.api.get(self.base + route, params=params, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def learners(self, email: str) -> list[dict]:
        return self.get("learners", email=email)["learners"]

    def learner_id(self, email: str) -> int:
        found = self.learners(email)
        assert len(found) == 1, found
        return found[0]["id"]

    def report(self, email: str) -> dict:
        return self.get(f"learners/{self.learner_id(email)}")

    def alerts(self, email: str, status: str = "open") -> list[dict]:
        return self.get("alerts", learner=email, status=status, limit=500)["alerts"]

    def save(self, *statements: Statement) -> None:
        saved = self.lrs.save_statements(list(statements))
        assert saved.success, saved.data

    def day(self, offset: int) -> datetime:
        """Nine o'clock UTC, `offset` days after the first roster's start date."""
        return _on(self.start, offset)


def _hire(email: str, name: str, start: date, role: str = "customer-service-agent") -> str:
    return f"{email},{name},{role},lead@noordwind.nl,Onboarding {start.year},{start}"


def _on(start: date, offset: int) -> datetime:
    """Nine o'clock UTC, `offset` days after `start`."""
    return datetime.combine(start + timedelta(days=offset), datetime.min.time(),
                            tzinfo=UTC) + timedelta(hours=9)


def _write_roster(path: Path, *rows: str) -> Path:
    path.write_text("\n".join((ROSTER_HEAD, *rows)) + "\n", encoding="utf-8")
    return path


def _said(mbox: str, verb: str, activity: str, when: datetime,
          score: float | None = None) -> Statement:
    """A statement with an id of our own, so that the test knows it before the server does."""
    result = None
    if score is not None:
        result = Result(score=Score(scaled=score), success=score >= 0.8, completion=True)
    return Statement(id=uuid.uuid4(), actor=Agent(mbox=f"mailto:{mbox}"),
                     verb=Verb(id=ADL + verb, display=LanguageMap({"en-US": verb})),
                     object=Activity(id=activity), result=result, timestamp=when)


def _void(target: Statement) -> Statement:
    return Statement(id=uuid.uuid4(), actor=Agent(mbox="mailto:lms-admin@noordwind.nl"),
                     verb=Verb(id=ADL + "voided"), object=StatementRef(id=target.id))


def _sid(statement: Statement) -> str:
    return str(statement.id)


def _eventually(read, expected):
    return eventually(read, expected, DEADLINE)


def _step(report: dict, path: str, module: str) -> dict:
    found = next(p for p in report["paths"] if p["id"] == path)
    step = next(s for s in found["steps"] if s["module"] == module)
    return {key: step[key] for key in ("status", "due", "overdue", "completed_by", "score",
                                       "attempts", "failures")}


def _path(report: dict, path: str) -> dict:
    found = next(p for p in report["paths"] if p["id"] == path)
    return {"status": found["status"], "progress": found["progress"]}


def _skill(report: dict, skill: str) -> dict:
    found = next(s for s in report["skills"] if s["id"] == skill)
    return {key: found[key] for key in ("level", "target", "gap", "evidence")}


def _keyed(alerts: list[dict]) -> dict[tuple[str, str], dict]:
    return {(a["kind"], a["subject"]): a for a in alerts}


def test_a_failed_privacy_test_opens_overdue_and_skill_gap_alerts_a_later_pass_resolves(
        journey):
    first_day = _said(ANNA, "completed", FIRST_DAY, journey.day(0))
    welcome = _said(ANNA, "completed", WELCOME, journey.day(2))
    # Late and failed: privacy-basics was due on day 14 and wants a pass with a score of 0.8.
    failed = _said(ANNA, "failed", PRIVACY, journey.day(START_DAYS_AGO - 3), score=0.5)
    journey.save(first_day, welcome, failed)
    due = (journey.start + timedelta(days=14)).isoformat()

    def standing() -> dict:
        report = journey.report(ANNA)
        return {
            "onboarding": _path(report, "onboarding-general"),
            "first_day": _step(report, "onboarding-general", "first-working-day")["status"],
            "privacy": _step(report, "onboarding-general", "privacy-basics"),
            "buddy_overdue": _step(report, "onboarding-general", "buddy-programme")["overdue"],
            "privacy_skill": _skill(report, "privacy-gdpr"),
            "culture_skill": _skill(report, "company-culture"),
        }

    _eventually(standing, {
        "onboarding": {"status": "in_progress", "progress": 0.4},
        "first_day": "completed",
        "privacy": {"status": "failed", "due": due, "overdue": True, "completed_by": None,
                    "score": 0.5, "attempts": 1, "failures": 1},
        "buddy_overdue": True,  # due on day 30, untouched
        "privacy_skill": {"level": None, "target": 2, "gap": 2, "evidence": []},
        "culture_skill": {"level": 1, "target": 2, "gap": 1, "evidence": [_sid(welcome)]},
    })
    # The worker wrote progress and alerts in one transaction, so the alerts are there now.
    opened = _keyed(journey.alerts(ANNA))
    overdue = opened[("overdue", "onboarding-general/privacy-basics")]
    assert (overdue["path"], overdue["phase"], overdue["learner_email"]) == \
        ("onboarding-general", "onboarding", ANNA)
    assert overdue["detail"] == {"module": "privacy-basics", "step": 3, "outcome": "passed",
                                 "due": due}
    gap = opened[("skill_gap", "privacy-gdpr")]
    assert gap["detail"] == {"level": None, "target": 2, "gap": 2, "module": "privacy-basics"}
    assert gap["path"] == "onboarding-general"
    # The steps met and the skills at target open nothing.
    assert ("overdue", "onboarding-general/welcome-noordwind") not in opened
    summary = journey.learners(ANNA)[0]
    assert summary["open_alerts"] == len(opened)
    assert {"id": "onboarding-general", "status": "in_progress", "progress": 0.4,
            "overdue_steps": 3} in summary["paths"]

    passed = _said(ANNA, "passed", PRIVACY, datetime.now(UTC) - timedelta(hours=1), score=0.9)
    journey.save(passed)

    def after_the_pass() -> dict:
        report = journey.report(ANNA)
        return {"privacy": _step(report, "onboarding-general", "privacy-basics"),
                "onboarding": _path(report, "onboarding-general"),
                "privacy_skill": _skill(report, "privacy-gdpr"),
                "resolved_by_the_pass": sorted(
                    (a["kind"], a["subject"], a["resolved_reason"])
                    for a in journey.alerts(ANNA, status="resolved")
                    if a["resolved_by"] == _sid(passed))}

    _eventually(after_the_pass, {
        "privacy": {"status": "passed", "due": due, "overdue": False,
                    "completed_by": _sid(passed), "score": 0.9, "attempts": 2, "failures": 1},
        "onboarding": {"status": "in_progress", "progress": 0.6},
        "privacy_skill": {"level": 2, "target": 2, "gap": 0, "evidence": [_sid(passed)]},
        "resolved_by_the_pass": [("overdue", "onboarding-general/privacy-basics", "passed"),
                                 ("skill_gap", "privacy-gdpr", "evidence")],
    })
    still_open = _keyed(journey.alerts(ANNA))
    assert ("overdue", "onboarding-general/privacy-basics") not in still_open
    assert ("skill_gap", "privacy-gdpr") not in still_open
    assert ("skill_gap", "company-culture") in still_open  # the buddy programme is still due


def test_a_second_roster_import_adopts_a_person_whose_statements_came_first(journey):
    start = datetime.now(UTC).date() - timedelta(days=10)
    # The LMS spells the address its own way; the directory compares mailboxes without case.
    mbox = "Carla.Kok@Noordwind.nl"
    first_day = _said(mbox, "completed", FIRST_DAY, _on(start, 0))
    welcome = _said(mbox, "completed", WELCOME, _on(start, 2))
    journey.save(first_day, welcome)

    _eventually(lambda: journey.get("status")["unknown_actors"],
                {"people": 1, "statements": 2})
    assert journey.learners(CARLA) == []

    second = _write_roster(
        journey.workdir / "second.csv", _hire(ANNA, "Anna de Boer", journey.start),
        _hire(BERT, "Bert Smit", journey.start, role="field-technician"),
        _hire(CARLA, "Carla Kok", start))
    assert run_cli(journey.env, "roster", "import", str(second)).strip() == \
        f"{second}: 1 added, 0 changed, 2 unchanged"

    def adopted() -> dict:
        found = journey.learners(CARLA)
        if not found:
            return {}
        report = journey.get(f"learners/{found[0]['id']}")
        return {"first_day": _step(report, "onboarding-general", "first-working-day"),
                "welcome": _step(report, "onboarding-general", "welcome-noordwind"),
                "onboarding": _path(report, "onboarding-general"),
                "unknown_actors": journey.get("status")["unknown_actors"]}

    _eventually(adopted, {
        "first_day": {"status": "completed", "due": start.isoformat(), "overdue": False,
                      "completed_by": _sid(first_day), "score": None, "attempts": 1,
                      "failures": 0},
        "welcome": {"status": "completed", "due": (start + timedelta(days=7)).isoformat(),
                    "overdue": False, "completed_by": _sid(welcome), "score": None,
                    "attempts": 1, "failures": 0},
        "onboarding": {"status": "in_progress", "progress": 0.4},
        "unknown_actors": {"people": 0, "statements": 0},
    })


def test_a_voided_completion_is_taken_back_and_its_step_falls_overdue_again(journey):
    first_day = _said(BERT, "completed", FIRST_DAY, journey.day(0))
    welcome = _said(BERT, "completed", WELCOME, journey.day(3))
    journey.save(first_day, welcome)
    due = (journey.start + timedelta(days=7)).isoformat()
    overdue_welcome = ("overdue", "onboarding-general/welcome-noordwind")

    def standing() -> dict:
        report = journey.report(BERT)
        return {"welcome": _step(report, "onboarding-general", "welcome-noordwind"),
                "onboarding": _path(report, "onboarding-general"),
                "culture": _skill(report, "company-culture"),
                "welcome_overdue_alert": overdue_welcome in _keyed(journey.alerts(BERT))}

    _eventually(standing, {
        "welcome": {"status": "completed", "due": due, "overdue": False,
                    "completed_by": _sid(welcome), "score": None, "attempts": 1,
                    "failures": 0},
        "onboarding": {"status": "in_progress", "progress": 0.4},
        "culture": {"level": 1, "target": 2, "gap": 1, "evidence": [_sid(welcome)]},
        "welcome_overdue_alert": False,
    })
    voided_before = journey.get("status")["statements"]["voided"]

    journey.save(_void(welcome))

    _eventually(standing, {
        "welcome": {"status": "not_started", "due": due, "overdue": True, "completed_by": None,
                    "score": None, "attempts": 0, "failures": 0},
        "onboarding": {"status": "in_progress", "progress": 0.2},
        "culture": {"level": None, "target": 2, "gap": 2, "evidence": []},
        "welcome_overdue_alert": True,
    })
    assert journey.get("status")["statements"]["voided"] == voided_before + 1
    assert not journey.lrs.retrieve_statement(_sid(welcome)).success

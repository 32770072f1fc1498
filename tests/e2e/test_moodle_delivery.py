"""End to end: statements in through TinCanPython, progress and an alert out to Moodle.

A real `lrs-bridge serve` on the sample mappings delivers to the fake Moodle of the contract
tests, which records every web-service call that reached it. The new hire started a few days
ago, so the roster import opens one alert (the first working day is overdue); the connector is
added after that import has been folded, and a connector delivers only the events written once
it exists, so everything Moodle receives follows from the statements sent here.
"""

import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from tincan import Activity, Agent, LanguageMap, RemoteLRS, Result, Score, Statement, Verb

from tests.contract.moodle_fake import TOKEN, FakeMoodle
from tests.e2e.polling import eventually
from tests.live_server import live_server, run_cli

pytestmark = pytest.mark.e2e

MAPPINGS = Path(__file__).parents[2] / "mappings"
ADL = "http://adlnet.gov/expapi/verbs/"
# The sample organisation's activities (mappings/modules/onboarding.yaml, apply.yaml).
WELCOME = "https://leren.noordwind.example/courses/welkom-bij-noordwind/"
PRIVACY = "https://leren.noordwind.example/modules/privacy-avg-basis"
SELECTION = "https://leren.noordwind.example/assessments/selectie/klantsituaties"
TOKEN_VAR = "NOORDWIND_MOODLE_TOKEN"
START_DAYS_AGO = 3  # first-working-day (P0D) is overdue; nothing else has fallen due
DEADLINE = 90.0  # seconds; a delivery that fails is tried again after 5 s or more

LEARNER, LEARNER_ID = "daan.visser@noordwind.nl", 57
MANAGER, MANAGER_ID = "mieke.jansen@noordwind.nl", 23
COURSE = 3  # "Onboarding Noordwind": the course of cmids 40-42 and both competencies
OVERRIDE = "core_completion_override_activity_completion_status"
RATE = "core_competency_grade_competency_in_course"
SEND = "core_message_send_instant_messages"


@pytest.fixture
def moodle(httpserver):
    """The fake Moodle, set up as the sample mappings' `lms.moodle` entries expect."""
    fake = FakeMoodle(httpserver)
    fake.add_user(LEARNER, uid=LEARNER_ID, firstname="Daan", lastname="Visser",
                  fullname="Daan Visser")
    fake.add_user(MANAGER, uid=MANAGER_ID, firstname="Mieke", lastname="Jansen",
                  fullname="Mieke Jansen")
    fake.add_course(enrolled=[LEARNER_ID, MANAGER_ID], cid=COURSE)
    for cmid in (40, 41, 42):
        fake.add_cm(COURSE, cmid=cmid)
    for idnumber in ("NW-PRIVACY", "NW-CULTURE"):
        fake.add_competency(idnumber, framework=1, course=COURSE)
    yield fake
    httpserver.check_assertions()


@dataclass(frozen=True)
class _Bridge:
    """The server under test: TinCanPython's client, the progress API, the CLI's env."""

    lrs: RemoteLRS
    api: requests.Session
    base: str  # the URL of /api/v1/
    env: dict
    database: Path
    workdir: Path

    def open_alerts(self) -> set[tuple[str, str]]:
        response = self.api.get(self.base + "alerts", params={"learner": LEARNER,
                                                              "status": "open"}, timeout=10)
        assert response.status_code == 200, response.text
        return {(a["kind"], a["subject"]) for a in response.json()["alerts"]}

    def query(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(self.database) as conn:
            return conn.execute(sql, args).fetchall()


@pytest.fixture
def bridge(tmp_path):
    """A running server on a copy of the sample mappings, the Moodle token in its env."""
    folder = tmp_path / "mappings"
    shutil.copytree(MAPPINGS, folder)
    database = tmp_path / "lrs.db"
    extra = {"LRS_BRIDGE_MAPPINGS": str(folder), TOKEN_VAR: TOKEN}
    env = {**os.environ, "LRS_BRIDGE_DATABASE_URL": f"sqlite:///{database}", **extra}
    with live_server(tmp_path, database_url=env["LRS_BRIDGE_DATABASE_URL"],
                     extra_env=extra) as server:
        api = requests.Session()
        api.auth = (server.key, server.secret)
        yield _Bridge(RemoteLRS(version="1.0.3", endpoint=server.endpoint,
                                username=server.key, password=server.secret),
                      api, server.endpoint.replace("/xapi/", "/api/v1/"), env, database,
                      tmp_path)


def _said(verb: str, activity: str, score: float | None = None) -> Statement:
    """The learner's statement of an hour ago, with an id the test knows beforehand."""
    result = None
    if score is not None:
        result = Result(score=Score(scaled=score), success=score >= 0.8, completion=True)
    return Statement(id=uuid.uuid4(), actor=Agent(mbox=f"mailto:{LEARNER}"),
                     verb=Verb(id=ADL + verb, display=LanguageMap({"en-US": verb})),
                     object=Activity(id=activity), result=result,
                     timestamp=datetime.now(UTC) - timedelta(hours=1))


def _import_roster(bridge: _Bridge, start: date) -> None:
    roster = bridge.workdir / "roster.csv"
    roster.write_text("email,name,role,manager_email,team,start_date\n"
                      f"{LEARNER},Daan Visser,customer-service-agent,{MANAGER},Klantenservice,"
                      f"{start}\n", encoding="utf-8")
    assert run_cli(bridge.env, "roster", "import", str(roster)).strip() == \
        f"{roster}: 1 added, 0 changed, 0 unchanged"


def _add_connector(bridge: _Bridge, url: str) -> None:
    added = run_cli(bridge.env, "connector", "add", "moodle", "lms", "--url", url,
                    "--token-env", TOKEN_VAR)
    assert added.startswith(f"connector lms (moodle) added for tenant default: events from "
                            f"now on go to {url}")
    tested = run_cli(bridge.env, "connector", "test", "lms").splitlines()
    assert [line.split(":")[0] for line in tested] == [
        "ok    web services", "ok    service functions", "ok    site features",
        "ok    e-mail lookups", "ok    competencies", "ok    capabilities",
        "lms"]
    assert tested[-1] == "lms: all 6 checks passed"


def _deliveries(bridge: _Bridge) -> list[tuple[str, str, str]]:
    """(event type, what the event is about, delivery status), sorted."""
    return sorted(bridge.query(
        "SELECT o.type, coalesce(json_extract(o.payload, '$.module'), "
        "json_extract(o.payload, '$.skill'), json_extract(o.payload, '$.path'), "
        "json_extract(o.payload, '$.subject')), d.status "
        "FROM deliveries d JOIN outbox o ON o.id = d.outbox_id"))


def _competency(moodle: FakeMoodle, idnumber: str) -> int:
    return next(c["id"] for c in moodle.competencies.values() if c["idnumber"] == idnumber)


def test_progress_and_a_skill_gap_reach_moodle_once_each(moodle, bridge):
    start = datetime.now(UTC).date() - timedelta(days=START_DAYS_AGO)
    _import_roster(bridge, start)
    # Folded: the import's own alert is open, and its outbox events were written with it.
    eventually(bridge.open_alerts, {("overdue", "onboarding-general/first-working-day")},
               DEADLINE)
    _add_connector(bridge, moodle.url)

    welcome = _said("completed", WELCOME)
    passed = _said("passed", PRIVACY, score=0.9)
    # An attempted assessment of a skill of the role opens its gap at once (alert_rules.py):
    # the selection assessment gives customer-communication level 1 from a score of 0.6.
    failed = _said("failed", SELECTION, score=0.4)
    saved = bridge.lrs.save_statements([welcome, passed, failed])
    assert saved.success, saved.data

    # Moodle has no use for the path's change: it gets no delivery of it.
    done = [("alert.opened", "customer-communication", "done"),
            ("skill.changed", "company-culture", "done"),
            ("skill.changed", "privacy-gdpr", "done"),
            ("step.changed", "privacy-basics", "done"),
            ("step.changed", "welcome-noordwind", "done")]
    eventually(lambda: _deliveries(bridge), done, DEADLINE)

    # Each arrived once, for the learner's own Moodle user.
    assert sorted(moodle.called(OVERRIDE), key=lambda call: call["cmid"]) == [
        {"userid": LEARNER_ID, "cmid": 41, "newstate": 1},
        {"userid": LEARNER_ID, "cmid": 42, "newstate": 1}]
    assert {key: entry["state"] for key, entry in moodle.completions.items()} == {
        (LEARNER_ID, 41): 1, (LEARNER_ID, 42): 1}
    assert sorted(moodle.called(RATE), key=lambda call: call["grade"]) == [
        {"courseid": COURSE, "userid": LEARNER_ID,
         "competencyid": _competency(moodle, "NW-CULTURE"), "grade": 1,
         "note": f"lrs-bridge: company-culture at level 1; evidence: xAPI statements "
                 f"{welcome.id}"},
        {"courseid": COURSE, "userid": LEARNER_ID,
         "competencyid": _competency(moodle, "NW-PRIVACY"), "grade": 2,
         "note": f"lrs-bridge: privacy-gdpr at level 2; evidence: xAPI statements "
                 f"{passed.id}"}]
    [(gap_event,)] = bridge.query("SELECT event_id FROM outbox WHERE type = 'alert.opened' "
                                  "AND json_extract(payload, '$.kind') = 'skill_gap'")
    text = "the skill customer-communication is at level 0; the role asks for level 4."
    # One call, both messages; the overdue alert the import opened is not among them.
    assert moodle.called(SEND) == [{"messages": [
        {"touserid": LEARNER_ID, "text": text[:1].upper() + text[1:], "textformat": 2,
         "clientmsgid": f"{gap_event}-learner"},
        {"touserid": MANAGER_ID, "text": f"Daan Visser: {text}", "textformat": 2,
         "clientmsgid": f"{gap_event}-manager"}]}]
    assert [m["touserid"] for m in moodle.messages] == [LEARNER_ID, MANAGER_ID]
    # Every delivery took one attempt and none is dead or waiting.
    assert bridge.query("SELECT status, attempts, count(*) FROM deliveries "
                        "GROUP BY status, attempts") == [("done", 1, len(done))]

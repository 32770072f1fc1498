"""The progress worker on SQLite and PostgreSQL: statements folded into progress, alerts
opened and resolved, voiding, adoption by a later roster, rebuilds, and the outbox."""

from datetime import UTC, datetime

import orjson
from sqlalchemy import func, select

from lrs_bridge.store.tables import actors, outbox, progress_queue
from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    alert_rows,
    events,
    import_roster,
    report,
    said,
    step,
    store,
    stored_state,
    worker,
)

ANNA = "anna@noordwind.nl"
ROW = f"{ANNA},Anna de Boer,customer-service-agent,lead@noordwind.nl,Klantenservice,2026-03-02"


def test_statements_become_step_status_skills_and_a_resolved_overdue_alert(services):
    import_roster(services, ROW)
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(ANNA, "failed", PRIVACY, "2026-03-05T09:00:00Z", score=0.5))
    # privacy-basics is due 14 days after the start date (2026-03-16).
    assert worker(services, "2026-03-20T12:00:00").drain() == 3  # roster rebuild + 2
    found = report(services, ANNA, "2026-03-20T12:00:00")
    assert step(found, "onboarding-general", "welcome-noordwind")["status"] == "completed"
    privacy = step(found, "onboarding-general", "privacy-basics")
    assert (privacy["status"], privacy["overdue"], privacy["failures"]) == ("failed", True, 1)
    kinds = {(a["kind"], a["subject"]) for a in found["alerts"]}
    assert ("overdue", "onboarding-general/privacy-basics") in kinds

    passed = said(ANNA, "passed", PRIVACY, "2026-03-21T09:00:00Z", score=0.9)
    store(services, passed)
    worker(services, "2026-03-21T12:00:00").drain()
    found = report(services, ANNA, "2026-03-21T12:00:00")
    assert step(found, "onboarding-general", "privacy-basics")["completed_by"] == passed["id"]
    skill = next(s for s in found["skills"] if s["id"] == "privacy-gdpr")
    assert (skill["level"], skill["target"], skill["gap"]) == (2, 2, 0)
    assert ("overdue", "onboarding-general/privacy-basics", "resolved", passed["id"],
            "passed") in alert_rows(services)
    assert ("overdue", "onboarding-general/privacy-basics") not in {
        (a["kind"], a["subject"]) for a in found["alerts"]}


def test_outbox_events_name_the_learner_and_their_manager(services):
    import_roster(services, ROW)
    store(services, said(ANNA, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9))
    worker(services, "2026-03-06T00:00:00").drain()
    with services.engine.connect() as conn:
        learners = [orjson.loads(row.payload)["learner"] for row in conn.execute(select(outbox))]
    assert learners
    assert all((who["email"], who["name"], who["manager_email"]) ==
               (ANNA, "Anna de Boer", "lead@noordwind.nl") for who in learners)
    assert all(f"mbox:mailto:{ANNA}" in who["identifiers"] for who in learners)


def test_a_voided_pass_no_longer_counts(services):
    import_roster(services, ROW)
    passed = said(ANNA, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9)
    store(services, passed)
    worker(services, "2026-03-06T00:00:00").drain()
    assert step(report(services, ANNA, "2026-03-06T00:00:00"), "onboarding-general",
                "privacy-basics")["status"] == "passed"
    store(services, {"actor": {"mbox": "mailto:admin@noordwind.nl"},
                     "verb": {"id": ADL_VOIDED}, "object": {"objectType": "StatementRef",
                                                             "id": passed["id"]}})
    worker(services, "2026-03-06T00:00:00").drain()
    found = report(services, ANNA, "2026-03-06T00:00:00")
    assert step(found, "onboarding-general", "privacy-basics")["status"] == "not_started"
    assert next(s for s in found["skills"] if s["id"] == "privacy-gdpr")["level"] is None


ADL_VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def test_statements_before_the_roster_are_kept_and_adopted_by_it(services):
    early = said("Anna@Noordwind.nl", "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9)
    store(services, early)
    worker(services, "2026-03-06T00:00:00").drain()
    with services.engine.connect() as conn:
        assert conn.execute(select(actors.c.learner_key, actors.c.statements)).all() == [
            ("mbox:mailto:anna@noordwind.nl", 1)]
    import_roster(services, ROW)
    worker(services, "2026-03-06T00:00:00").drain()
    found = report(services, ANNA, "2026-03-06T00:00:00")
    assert step(found, "onboarding-general", "privacy-basics")["completed_by"] == early["id"]


def test_a_rebuild_gives_the_state_incremental_folding_gave_and_no_new_events(services):
    import_roster(services, ROW)
    for day, verb, score in ((3, "failed", 0.4), (4, "passed", 0.85), (6, "completed", None)):
        store(services, said(ANNA, verb, PRIVACY if score else WELCOME,
                             f"2026-03-0{day}T09:00:00Z", score=score))
        worker(services, "2026-03-10T00:00:00").drain()
    incremental, sent = stored_state(services), events(services)
    assert sent and incremental["progress_evidence"]
    import_roster(services, ROW.replace("Anna de Boer", "Anna van den Boer"))  # a rebuild mark
    worker(services, "2026-03-10T00:00:00").drain()
    assert stored_state(services) == incremental
    assert events(services) == sent


def test_nothing_waits_after_a_drain(services):
    import_roster(services, ROW)
    store(services, *[said(ANNA, "experienced", WELCOME, f"2026-03-0{d}T09:00:00Z")
                      for d in range(1, 8)])
    worker(services, "2026-03-10T00:00:00").drain()
    with services.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(progress_queue)).scalar() == 0


def test_the_running_worker_scans_alerts_and_folds_statements_until_stopped(services):
    import threading
    import time

    from lrs_bridge.delivery.progress_worker import run

    import_roster(services, ROW)
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(worker(services, "2026-03-20T12:00:00"), stop),
                              kwargs={"idle": 0.05})
    thread.start()
    try:
        passed = said(ANNA, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9)
        store(services, passed)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = report(services, ANNA, "2026-03-20T12:00:00")
            if step(found, "onboarding-general", "privacy-basics")["completed_by"]:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert step(found, "onboarding-general", "privacy-basics")["completed_by"] == passed["id"]
    # Its alerts were evaluated: the welcome course, due after 7 days, is overdue.
    assert ("overdue", "onboarding-general/welcome-noordwind") in {
        (a["kind"], a["subject"]) for a in found["alerts"]}


def test_a_learner_folded_with_an_older_mapping_is_rebuilt_with_the_new_one(services, tmp_path):
    import shutil

    from lrs_bridge.clock import Clock
    from lrs_bridge.delivery.progress_worker import ProgressWorker
    from lrs_bridge.mapping_files.holder import MappingHolder
    from lrs_bridge.store.progress import stamps
    from tests.integration.progress_helpers import SAMPLE_MAPPINGS

    folder = tmp_path / "mappings"
    shutil.copytree(SAMPLE_MAPPINGS, folder)
    holder = MappingHolder(folder, check_seconds=0)
    clock = Clock(datetime(2026, 3, 10, tzinfo=UTC))
    run = ProgressWorker(services.engine, holder, clock, services.settings.authority_home)
    import_roster(services, ROW)
    store(services, said(ANNA, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.7))
    run.drain()
    first = holder.current().version
    found = report(services, ANNA, "2026-03-10T00:00:00")
    assert next(s for s in found["skills"] if s["id"] == "privacy-gdpr")["level"] is None
    # The authors lower the score that gives the skill.
    modules = folder / "modules" / "onboarding.yaml"
    modules.write_text(modules.read_text().replace("min_score: 0.8", "min_score: 0.6", 1))
    assert holder.current().version != first
    with services.engine.connect() as conn:
        assert stamps(conn, 1, [1]) == {1: first}  # behind until a statement of hers arrives
    store(services, said(ANNA, "experienced", WELCOME, "2026-03-06T09:00:00Z"))
    run.drain()
    with services.engine.connect() as conn:
        assert stamps(conn, 1, [1]) == {1: holder.current().version}
    found = report(services, ANNA, "2026-03-10T00:00:00")
    assert next(s for s in found["skills"] if s["id"] == "privacy-gdpr")["level"] == 2


INES = "ines@noordwind.nl"
INES_ROW = f"{INES},Ines Bakker,customer-service-agent,lead@noordwind.nl,Klantenservice,2026-03-02"


def _with_context_people(statement: dict) -> dict:
    """An xAPI 2.0 context naming Ines as instructor and as a member of the team."""
    ines = {"objectType": "Agent", "mbox": f"mailto:{INES}"}
    statement["context"] = {
        "contextAgents": [{"objectType": "contextAgent", "agent": ines,
                           "relevantTypes": ["https://example.com/activity-types/instructor"]}],
        "contextGroups": [{"objectType": "contextGroup", "group": {
            "objectType": "Group", "name": "Klantenservice", "member": [ines]}}],
    }
    return statement


def test_a_person_in_context_agents_or_groups_is_not_the_learner(services):
    # One statement before the roster (folded by the roster's rebuild), one after (folded as
    # it comes): both are Anna's, and Ines, named in their context, gains nothing from them.
    store(services, _with_context_people(
        said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z")))
    import_roster(services, ROW, INES_ROW)
    store(services, _with_context_people(
        said(ANNA, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9)))
    worker(services, "2026-03-06T00:00:00").drain()
    anna = report(services, ANNA, "2026-03-06T00:00:00")
    assert step(anna, "onboarding-general", "welcome-noordwind")["status"] == "completed"
    assert step(anna, "onboarding-general", "privacy-basics")["status"] == "passed"
    ines = report(services, INES, "2026-03-06T00:00:00")
    for module in ("welcome-noordwind", "privacy-basics"):
        assert step(ines, "onboarding-general", module)["status"] == "not_started"
    assert not any(s["level"] for s in ines["skills"])

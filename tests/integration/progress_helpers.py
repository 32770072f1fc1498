"""Helpers of the progress worker tests: a roster, statements of the sample organisation,
a worker on a set clock, and what the store holds afterwards."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from lrs_bridge.cli import main
from lrs_bridge.clock import Clock
from lrs_bridge.delivery.progress_worker import ProgressWorker
from lrs_bridge.journey.roster import parse_roster
from lrs_bridge.learner_report import learner_report
from lrs_bridge.store.learners import load_learners, owners
from lrs_bridge.store.tables import (
    alerts,
    outbox,
    progress_evidence,
    progress_journeys,
    progress_modules,
    progress_paths,
    progress_phase_months,
    progress_responses,
    progress_short_days,
    progress_skill_levels,
    progress_skills,
)
from lrs_bridge.xapi.agents import email_keys, ifi_key

SAMPLE_MAPPINGS = Path(__file__).parents[2] / "mappings"
PRIVACY = "https://leren.noordwind.example/modules/privacy-avg-basis"
WELCOME = "https://leren.noordwind.example/courses/welkom-bij-noordwind/les-1"
ADL = "http://adlnet.gov/expapi/verbs/"
HEAD = "email,name,role,manager_email,team,start_date"


def command_line(database_url: str):
    """`run(*args, expect=0)`: the lrs-bridge command on that database with the sample
    mappings, asserting its exit status; its standard output, or its errors when it fails."""
    def run(*args: str, expect: int = 0) -> str:
        result = CliRunner().invoke(main, list(args), env={
            "LRS_BRIDGE_DATABASE_URL": database_url, "LRS_BRIDGE_MAPPINGS": str(SAMPLE_MAPPINGS)})
        assert result.exit_code == expect, result.output
        return result.stdout if expect == 0 else result.stderr

    return run


def import_roster(services, *rows: str, tenant: str = "default", head: str = HEAD):
    mapping = services.mappings.current().mapping
    data = "\n".join((head, *rows)).encode()
    parsed = parse_roster(data, "roster.csv", {r.id for r in mapping.roles},
                          {p.id for p in mapping.paths})
    assert not parsed.problems, parsed.problems
    return services.learners.import_roster(tenant, parsed, "roster.csv")


def said(email: str, verb: str, activity: str, when: str, score: float | None = None,
         sid: str | None = None) -> dict:
    statement = {"id": sid or str(uuid.uuid4()),
                 "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
                 "verb": {"id": ADL + verb}, "object": {"id": activity},
                 "timestamp": when}
    if score is not None:
        statement["result"] = {"score": {"scaled": score}, "success": score >= 0.8,
                               "completion": True}
    return statement


def store(services, *statements: dict, tenant_id: int = 1) -> None:
    authority = {"objectType": "Agent",
                 "account": {"homePage": services.settings.authority_home, "name": "test"}}
    services.writer.save(tenant_id, list(statements), authority=authority,
                         authority_key=ifi_key(authority))


def worker(services, now: str) -> ProgressWorker:
    return ProgressWorker(services.engine, services.mappings,
                          Clock(datetime.fromisoformat(now).replace(tzinfo=UTC)),
                          services.settings.authority_home, batch=50)


def report(services, email: str, now: str, tenant_id: int = 1) -> dict:
    snapshot = services.mappings.current()
    with services.engine.connect() as conn:
        learner_id = owners(conn, tenant_id, [email_keys(email)[0]])[email_keys(email)[0]]
        person = load_learners(conn, {learner_id})[learner_id]
        return learner_report(conn, tenant_id, person, snapshot.mapping, snapshot.version,
                              datetime.fromisoformat(now).replace(tzinfo=UTC))


def step(found: dict, path: str, module: str) -> dict:
    entry = next(p for p in found["paths"] if p["id"] == path)
    return next(s for s in entry["steps"] if s["module"] == module)


def stored_state(services) -> dict:
    """Every progress row and every row kept for the metrics, as sorted tuples: equal states
    have equal rows."""
    with services.engine.connect() as conn:
        return {table.name: sorted(tuple(row) for row in conn.execute(select(table)))
                for table in (progress_evidence, progress_modules, progress_skills,
                              progress_phase_months, progress_paths, progress_skill_levels,
                              progress_short_days, progress_responses, progress_journeys)}


def alert_rows(services) -> list:
    with services.engine.connect() as conn:
        return [(r.kind, r.subject, r.status, r.resolved_by, r.resolved_reason)
                for r in conn.execute(select(alerts).order_by(alerts.c.id))]


def events(services) -> list:
    with services.engine.connect() as conn:
        return [(r.event_id, r.type) for r in conn.execute(select(outbox).order_by(outbox.c.id))]

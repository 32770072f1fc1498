"""`delivery` in GET /api/v1/status on SQLite and PostgreSQL: per connector of the tenant what
is pending, due, done and dead, the oldest pending's age, the newest dead one's error, and the
health rule (no dead delivery in the last 24 h, nothing pending for over an hour)."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lrs_bridge.clock import Clock
from lrs_bridge.delivery import connector_factory
from lrs_bridge.store.credentials import find_tenant
from lrs_bridge.store.tables import outbox
from lrs_bridge.web.app import create_app
from lrs_bridge_connectors.base import Result
from tests.integration.conftest import XAPIClient
from tests.integration.progress_helpers import WELCOME, import_roster, said, store, worker
from tests.integration.recording_connector import Recorder, deliver_all

ANNA, DIRK = "anna@noordwind.nl", "dirk@other.nl"
WRITTEN = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)  # when the worker wrote the events
SENT = WRITTEN + timedelta(minutes=1)  # when the delivery worker ran
REFUSAL = "nopermissions: Sorry, but you do not currently have permissions to do that " \
          "(Set competency rating)."


@pytest.fixture
def delivered(services, monkeypatch):
    """Anna's events (tenant default): dead at moodle-nw for the first, done for the rest;
    waiting at hook-nw behind the first, which awaits a retry. Dirk's (tenant other): all
    done at other-lms."""
    Recorder.reset()
    monkeypatch.setattr(connector_factory, "connector_class", lambda kind: Recorder)
    for tenant, name, kind in (("default", "moodle-nw", "moodle"),
                               ("default", "hook-nw", "webhook"),
                               ("other", "other-lms", "canvas")):
        services.connectors.add(tenant, name, kind, "https://lms.invalid", token_env=None,
                                token_encrypted=None, options={})
    import_roster(services, f"{ANNA},Anna,customer-service-agent,,Team,2026-03-02")
    import_roster(services, f"{DIRK},Dirk,team-lead,,Team,2026-03-02", tenant="other")
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    store(services, said(DIRK, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          tenant_id=find_tenant(services.engine, "other"))
    worker(services, WRITTEN.replace(tzinfo=None).isoformat()).drain()
    with services.engine.connect() as conn:
        first = conn.execute(select(outbox.c.event_id).where(outbox.c.tenant_id == 1)
                             .order_by(outbox.c.id).limit(1)).scalar()
        anna = conn.execute(select(func.count()).where(outbox.c.tenant_id == 1)).scalar()
        dirk = conn.execute(select(func.count()).where(outbox.c.tenant_id != 1)).scalar()
    Recorder.answers = {("moodle-nw", first): [Result.permanent(REFUSAL)],
                        ("hook-nw", first): [Result.retry("busy", retry_after=4 * 3600)]}
    deliver_all(services, SENT)
    return services, anna, dirk


def delivery(services, at: datetime, tenant: str = "default") -> dict:
    app = create_app(services=replace(services, clock=Clock(at)))
    key, secret = services.credentials.add(f"status-{uuid.uuid4().hex[:8]}", ["progress/read"],
                                           tenant=tenant)
    response = XAPIClient(app.test_client(), key, secret).get("/api/v1/status")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["delivery"]


def test_status_gives_each_connector_of_the_tenant_its_deliveries_and_health(delivered):
    services, anna, _ = delivered
    now = WRITTEN + timedelta(minutes=90)
    found = delivery(services, now)
    assert found["connectors"] == [
        {"name": "hook-nw", "kind": "webhook", "tenant": "default", "pending": anna, "due": 0,
         "done": 0, "dead": 0, "dead_last_24h": 0, "oldest_pending_seconds": 5400.0,
         "last_error": None, "healthy": False},
        {"name": "moodle-nw", "kind": "moodle", "tenant": "default", "pending": 0, "due": 0,
         "done": anna - 1, "dead": 1, "dead_last_24h": 1, "oldest_pending_seconds": None,
         "last_error": REFUSAL, "healthy": False}]
    assert found["totals"] == {"pending": anna, "due": 0, "done": anna - 1, "dead": 1,
                               "dead_last_24h": 1, "oldest_pending_seconds": 5400.0,
                               "healthy": False}


def test_a_retry_that_falls_due_makes_the_first_event_due_and_only_it(delivered):
    services, anna, _ = delivered
    hook = delivery(services, SENT + timedelta(hours=4))["connectors"][0]
    assert (hook["pending"], hook["due"]) == (anna, 1)  # the rest wait behind it


def test_pending_for_an_hour_is_healthy_and_a_moment_longer_is_not(delivered):
    services, _, _ = delivered
    hook = delivery(services, WRITTEN + timedelta(hours=1))["connectors"][0]
    assert (hook["oldest_pending_seconds"], hook["healthy"]) == (3600.0, True)
    hook = delivery(services, WRITTEN + timedelta(hours=1, seconds=1))["connectors"][0]
    assert (hook["oldest_pending_seconds"], hook["healthy"]) == (3601.0, False)


def test_a_dead_delivery_counts_against_health_for_24_hours(delivered):
    services, _, _ = delivered
    moodle = delivery(services, SENT + timedelta(hours=24))["connectors"][1]
    assert (moodle["dead"], moodle["dead_last_24h"], moodle["healthy"]) == (1, 1, False)
    moodle = delivery(services, SENT + timedelta(hours=24, seconds=1))["connectors"][1]
    assert (moodle["dead"], moodle["dead_last_24h"], moodle["healthy"]) == (1, 0, True)
    assert moodle["last_error"] == REFUSAL


def test_a_tenant_sees_only_its_own_connectors(delivered):
    services, _, dirk = delivered
    found = delivery(services, WRITTEN + timedelta(minutes=90), tenant="other")
    assert found["connectors"] == [
        {"name": "other-lms", "kind": "canvas", "tenant": "other", "pending": 0, "due": 0,
         "done": dirk, "dead": 0, "dead_last_24h": 0, "oldest_pending_seconds": None,
         "last_error": None, "healthy": True}]
    assert found["totals"]["healthy"] is True

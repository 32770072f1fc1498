"""A small fixed organisation for the feed and export tests: three learners of tenant default
and one of tenant other, and three batches of statements, each folded by the worker at its
own moment, so that every entry of the progress feed is known by hand."""

import time
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

from sqlalchemy import func, select

from lrs_bridge.clock import Clock
from lrs_bridge.store.credentials import find_tenant
from lrs_bridge.store.progress_feed import horizon
from lrs_bridge.store.tables import outbox
from lrs_bridge.web.app import create_app
from tests.integration.progress_helpers import PRIVACY, WELCOME, import_roster, said, store, worker

ANNA, BERT, CARLA, DIRK = ("anna@noordwind.nl", "bert@noordwind.nl", "carla@noordwind.nl",
                           "dirk@other.nl")
ROWS = (f"{ANNA},Anna de Boer,customer-service-agent,lead@noordwind.nl,Klantenservice,2026-03-02",
        f"{BERT},Bert Smit,field-technician,Lead@Noordwind.nl,Buitendienst,2026-02-02",
        f"{CARLA},Carla Kok,customer-service-agent,boss@noordwind.nl,Klantenservice,2026-03-02")
FIRST_DAY = "https://hr.noordwind.example/touchpoints/eerste-werkdag"
WORK_ORDERS = "https://leren.noordwind.example/micro/werkorder-app"
SKILLS_SCAN = "https://leren.noordwind.example/assessments/skills-scan"
CRM_MICRO = "https://leren.noordwind.example/micro/crm-klantdossier"
# When the worker folded each batch: the `at` of its entries.
T1, T2, T3 = "2026-03-05T12:00:00", "2026-03-06T12:00:00", "2026-03-07T12:00:00"
NOW = "2026-03-20T12:00:00"  # the app's clock


def seed(services) -> None:
    """The roster and the first two batches."""
    import_roster(services, *ROWS)
    import_roster(services, f"{DIRK},Dirk,team-lead,x@other.nl,Klantenservice,2026-03-02",
                  tenant="other")
    other = find_tenant(services.engine, "other")
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(BERT, "completed", WORK_ORDERS, "2026-03-04T10:00:00Z"))
    store(services, said(DIRK, "completed", WELCOME, "2026-03-04T09:00:00Z"), tenant_id=other)
    drain(services, T1)
    store(services, said(ANNA, "failed", PRIVACY, "2026-03-05T09:00:00Z", score=0.5),
          said(BERT, "completed", SKILLS_SCAN, "2026-03-05T11:00:00Z"),
          said(CARLA, "completed", CRM_MICRO, "2026-03-05T10:00:00Z"))
    drain(services, T2)


def third_batch(services) -> None:
    """Anna's first working day, recorded on the 7th: it also resolves her overdue alert."""
    store(services, said(ANNA, "completed", FIRST_DAY, "2026-03-07T08:00:00Z"))
    drain(services, T3)


def drain(services, now: str) -> None:
    """Fold what waits, as at `now`, and wait until the feed shows it (see settled)."""
    worker(services, now).drain()
    settled(services)


def settled(services, timeout: float = 30) -> None:
    """On PostgreSQL, wait until the feed's horizon is past every outbox row: until no
    transaction that began before the newest row's ends is still open, in any database of
    the server (other clients' tests share it; the feed waits for them as for its own)."""
    if services.engine.dialect.name != "postgresql":
        return
    with services.engine.connect() as conn:
        newest = conn.execute(select(func.max(outbox.c.txn))).scalar() or 0
    deadline = time.monotonic() + timeout
    while True:
        with services.engine.connect() as conn:
            if horizon(conn).txn > newest:
                return
        assert time.monotonic() < deadline, "a PostgreSQL transaction stays open"
        time.sleep(0.02)


def at(text: str) -> str:
    """An entry's `at` for one of the moments above."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat()


def app_at_now(services):
    """An app on `services` whose clock says NOW."""
    app = create_app(services=replace(
        services, clock=Clock(datetime.fromisoformat(NOW).replace(tzinfo=UTC))))
    app.config["TESTING"] = True
    return app


def get(client, url: str, expect: int = 200, /, **params):
    """The response to a GET, asserting its status."""
    response = client.get(f"{url}?{urlencode(params)}" if params else url)
    assert response.status_code == expect, response.get_data(as_text=True)
    return response

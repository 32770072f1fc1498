"""Delivery under faults, on SQLite and PostgreSQL: a receiver that is down while events pile
up gets every one exactly once when it is back; workers side by side never deliver one event
twice and keep each learner's order."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug import Response

from lrs_bridge.clock import Clock
from lrs_bridge.delivery import connector_factory
from lrs_bridge.delivery.delivery_worker import DeliveryWorker
from lrs_bridge.journey.progress_events import Event
from lrs_bridge.store import outbox
from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.tables import deliveries
from lrs_bridge.store.tables import outbox as outbox_table
from lrs_bridge_connectors.base import Check, Connector, LmsUser, Result

START = datetime(2026, 3, 10, tzinfo=UTC)
SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="  # base64 of 26 bytes


def produce(services, events: int, learners: int) -> None:
    """`events` outbox events over `learners` learners, written as the progress worker does."""
    batch = [(lid, {"id": lid, "email": f"p{lid}@nw.nl", "name": f"P{lid}"},
              [Event("step.changed", f"step|{lid}|{n}", {"n": n})
               for n in range(lid, events, learners)])
             for lid in range(learners)]
    with write_transaction(services.engine) as conn:
        outbox.append(conn, 1, batch, int(START.timestamp() * 1000))


def pending(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(deliveries).where(
            deliveries.c.status == "pending")).scalar()


def drain(run: DeliveryWorker) -> None:
    while run.run_once():
        pass


def test_a_receiver_down_while_events_pile_up_gets_each_exactly_once(services, httpserver,
                                                                     monkeypatch):
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    services.connectors.add("default", "hook", "webhook", httpserver.url_for("/hook"),
                            token_env="HOOK_SECRET", token_encrypted=None, options={})
    received: dict[str, int] = {}
    up = threading.Event()

    def receive(request):
        if not up.is_set():
            return Response("down for maintenance", status=503)
        key = request.headers["webhook-id"]
        received[key] = received.get(key, 0) + 1
        return Response(status=204)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(receive)
    produce(services, 1000, 40)
    run = DeliveryWorker(services.engine, services.mappings, Clock(START), "", batch=100)
    drain(run)  # every event tried once, refused, and waiting for its retry
    assert pending(services) == 1000 and not received
    up.set()
    later = DeliveryWorker(services.engine, services.mappings,
                           Clock(START + timedelta(hours=2)), "", batch=100)
    drain(later)
    assert pending(services) == 0
    with services.engine.connect() as conn:
        ids = set(conn.execute(select(outbox_table.c.event_id)).scalars())
    assert set(received) == ids and set(received.values()) == {1}


class Recorder(Connector):
    kind = "recorder"
    options = {}
    seen: list = []
    lock = threading.Lock()
    busy: set = set()
    overlaps: list = []

    def resolve_user(self, learner):
        return LmsUser(id=str(learner["id"]), email=learner["email"])

    def deliver(self, event, user):
        with Recorder.lock:
            if event["id"] in Recorder.busy:
                Recorder.overlaps.append(event["id"])
            Recorder.busy.add(event["id"])
        with Recorder.lock:
            Recorder.seen.append((event["learner"]["id"], event["n"], event["id"]))
            Recorder.busy.discard(event["id"])
        return Result.ok()

    def health(self):
        return [Check("recorder", True, "always")]


@pytest.mark.parametrize("workers", [2])
def test_workers_side_by_side_deliver_each_event_once_in_order_per_learner(services,
                                                                          monkeypatch,
                                                                          workers):
    if services.engine.dialect.name != "postgresql":
        workers = 1  # one worker on SQLite
    Recorder.seen, Recorder.busy, Recorder.overlaps = [], set(), []
    monkeypatch.setattr(connector_factory, "connector_class", lambda kind: Recorder)
    services.connectors.add("default", "lms", "recorder", "https://lms.invalid",
                            token_env=None, token_encrypted=None, options={})
    events = 10_000 if services.engine.dialect.name == "postgresql" else 2_000
    produce(services, events, 50)
    errors = []

    def work() -> None:
        try:
            drain(DeliveryWorker(services.engine, services.mappings, Clock(START), "",
                                 batch=50))
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and not Recorder.overlaps
    assert pending(services) == 0
    assert len(Recorder.seen) == events == len({item[2] for item in Recorder.seen})
    for lid in range(50):  # each learner's events in the order they were written
        order = [n for learner, n, _ in Recorder.seen if learner == lid]
        assert order == sorted(order)

"""The delivery worker on SQLite and PostgreSQL, with a recording connector: fan-out to the
tenant's connectors, order per learner, retries with back-off or Retry-After, dead letters,
leases that expire, and the LMS user looked up once."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lrs_bridge.delivery import connector_factory
from lrs_bridge.store.tables import deliveries, lms_users
from lrs_bridge_connectors.base import Result
from tests.integration import recording_connector
from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    import_roster,
    said,
    store,
    worker,
)
from tests.integration.recording_connector import Recorder

ANNA, BERT = "anna@nw.nl", "bert@nw.nl"
START = datetime(2026, 3, 10, tzinfo=UTC)


@pytest.fixture
def recorder(monkeypatch, services):
    Recorder.reset()
    monkeypatch.setattr(connector_factory, "connector_class", lambda kind: Recorder)
    services.connectors.add("default", "lms", "recorder", "https://lms.invalid",
                            token_env=None, token_encrypted=None, options={})
    import_roster(services, f"{ANNA},Anna,customer-service-agent,,Team,2026-03-02",
                  f"{BERT},Bert,customer-service-agent,,Team,2026-03-02")
    return Recorder


def deliverer(services, now=START, **options):
    return recording_connector.deliverer(services, now, **options)


def event_id(services, row) -> str:
    from lrs_bridge.store.tables import outbox

    with services.engine.connect() as conn:
        return conn.execute(select(outbox.c.event_id).where(
            outbox.c.id == row.outbox_id)).scalar()


def rows(services) -> list:
    with services.engine.connect() as conn:
        return conn.execute(select(deliveries).order_by(deliveries.c.id)).all()


def test_every_event_is_delivered_once_and_in_order_per_learner(services, recorder):
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(BERT, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9))
    worker(services, "2026-03-10T00:00:00").drain()
    made = rows(services)
    assert made and all(r.status == "pending" for r in made)
    run = deliverer(services)
    while run.run_once():
        pass
    assert all(r.status == "done" and r.attempts == 1 for r in rows(services))
    assert len(recorder.delivered) == len(made)
    for email in (ANNA, BERT):  # each learner's events in the order they were written
        theirs = [d for d in recorder.delivered if d[0] == email]
        assert theirs and [d[2] for d in theirs] == sorted(
            (d[2] for d in theirs), key=[d[2] for d in recorder.delivered].index)
    assert sorted(recorder.resolved) == [ANNA, BERT]  # each looked up once, then cached


def test_a_slow_answer_holds_up_no_other_learner(services, recorder):
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(BERT, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, "2026-03-10T00:00:00").drain()
    recorder.hold = {ANNA: threading.Event()}  # the LMS sits on Anna's first event
    run = deliverer(services, concurrency=4)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(
                r.status != "done" for r in rows(services) if r.learner_id == 2):
            run.step(0.05)
        assert all(r.status == "done" for r in rows(services) if r.learner_id == 2)  # Bert's
        assert all(r.status == "pending" for r in rows(services) if r.learner_id == 1)
    finally:
        recorder.hold[ANNA].set()
    while run.run_once():
        pass
    assert all(r.status == "done" and r.attempts == 1 for r in rows(services))


def test_an_event_that_needs_no_lms_user_is_delivered_without_one(services, recorder):
    """A learner the LMS has no user for (yet): what would be sent to them waits for one;
    what sends nothing (here: path changes) is done at once instead of retried for days."""
    recorder.unknown = {ANNA}
    recorder.userless = {"path.changed"}
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, "2026-03-10T00:00:00").drain()
    types = {r.id: t for r, t in zip(rows(services), _types(services), strict=True)}
    assert {"path.changed", "step.changed"} <= set(types.values())
    run = deliverer(services)
    while run.run_once():
        pass
    for row in rows(services):
        if types[row.id] == "path.changed":
            assert (row.status, row.last_error) == ("done", None)
        else:
            assert (row.status, row.last_error) == ("pending", f"no user for {ANNA} in the "
                                                               f"LMS (yet)")
            break  # Anna's later events wait behind this one
    else:
        raise AssertionError("no event of Anna's waited for her LMS user")


def _types(services) -> list[str]:
    from lrs_bridge.store.tables import outbox

    with services.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.type).join(
            deliveries, deliveries.c.outbox_id == outbox.c.id).order_by(
            deliveries.c.id)).scalars())


def test_a_failing_event_holds_back_its_learners_later_events_only(services, recorder):
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(BERT, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, "2026-03-10T00:00:00").drain()
    first = rows(services)[0]
    recorder.answers = {event_id(services, first): [Result.retry("the LMS is busy",
                                                                 retry_after=30)]}
    run = deliverer(services, batch=1)
    run.run_once()
    held = {r.id: r for r in rows(services)}[first.id]
    assert (held.status, held.attempts, held.last_error) == ("pending", 1, "the LMS is busy")
    assert held.next_attempt == int(START.timestamp() * 1000) + 30_000  # Retry-After
    while run.run_once():
        pass
    late = [r for r in rows(services) if r.learner_id == first.learner_id and r.id != first.id]
    assert all(r.status == "pending" and r.attempts == 0 for r in late)  # waiting their turn
    others = [r for r in rows(services) if r.learner_id != first.learner_id]
    assert others and all(r.status == "done" for r in others)
    later = deliverer(services, now=START + timedelta(seconds=31))
    while later.run_once():
        pass
    assert all(r.status == "done" for r in rows(services))


def test_a_permanent_refusal_or_too_many_failures_is_a_dead_letter(services, recorder):
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, "2026-03-10T00:00:00").drain()
    first, second = rows(services)[:2]
    recorder.answers = {event_id(services, first): [
        Result.permanent("invalidtoken: Invalid token - token not found")],
        event_id(services, second): [Result.retry("down")] * 3}
    deliverer(services, batch=1).run_once()
    dead = {r.id: r for r in rows(services)}[first.id]
    assert (dead.status, dead.last_error) == (
        "dead", "invalidtoken: Invalid token - token not found")
    now = START
    for _ in range(3):
        deliverer(services, now=now, max_attempts=3).run_once()
        now += timedelta(hours=2)  # past any back-off
    gone = {r.id: r for r in rows(services)}[second.id]
    assert (gone.status, gone.attempts, gone.last_error) == ("dead", 3, "down")


def test_a_lease_that_is_never_settled_falls_due_again(services, recorder):
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, "2026-03-10T00:00:00").drain()
    from lrs_bridge.store import deliveries as delivery_store
    from lrs_bridge.store.engine import write_transaction

    now_ms = int(START.timestamp() * 1000)
    with write_transaction(services.engine) as conn:  # a worker takes one and dies
        taken = delivery_store.lease(conn, now_ms, 1, 60_000)
    with write_transaction(services.engine) as conn:
        again = delivery_store.lease(conn, now_ms + 1000, 10, 60_000)
    assert taken and taken[0].id not in {lease.id for lease in again}
    assert all(lease.learner_id != taken[0].learner_id for lease in again)  # order kept
    with write_transaction(services.engine) as conn:
        later = delivery_store.lease(conn, now_ms + 61_000, 10, 60_000)
    assert taken[0].id in {lease.id for lease in later}
    # The first worker's late answer is not recorded over the second one's lease.
    again = next(lease for lease in later if lease.id == taken[0].id)
    with write_transaction(services.engine) as conn:
        assert delivery_store.settle(conn, [
            delivery_store.Settled(taken[0], "done", 1, now_ms, None),
            delivery_store.Settled(again, "pending", 1, now_ms + 5000, "busy")], now_ms) == 1
    row = {r.id: r for r in rows(services)}[again.id]
    assert (row.status, row.next_attempt, row.last_error) == ("pending", now_ms + 5000, "busy")


def test_a_user_the_lms_no_longer_has_is_looked_up_again(services, recorder):
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, "2026-03-10T00:00:00").drain()
    first = rows(services)[0]
    recorder.answers = {event_id(services, first): [Result.permanent("user deleted",
                                                                     user_gone=True)]}
    deliverer(services, batch=1).run_once()
    with services.engine.connect() as conn:
        assert conn.execute(select(lms_users.c.learner_id)).scalars().all() == []
    assert rows(services)[0].status == "dead"


def test_a_connector_gets_deliveries_only_of_the_events_its_kind_wants(services):
    """Moodle has no use for a path change or a step not met: no delivery to it is written;
    a webhook receives every event."""
    import orjson

    from lrs_bridge.delivery.connector_factory import lms_map
    from lrs_bridge.store.tables import connectors, outbox
    from lrs_bridge_connectors.moodle import MoodleConnector

    for kind in ("moodle", "webhook"):
        services.connectors.add("default", kind, kind, "https://lms.invalid",
                                token_env=None, token_encrypted=None, options={})
    import_roster(services, f"{ANNA},Anna,customer-service-agent,,Team,2026-03-02")
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(ANNA, "failed", PRIVACY, "2026-03-05T09:00:00Z", score=0.3))
    worker(services, "2026-03-10T00:00:00").drain()
    moodle_map = lms_map(services.mappings.current().mapping, "moodle")
    with services.engine.connect() as conn:
        events = conn.execute(select(outbox.c.id, outbox.c.payload)).all()
        kind_of = dict(conn.execute(select(connectors.c.id, connectors.c.kind)).all())
        got = {(kind_of[r.connector_id], r.outbox_id) for r in conn.execute(select(deliveries))}
    wanted = {row.id for row in events
              if MoodleConnector.wants(orjson.loads(row.payload), moodle_map)}
    assert wanted and len(wanted) < len(events)
    assert {oid for kind, oid in got if kind == "moodle"} == wanted
    assert {oid for kind, oid in got if kind == "webhook"} == {row.id for row in events}

"""`lrs-bridge outbox status|retry|purge` on SQLite and PostgreSQL, with deliveries made by the
delivery worker and a recording connector: one connector with a dead letter, one holding a
learner's events behind a retry."""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from lrs_bridge.delivery import connector_factory
from lrs_bridge.store.tables import connectors, deliveries, outbox
from lrs_bridge_connectors.base import Result
from tests.integration.progress_helpers import (
    WELCOME,
    command_line,
    import_roster,
    said,
    store,
    worker,
)
from tests.integration.recording_connector import Recorder, deliver_all

ANNA, BERT = "anna@noordwind.nl", "bert@noordwind.nl"
REFUSAL = "invalidtoken: Invalid token - token not found"
# The CLI reads the real clock: the events are written two hours before the test runs.
WRITTEN = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


@dataclass(frozen=True)
class Queue:
    anna_first: str  # Anna's first event: dead for moodle-nw, done for hook-nw
    bert_first: str  # Bert's first event: waiting for a retry at hook-nw, done for moodle-nw


@pytest.fixture
def queue(services, monkeypatch) -> Queue:
    Recorder.reset()
    monkeypatch.setattr(connector_factory, "connector_class", lambda kind: Recorder)
    for name, kind in (("moodle-nw", "moodle"), ("hook-nw", "webhook")):
        services.connectors.add("default", name, kind, "https://lms.invalid", token_env=None,
                                token_encrypted=None, options={})
    import_roster(services, f"{ANNA},Anna,customer-service-agent,,Team,2026-03-02",
                  f"{BERT},Bert,customer-service-agent,,Team,2026-03-02")
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(BERT, "completed", WELCOME, "2026-03-04T09:00:00Z"))
    worker(services, WRITTEN.replace(tzinfo=None).isoformat()).drain()
    with services.engine.connect() as conn:
        firsts = conn.execute(select(outbox.c.learner_id, func.min(outbox.c.id))
                              .group_by(outbox.c.learner_id).order_by(outbox.c.learner_id))
        ids = [conn.execute(select(outbox.c.event_id).where(outbox.c.id == first)).scalar()
               for _, first in firsts]
    found = Queue(*ids)
    Recorder.answers = {("moodle-nw", found.anna_first): [Result.permanent(REFUSAL)],
                        ("hook-nw", found.bert_first): [Result.retry("503 Service Unavailable",
                                                                     retry_after=4 * 3600)]}
    deliver_all(services, WRITTEN + timedelta(minutes=1))
    return found


@pytest.fixture
def cli(database_url, queue):
    return command_line(database_url)


def counted(services, name: str) -> dict[str, int]:
    with services.engine.connect() as conn:
        rows = conn.execute(select(deliveries.c.status, func.count())
                            .join(connectors, connectors.c.id == deliveries.c.connector_id)
                            .where(connectors.c.name == name).group_by(deliveries.c.status))
        return {"pending": 0, "done": 0, "dead": 0, **dict(rows.all())}


def events(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox)).scalar()


def status(cli) -> dict[str, dict]:
    return {entry["name"]: entry for entry in json.loads(cli("outbox", "status", "--json"))}


def test_status_says_per_connector_what_waits_what_is_done_and_what_is_dead(cli, services):
    hook, moodle = counted(services, "hook-nw"), counted(services, "moodle-nw")
    assert hook["pending"] > 1 and moodle == {"pending": 0, "done": moodle["done"], "dead": 1}
    lines = cli("outbox", "status").splitlines()
    assert lines[0] == "hook-nw (webhook, tenant default): NOT HEALTHY: pending for over 1 h"
    # Bert's first event waits for its retry, and his later ones behind it: none is due.
    assert re.fullmatch(rf"  pending  {hook['pending']}: 0 due now, {hook['pending']} waiting "
                        r"for a retry or an earlier event; the oldest written 2 h( \d+ min)? "
                        r"ago", lines[1])
    assert lines[2:4] == [f"  done     {hook['done']}", "  dead     0"]
    assert lines[4:] == ["moodle-nw (moodle, tenant default): NOT HEALTHY: 1 dead in the "
                         "last 24 h", "  pending  0", f"  done     {moodle['done']}",
                         f"  dead     1; the newest: {REFUSAL}"]
    shown = status(cli)
    assert shown["moodle-nw"] == {"name": "moodle-nw", "kind": "moodle", "tenant": "default",
                                  "pending": 0, "due": 0, "done": moodle["done"], "dead": 1,
                                  "dead_last_24h": 1, "oldest_pending_seconds": None,
                                  "last_error": REFUSAL, "healthy": False}
    # WRITTEN is two hours before this module was imported, which may be a while ago.
    since_written = (datetime.now(UTC) - WRITTEN).total_seconds()
    assert 7200 <= shown["hook-nw"]["oldest_pending_seconds"] <= since_written + 1
    assert cli("outbox", "status", "moodle-nw").splitlines()[0].startswith("moodle-nw (")
    assert "no connector called 'lms'" in cli("outbox", "status", "lms", expect=1)
    assert "no tenant called 'other'" in cli("outbox", "status", "--tenant", "other", expect=1)


def test_a_connector_is_healthy_again_once_its_dead_letters_are_a_day_old(cli, services):
    with services.engine.begin() as conn:
        day_ago = datetime.now(UTC) - timedelta(hours=24, minutes=5)
        conn.execute(update(deliveries).where(deliveries.c.status == "dead")
                     .values(updated=int(day_ago.timestamp() * 1000)))
    moodle = status(cli)["moodle-nw"]
    assert (moodle["dead"], moodle["dead_last_24h"], moodle["healthy"]) == (1, 0, True)
    assert cli("outbox", "status", "moodle-nw").splitlines()[0] == \
        "moodle-nw (moodle, tenant default): healthy"


def test_retry_puts_dead_deliveries_back_due_now_and_the_worker_delivers_them(cli, services,
                                                                              queue):
    done = counted(services, "moodle-nw")["done"]
    before = int(datetime.now(UTC).timestamp() * 1000)
    assert cli("outbox", "retry", "moodle-nw") == \
        "1 dead delivery of moodle-nw put back in the queue, due now\n"
    with services.engine.connect() as conn:
        row = conn.execute(select(deliveries).join(
            outbox, outbox.c.id == deliveries.c.outbox_id).where(
            outbox.c.event_id == queue.anna_first, deliveries.c.status == "pending")).one()
    assert (row.attempts, row.last_error) == (0, None)
    assert before <= row.next_attempt <= int(datetime.now(UTC).timestamp() * 1000)
    moodle = status(cli)["moodle-nw"]
    assert (moodle["pending"], moodle["due"], moodle["dead"]) == (1, 1, 0)
    deliver_all(services, datetime.now(UTC))
    assert counted(services, "moodle-nw") == {"pending": 0, "done": done + 1, "dead": 0}
    assert Recorder.delivered[-1][2:] == (queue.anna_first, "ok")
    assert cli("outbox", "retry") == \
        "0 dead deliveries of every connector put back in the queue, due now\n"


def test_retry_of_one_event_says_when_it_has_nothing_dead(cli, services, queue):
    assert cli("outbox", "retry", "hook-nw", "--event", queue.anna_first) == \
        f"event {queue.anna_first} has no dead deliveries of hook-nw (1 done): nothing to " \
        f"retry\n"
    unknown = "00000000-0000-0000-0000-000000000000"
    assert f"no deliveries of event {unknown} of every connector" in \
        cli("outbox", "retry", "--event", unknown, expect=1)
    assert "no connector called 'nosuch'" in cli("outbox", "retry", "nosuch", expect=1)
    assert cli("outbox", "retry", "--event", queue.anna_first.upper()) == \
        "1 dead delivery of every connector put back in the queue, due now\n"
    assert counted(services, "moodle-nw")["dead"] == 0


def test_purge_deletes_settled_deliveries_and_unneeded_events_never_pending_ones(cli, services):
    hook, moodle, written = counted(services, "hook-nw"), counted(services, "moodle-nw"), \
        events(services)
    day_before = (WRITTEN - timedelta(days=1)).isoformat()
    assert cli("outbox", "purge", "--before", day_before) == \
        f"purged 0 deliveries (done and dead before {day_before}) and 0 events no delivery " \
        f"needs; pending deliveries are kept\n"
    # Anna's refused event was delivered to hook-nw: that delivery still refers to it.
    assert cli("outbox", "purge", "--dead") == "purged 1 delivery (dead) and 0 events no " \
                                               "delivery needs; pending deliveries are kept\n"
    out = cli("outbox", "purge")
    settled = hook["done"] + moodle["done"]
    assert out == f"purged {settled} deliveries (done and dead) and {written - hook['pending']} " \
                  f"events no delivery needs; pending deliveries are kept\n"
    assert counted(services, "hook-nw") == {**hook, "done": 0}
    assert counted(services, "moodle-nw") == {"pending": 0, "done": 0, "dead": 0}
    assert events(services) == hook["pending"]  # Bert's, each still pending at hook-nw
    deliver_all(services, datetime.now(UTC) + timedelta(hours=3))  # past the retry
    assert counted(services, "hook-nw") == {"pending": 0, "done": hook["pending"], "dead": 0}


def test_purge_of_one_connector_keeps_the_events_another_still_refers_to(cli, services):
    hook, moodle, written = counted(services, "hook-nw"), counted(services, "moodle-nw"), \
        events(services)
    assert cli("outbox", "purge", "moodle-nw") == \
        f"purged {moodle['done'] + 1} deliveries (done and dead) and 0 events no delivery " \
        f"needs; pending deliveries are kept\n"
    assert counted(services, "hook-nw") == hook
    out = cli("outbox", "purge", "hook-nw", "--done")
    assert out.startswith(f"purged {hook['done']} deliveries (done) and "
                          f"{written - hook['pending']} events")
    assert "no connector called 'lms'" in cli("outbox", "purge", "lms", expect=1)

"""Migration 0008 on SQLite and PostgreSQL: events written before it get what they are about
from their payload and come first in feed order; on SQLite a purged id is never handed out
again."""

import uuid

import orjson
import psycopg
import pytest
from sqlalchemy import create_engine, delete, func, insert, select, text

from lrs_bridge.store.migrate import upgrade
from lrs_bridge.store.tables import outbox
from tests.integration.conftest import POSTGRES_URL

EVENTS = [("step.changed", {"path": "p1", "step": 2, "module": "m1", "status": "completed"}),
          ("path.changed", {"path": "p1", "status": "in_progress", "progress": 0.5}),
          ("skill.changed", {"skill": "s1", "level": 2}),
          ("alert.opened", {"kind": "overdue", "subject": "p1/m1", "path": "p1"}),
          ("alert.resolved", {"kind": "stalled", "subject": "journey", "path": None})]


@pytest.fixture
def old_database(database_url, tmp_path):
    """An engine on a database at revision 0006 (a schema of its own on PostgreSQL)."""
    if database_url.startswith("sqlite"):
        engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
        upgrade(engine, "0006")
        yield engine
        engine.dispose()
        return
    schema, plain = f"lrs_mig_{uuid.uuid4().hex[:8]}", POSTGRES_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    engine = create_engine(f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}")
    upgrade(engine, "0006")
    yield engine
    engine.dispose()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_events_written_before_0008_are_in_the_feed_with_what_they_are_about(old_database):
    with old_database.begin() as conn:
        for n, (kind, payload) in enumerate(EVENTS):
            conn.execute(text(
                "INSERT INTO outbox (tenant_id, event_id, type, learner_id, payload, created) "
                "VALUES (1, :eid, :type, 7, :payload, :created)"),
                {"eid": f"e{n}", "type": kind, "payload": orjson.dumps(payload).decode(),
                 "created": 1000 + n})
    upgrade(old_database)
    with old_database.connect() as conn:
        rows = conn.execute(select(outbox.c.event_id, outbox.c.txn, outbox.c.path,
                                   outbox.c.module, outbox.c.skill)
                            .order_by(outbox.c.txn, outbox.c.id)).all()
    assert [tuple(row) for row in rows] == [
        ("e0", 0, "p1", "m1", None), ("e1", 0, "p1", None, None), ("e2", 0, None, None, "s1"),
        ("e3", 0, "p1", None, None), ("e4", 0, None, None, None)]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_on_sqlite_a_purged_id_is_never_handed_out_again(old_database):
    upgrade(old_database)
    row = {"tenant_id": 1, "type": "step.changed", "learner_id": 7, "payload": "{}",
           "created": 1, "txn": 0}
    with old_database.begin() as conn:
        conn.execute(insert(outbox), [{**row, "event_id": f"e{n}"} for n in range(3)])
        newest = conn.execute(select(func.max(outbox.c.id))).scalar()
        conn.execute(delete(outbox).where(outbox.c.id == newest))  # as `outbox purge` may
        conn.execute(insert(outbox), [{**row, "event_id": "later"}])
        assert conn.execute(select(outbox.c.id).where(outbox.c.event_id == "later")).scalar() \
            == newest + 1

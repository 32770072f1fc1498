"""The write path's lookups must use an index, never scan a tenant's statements; purging the
outbox reads the deliveries once, not once per event (SQLite)."""

from sqlalchemy import delete, text
from sqlalchemy.dialects import sqlite

from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.settings import Settings
from lrs_bridge.store.migrate import upgrade
from lrs_bridge.store.outbox_upkeep import _unreferenced
from lrs_bridge.store.statements import _EXISTING_OR_REFERRING, _REFERRERS
from lrs_bridge.store.tables import outbox


def _plan(conn, statement, params=None) -> str:
    if params is not None:
        statement = statement.params(**params)
    sql = statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
    return " | ".join(row[-1] for row in rows)


def test_existing_and_referring_lookups_search_by_index(tmp_path):
    services = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'plan.db'}"))
    upgrade(services.engine)
    with services.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        both = _plan(conn, _EXISTING_OR_REFERRING, {"tenant_id": 1, "ids": ["a"], "refs": ["a"]})
        refs = _plan(conn, _REFERRERS, {"tenant_id": 1, "ids": ["a", "b"]})
    assert "statement_id=?" in both and "ref_target=?" in both
    assert "stored_seq" not in both
    assert "ref_target=?" in refs


def test_purging_events_reads_the_deliveries_once(tmp_path):
    services = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'plan.db'}"))
    upgrade(services.engine)
    with services.engine.connect() as conn:
        plan = _plan(conn, delete(outbox).where(_unreferenced(conn)))
    assert "LIST SUBQUERY" in plan and "CORRELATED" not in plan

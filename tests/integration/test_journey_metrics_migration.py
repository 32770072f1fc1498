"""Upgrading a database that already has learners to the journey metrics (migration 0009):
every learner is rebuilt once, which fills the metric rows, on SQLite and PostgreSQL."""

from contextlib import nullcontext

import pytest
from sqlalchemy import select

from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.settings import Settings
from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.migrate import upgrade
from lrs_bridge.store.progress_queue import REBUILD
from lrs_bridge.store.tables import progress_journeys, progress_queue
from tests.integration.progress_helpers import (
    SAMPLE_MAPPINGS,
    WELCOME,
    import_roster,
    said,
    store,
    worker,
)
from tests.integration.test_cli_database import fresh_postgres_schema


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_upgrading_rebuilds_every_learner_once_so_their_metric_rows_fill(tmp_path, database,
                                                                       request):
    if database == "postgresql":
        request.getfixturevalue("postgres_schema")  # fails the test when PostgreSQL is absent
    where = fresh_postgres_schema() if database == "postgresql" \
        else nullcontext(f"sqlite:///{tmp_path / 'lrs.db'}")
    with where as url:
        services = bootstrap(Settings(database_url=url, mappings=str(SAMPLE_MAPPINGS),
                                      secret_hash_method="pbkdf2:sha256:1000"))
        upgrade(services.engine, "0006")  # the release before the metrics
        import_roster(services, "anna@nw.nl,Anna,customer-service-agent,,KS,2026-01-05",
                      "bert@nw.nl,Bert,field-technician,,BD,2026-02-02")
        with write_transaction(services.engine) as conn:
            conn.execute(progress_queue.delete())  # as if that release's worker had run
        upgrade(services.engine)
        with services.engine.connect() as conn:
            marks = conn.execute(select(progress_queue.c.kind, progress_queue.c.learner_id)
                                 .order_by(progress_queue.c.learner_id)).all()
        assert [tuple(m) for m in marks] == [(REBUILD, 1), (REBUILD, 2)]
        store(services, said("anna@nw.nl", "completed", WELCOME, "2026-01-06T09:00:00Z"))
        worker(services, "2026-03-01T00:00:00").drain()
        with services.engine.connect() as conn:
            rows = conn.execute(select(progress_journeys.c.learner_id,
                                       progress_journeys.c.started)).all()
        assert [(lid, str(day)) for lid, day in rows] == [(1, "2026-01-05"), (2, "2026-02-02")]
        services.engine.dispose()

"""The worker misses nothing and does nothing twice when writers commit out of order and
several writers and workers run at once (PostgreSQL, where that happens; SQLite too)."""

import threading

import pytest
from sqlalchemy import func, select

from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.tables import actors, progress_evidence, progress_queue, statements
from tests.integration.progress_helpers import PRIVACY, WELCOME, import_roster, said, worker

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://x.invalid", "name": "t"}}


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


# SQLite has one writer at a time: nothing commits out of order there.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_statement_that_commits_after_a_later_one_is_still_folded(services):
    import_roster(services, "anna@nw.nl,Anna,customer-service-agent,,Team,2026-03-02",
                  "bob@nw.nl,Bob,customer-service-agent,,Team,2026-03-02")
    run = worker(services, "2026-03-10T00:00:00")
    run.drain()
    early = said("anna@nw.nl", "completed", WELCOME, "2026-03-03T09:00:00Z")
    late = said("bob@nw.nl", "completed", WELCOME, "2026-03-03T09:00:00Z")
    with write_transaction(services.engine) as first:
        services.statements.save_in(first, 1, [early], authority=AUTHORITY, authority_key="a")
        # `early` holds the lower sequence number but is not committed yet ...
        services.statements.save(1, [late], authority=AUTHORITY, authority_key="a")
        assert run.drain() == 1  # ... so only `late` can be folded now.
    with services.engine.connect() as conn:
        seqs = dict(conn.execute(select(statements.c.statement_id, statements.c.seq)).all())
    assert seqs[early["id"]] < seqs[late["id"]]  # a "seq > checkpoint" cursor would skip it
    assert run.drain() == 1
    with services.engine.connect() as conn:
        folded = set(conn.execute(select(progress_evidence.c.statement_id)).scalars())
    assert folded == {early["id"], late["id"]}


def test_two_writers_and_two_workers_fold_every_statement_once(services):
    people = [f"p{n}@nw.nl" for n in range(6)]
    import_roster(services, *[f"{p},P,customer-service-agent,,Team,2026-03-02" for p in people])
    stop = threading.Event()
    errors = []

    def write(part: int) -> None:
        try:
            for n in range(40):
                person = people[(n + part) % len(people)]
                verb, activity = ("passed", PRIVACY) if n % 3 else ("completed", WELCOME)
                services.writer.save(1, [said(person, verb, activity,
                                              f"2026-03-{3 + n % 20:02d}T09:{part}0:00Z",
                                              score=0.9 if verb == "passed" else None)],
                                     authority=AUTHORITY, authority_key="a")
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    def work() -> None:
        run = worker(services, "2026-04-01T00:00:00")
        try:
            while not stop.is_set():
                run.run_once()
        except Exception as err:  # noqa: BLE001
            errors.append(err)

    workers = [threading.Thread(target=work) for _ in range(2)]
    writers = [threading.Thread(target=write, args=(part,)) for part in range(2)]
    for thread in workers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    worker(services, "2026-04-01T00:00:00").drain()
    stop.set()
    for thread in workers:
        thread.join()
    assert not errors
    assert _count(services, progress_queue) == 0
    assert _count(services, progress_evidence) == 80  # every statement, once
    with services.engine.connect() as conn:
        # Each statement's mark was taken exactly once: the actors' counts add up.
        assert conn.execute(select(func.sum(actors.c.statements))).scalar() == 80

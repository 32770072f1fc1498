"""Properties of the worker over the real store (SQLite): whatever the batches the statements
arrive in and whatever is voided, a rebuild gives the state incremental folding gave, and that
state equals the one of a store that got only the statements left, in another order."""

import random
import uuid
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.settings import Settings
from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.migrate import upgrade
from lrs_bridge.store.progress_queue import mark_learners
from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    import_roster,
    said,
    store,
    stored_state,
    worker,
)

PEOPLE = ("a@nw.nl", "b@nw.nl")
ENERGY = "https://leren.noordwind.example/courses/energiecontracten-basis/les-2"
CRM_MICRO = "https://leren.noordwind.example/micro/crm-klantdossier"
FIRST_DAY = "https://hr.noordwind.example/touchpoints/eerste-werkdag"
BUDDY = "https://hr.noordwind.example/programmas/buddyprogramma"
TALK = "https://hr.noordwind.example/touchpoints/onboardinggesprek"
EXIT_SURVEY = "https://hr.noordwind.example/surveys/exit"
NOW = "2026-05-01T00:00:00"

# Statements over two months, so that the metric rows span months, days and a leave date.
statement_specs = st.tuples(
    st.sampled_from(PEOPLE), st.sampled_from(["completed", "passed", "failed", "attempted",
                                              "responded"]),
    st.sampled_from([PRIVACY, WELCOME, ENERGY, CRM_MICRO, EXIT_SURVEY]), st.integers(1, 59),
    st.sampled_from([None, 0.5, 0.85, 0.95]))


def fresh(folder) -> object:
    services = bootstrap(Settings(database_url=f"sqlite:///{folder / 'lrs.db'}",
                                  secret_hash_method="pbkdf2:sha256:1000"))
    upgrade(services.engine)
    import_roster(services, "a@nw.nl,A,customer-service-agent,,Team,2026-03-02,,",
                  "b@nw.nl,B,customer-service-agent,,Team,2026-03-02,2026-04-10,leaver",
                  head="email,name,role,manager_email,team,start_date,leave_date,status")
    return services


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(statement_specs, min_size=1, max_size=20), st.randoms(use_true_random=False),
       st.data())
def test_rebuild_equals_incremental_and_voiding_equals_never_storing(tmp_path_factory, specs,
                                                                    rnd, data):
    statements = [said(person, verb, activity, f"{date(2026, 3, 1) + timedelta(day):%Y-%m-%d}"
                       "T09:00:00Z", score=score, sid=str(uuid.UUID(int=n + 1, version=4)))
                  for n, (person, verb, activity, day, score) in enumerate(specs)]
    voided = data.draw(st.sets(st.sampled_from([s["id"] for s in statements])))
    services = fresh(tmp_path_factory.mktemp("incremental"))
    run = worker(services, NOW)
    run.drain()
    rest = list(statements)
    while rest:  # arrival in random batches, the worker catching up in between
        size = rnd.randint(1, len(rest))
        store(services, *rest[:size])
        rest = rest[size:]
        run.drain()
    store(services, *[{"actor": {"mbox": "mailto:admin@nw.nl"},
                       "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                       "object": {"objectType": "StatementRef", "id": sid}}
                      for sid in sorted(voided)])
    run.drain()
    incremental = stored_state(services)
    with write_transaction(services.engine) as conn:
        mark_learners(conn, 1, [1, 2])
    run.drain()
    assert stored_state(services) == incremental

    kept = [s for s in statements if s["id"] not in voided]
    random.Random(rnd.random()).shuffle(kept)
    other = fresh(tmp_path_factory.mktemp("kept"))
    if kept:
        store(other, *kept)
    worker(other, NOW).drain()
    assert stored_state(other) == incremental
    services.engine.dispose()
    other.engine.dispose()


def test_completing_onboarding_statement_by_statement_gives_the_rows_of_a_rebuild(tmp_path):
    """Given a learner completing general onboarding one statement per batch, a pass voided
    and made again, should keep the path, onboarding and every metric row a rebuild keeps."""
    services = fresh(tmp_path)
    run = worker(services, NOW)
    run.drain()
    steps = [(FIRST_DAY, "completed", 2), (WELCOME, "completed", 3), (PRIVACY, "passed", 9),
             (BUDDY, "completed", 20), (TALK, "completed", 25), (CRM_MICRO, "completed", 26)]
    for n, (activity, verb, day) in enumerate(steps):
        store(services, said("a@nw.nl", verb, activity, f"2026-03-{day:02d}T09:00:00Z",
                             score=0.9 if verb == "passed" else None,
                             sid=str(uuid.UUID(int=100 + n, version=4))))
        run.drain()
    store(services, {"actor": {"mbox": "mailto:admin@nw.nl"},
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                     "object": {"objectType": "StatementRef",
                                "id": str(uuid.UUID(int=102, version=4))}})
    run.drain()
    store(services, said("a@nw.nl", "passed", PRIVACY, "2026-03-27T09:00:00Z", score=0.9))
    run.drain()
    incremental = stored_state(services)
    assert [row[-1] is not None for row in incremental["progress_paths"]
            if row[2] == "onboarding-general"] == [True, False]  # A's is done, B's not
    with write_transaction(services.engine) as conn:
        mark_learners(conn, 1, [1, 2])
    run.drain()
    assert stored_state(services) == incremental
    services.engine.dispose()

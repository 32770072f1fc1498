"""How outbox events name the learner to a connector: the roster's e-mail, name and manager,
and the learner's directory keys."""

import orjson
from sqlalchemy import select

from lrs_bridge.store.tables import outbox
from tests.integration.progress_helpers import PRIVACY, import_roster, said, store, worker

ANNA = "anna@noordwind.nl"


def test_an_event_names_the_learner_and_their_manager(services):
    import_roster(services, f"{ANNA},Anna de Boer,customer-service-agent,lead@noordwind.nl,"
                            f"Klantenservice,2026-03-02",
                  "bert@noordwind.nl,Bert,customer-service-agent,,Klantenservice,2026-03-02")
    store(services, said(ANNA, "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9),
          said("bert@noordwind.nl", "passed", PRIVACY, "2026-03-05T09:00:00Z", score=0.9))
    worker(services, "2026-03-06T00:00:00").drain()
    with services.engine.connect() as conn:
        payloads = [orjson.loads(p) for p in conn.execute(select(outbox.c.payload)).scalars()]
    learners = {p["learner"]["email"]: p["learner"] for p in payloads}
    anna = learners[ANNA]
    assert (anna["name"], anna["manager_email"]) == ("Anna de Boer", "lead@noordwind.nl")
    assert "mbox:mailto:anna@noordwind.nl" in anna["identifiers"]
    assert list(anna) == ["id", "email", "name", "manager_email", "identifiers"]
    assert learners["bert@noordwind.nl"]["manager_email"] is None  # none given: not ""

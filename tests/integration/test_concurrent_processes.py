"""Several server processes (here: engines) writing at the same moment, on both databases."""

import threading

from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.xapi.errors import Conflict
from tests.integration.statements_helpers import make_statement

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://x.invalid", "name": "k"}}


def _at_once(services, work, count: int = 4) -> list:
    """Run work(process) in `count` processes started together; their results or errors."""
    processes = [bootstrap(services.settings) for _ in range(count)]
    start = threading.Barrier(count)
    outcomes = []

    def run(process):
        start.wait()
        try:
            outcomes.append(work(process))
        except Exception as err:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes.append(err)

    threads = [threading.Thread(target=run, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in processes:
        process.engine.dispose()
    return outcomes


def test_the_same_statement_sent_by_several_processes_is_accepted_by_all(services):
    for _ in range(5):
        statement = make_statement()
        outcomes = _at_once(services, lambda p, s=statement: p.statements.save(
            1, [s], authority=AUTHORITY, authority_key="k"))
        assert outcomes == [[statement["id"]]] * 4


def test_different_statements_under_one_id_from_several_processes_conflict(services):
    first = make_statement()
    versions = [{**make_statement(verb=f"v{n}"), "id": first["id"]} for n in range(4)]
    outcomes = _at_once(services, lambda p: p.statements.save(
        1, [versions.pop()], authority=AUTHORITY, authority_key="k"))
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict"] * 3 + ["list"]
    assert all(isinstance(o, list | Conflict) for o in outcomes)


def test_the_group_committer_retries_a_job_another_process_beat_to_it(services):
    statement = make_statement()
    outcomes = _at_once(services, lambda p: p.writer.save(
        1, [statement], authority=AUTHORITY, authority_key="k"))
    assert outcomes == [[statement["id"]]] * 4


def test_definitions_merged_by_several_processes_at_once_lose_no_language(services):
    """Given four processes storing statements about one new Activity at once, each with a
    name in another language, the canonical definition should end up with all four."""
    names = [{f"x-{n}": f"name {n}"} for n in range(4)]

    def store(process):
        statement = make_statement(activity="https://example.com/raced")
        statement["object"]["definition"] = {"name": names.pop()}
        return process.statements.save(1, [statement], authority=AUTHORITY,
                                       authority_key="k", define=True)

    outcomes = _at_once(services, store)
    assert all(isinstance(o, list) for o in outcomes), outcomes
    found = services.activities.definitions(1, {"https://example.com/raced"})
    assert found["https://example.com/raced"]["name"] == {
        f"x-{n}": f"name {n}" for n in range(4)}


def test_a_statement_and_its_voiding_statement_stored_at_once_end_up_voided(services):
    from tests.integration.statements_helpers import voiding

    for _ in range(10):
        target = make_statement()
        batches = [[target], [voiding(target["id"])]]
        outcomes = _at_once(services, lambda p, b=batches: p.statements.save(
            1, b.pop(), authority=AUTHORITY, authority_key="k"), count=2)
        assert all(isinstance(o, list) for o in outcomes), outcomes
        stored = services.statements.get(1, target["id"])
        assert stored.voided, "the target was stored alongside its voiding statement unvoided"

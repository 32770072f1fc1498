"""Concurrent saves share transactions, yet each batch stays all-or-nothing on its own."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from lrs_bridge.xapi.errors import Conflict
from tests.integration.statements_helpers import make_statement

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://t.invalid", "name": "t"}}
KEY = "account:https://t.invalid|t"


def _save(services, batch):
    return services.writer.save(1, batch, authority=AUTHORITY, authority_key=KEY)


def test_concurrent_batches_are_all_stored(services):
    batches = [[make_statement() for _ in range(5)] for _ in range(40)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda b: _save(services, b), batches))
    assert results == [[s["id"] for s in b] for b in batches]
    for batch in batches:
        assert all(services.statements.get(1, s["id"]) for s in batch)


def test_a_conflicting_batch_fails_alone_and_leaves_nothing_behind(services):
    existing = make_statement()
    _save(services, [existing])
    clash = {**existing, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    good = [[make_statement()] for _ in range(20)]
    bad = [make_statement(), clash]

    def run(batch):
        try:
            return _save(services, batch)
        except Conflict as err:
            return err

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(run, [*good[:10], bad, *good[10:]]))
    assert isinstance(outcomes[10], Conflict)
    assert services.statements.get(1, bad[0]["id"]) is None
    assert all(services.statements.get(1, b[0]["id"]) for b in good)


def test_an_unexpected_failure_reaches_the_waiting_request(services, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.statements, "save_in", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _save(services, [make_statement()])

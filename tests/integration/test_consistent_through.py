"""X-Experience-API-Consistent-Through is true: a client that polls since=<the header> never
misses a statement, also one whose transaction commits after a later one (§2.1.3)."""

import threading
import time
from dataclasses import replace
from urllib.parse import quote

import pytest
from sqlalchemy import select

from lrs_bridge.store.tables import statements
from lrs_bridge.web.app import create_app
from lrs_bridge.web.xapi import statements as statements_resource
from lrs_bridge.xapi.timestamps import parse_timestamp, to_millis
from tests.integration.conftest import XAPIClient
from tests.integration.statements_helpers import make_statement, new_id

HEADER = "X-Experience-API-Consistent-Through"
AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://t.invalid", "name": "t"}}
KEY = "account:https://t.invalid|t"
# Long enough for a GET that does not wait for the open write to answer meanwhile; a GET
# that waits, as it should, passes whatever this is.
_EARLY_ANSWER = 0.5


class PausedWrite:
    """The write of one statement that stops after its insert, before its commit, until
    released; meanwhile `stored` holds the `stored` it took."""

    def __init__(self, services, monkeypatch, statement: dict):
        self.statement = statement
        self.inserted = threading.Event()
        self.release = threading.Event()
        self.stored: int | None = None
        original = services.statements.save_in

        def save_in(conn, tenant_id, batch, **options):
            ids = original(conn, tenant_id, batch, **options)
            if any(s.get("id") == statement["id"] for s in batch):
                self.stored = conn.execute(select(statements.c.stored).where(
                    statements.c.statement_id == statement["id"])).scalar()
                self.inserted.set()
                assert self.release.wait(30), "the test never released the write"
            return ids

        monkeypatch.setattr(services.statements, "save_in", save_in)


def _moment(response) -> int:
    return to_millis(parse_timestamp(response.headers[HEADER]))


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.get_json()
    return {s["id"] for s in response.get_json()["statements"]}


def _in_thread(call) -> tuple[threading.Thread, list]:
    out = []
    thread = threading.Thread(target=lambda: out.append(call()))
    thread.start()
    return thread, out


@pytest.mark.parametrize("via", ["store", "group_commit"])
def test_a_get_during_an_open_write_never_claims_its_statement(services, xapi, monkeypatch, via):
    late = make_statement()
    paused = PausedWrite(services, monkeypatch, late)
    save = services.writer.save if via == "group_commit" else services.statements.save
    writer, _ = _in_thread(lambda: save(1, [late], authority=AUTHORITY, authority_key=KEY))
    assert paused.inserted.wait(10)
    later = make_statement()
    if services.engine.dialect.name == "postgresql":
        # Another transaction takes a later `stored` and commits first (on SQLite the
        # write lock lets no other write in meanwhile).
        services.statements.save(1, [later], authority=AUTHORITY, authority_key=KEY)
    reader, answers = _in_thread(lambda: xapi.get("/xapi/statements"))
    reader.join(_EARLY_ANSWER)
    paused.release.set()
    writer.join(10)
    reader.join(10)
    first = answers[0]
    seen = _ids(first)
    if late["id"] not in seen:
        assert _moment(first) < paused.stored, "claims a statement the answer left out"
    # The next poll, since the header, brings whatever the first answer could not hold.
    seen |= _ids(xapi.get(f"/xapi/statements?since={quote(first.headers[HEADER])}"))
    assert late["id"] in seen
    if services.engine.dialect.name == "postgresql":
        assert later["id"] in seen


def test_a_get_during_an_open_write_may_answer_at_once_with_a_moment_settled_before(
        services, xapi, monkeypatch):
    monkeypatch.setattr(statements_resource, "_SETTLED_MAX_AGE_MS", 60_000)
    settled = _moment(xapi.get("/xapi/statements"))
    late = make_statement()
    paused = PausedWrite(services, monkeypatch, late)
    writer, _ = _in_thread(lambda: services.writer.save(1, [late], authority=AUTHORITY,
                                                        authority_key=KEY))
    assert paused.inserted.wait(10)
    reader, answers = _in_thread(lambda: xapi.get("/xapi/statements"))
    reader.join(10)
    answered_while_open = not reader.is_alive()
    paused.release.set()
    writer.join(10)
    reader.join(10)
    assert answered_while_open
    assert late["id"] not in _ids(answers[0])
    assert _moment(answers[0]) == settled < paused.stored


def _poll(xapi, since: str | None) -> tuple[set[str], str]:
    """Every page of one poll, and the header of its first page."""
    response = xapi.get("/xapi/statements" + (f"?since={quote(since)}" if since else ""))
    header, seen = response.headers[HEADER], _ids(response)
    while response.get_json()["more"]:
        response = xapi.get(response.get_json()["more"])
        seen |= _ids(response)
    return seen, header


def test_polling_since_the_header_misses_no_statement_of_concurrent_writers(services, xapi):
    """Given writers that keep storing while a client polls since the last header, the
    client should receive every statement stored."""
    stop = threading.Event()
    written: list[str] = []

    def write():
        while not stop.is_set():
            statement = make_statement()
            services.writer.save(1, [statement], authority=AUTHORITY, authority_key=KEY)
            written.append(statement["id"])

    writers = [threading.Thread(target=write) for _ in range(3)]
    for thread in writers:
        thread.start()
    seen: set[str] = set()
    since = None
    try:
        for _ in range(40):
            found, since = _poll(xapi, since)
            seen |= found
    finally:
        stop.set()
        for thread in writers:
            thread.join()
    seen |= _poll(xapi, since)[0]
    assert written and set(written) <= seen


def test_the_header_is_recent_never_goes_back_while_idle_and_comes_with_errors(xapi):
    statement, put = make_statement(), make_statement()
    calls = [
        lambda: xapi.post("/xapi/statements", json=statement),
        lambda: xapi.put(f"/xapi/statements?statementId={put['id']}", json=put),
        lambda: xapi.get("/xapi/statements"),
        lambda: xapi.head("/xapi/statements"),
        lambda: xapi.get(f"/xapi/statements?statementId={statement['id']}"),
        lambda: xapi.get(f"/xapi/statements?statementId={new_id()}"),
        lambda: xapi.get("/xapi/statements?limit=x"),
        lambda: xapi.post("/xapi/statements", json={"not": "a statement"}),
        lambda: xapi.get("/xapi/statements", headers={"Authorization": "Basic eDp5"}),
        lambda: xapi.get("/xapi/statements", headers={"X-Experience-API-Version": "0.9"}),
        lambda: xapi.delete("/xapi/statements"),
    ]
    statuses, moments = [], []
    for call in calls * 2:
        before = int(time.time() * 1000)
        response = call()
        after = int(time.time() * 1000)
        statuses.append(response.status_code)
        moments.append(_moment(response))
        # Settled when the request began, or later (the default consistency lag is 0).
        assert before - 1 <= moments[-1] < after, response.status_code
    assert statuses[:11] == [200, 204, 200, 200, 200, 404, 400, 400, 401, 400, 405]
    assert moments == sorted(moments)


def test_the_pages_of_one_result_share_the_first_page_s_moment(xapi):
    for _ in range(3):
        xapi.post("/xapi/statements", json=make_statement())
    first = xapi.get("/xapi/statements?limit=1")
    xapi.post("/xapi/statements", json=make_statement())
    more = first.get_json()["more"]
    second = xapi.get(more)
    # Statements committed after the first page are left out of the later ones: the
    # header of every page may only promise what the first page's snapshot held.
    assert second.headers[HEADER] == first.headers[HEADER]
    assert _moment(xapi.get("/xapi/statements")) > _moment(first)


def test_the_consistency_lag_is_subtracted(services):
    lagging = replace(services, settings=replace(services.settings, consistency_lag=2.5))
    key, secret = services.credentials.add("lagging", ["all"])
    xapi = XAPIClient(create_app(services=lagging).test_client(), key, secret)
    before = int(time.time() * 1000)
    moment = _moment(xapi.get("/xapi/statements"))
    assert before - 2501 <= moment < int(time.time() * 1000) - 2500

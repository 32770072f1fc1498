"""Benchmark the L&D feeds: GET /api/v1/progress (first page, a deep page, each filter, the
poll at the end), the Atom feed of alerts and the CSV exports, through `serve` on a store of
1,000,000 statements of 10,000 learners of the sample organisation, stored in four parts,
each followed by a rebuild of every learner by the progress worker.

The references in the same run: GET /api/v1/alerts?limit=100 through the same server (a
paged route that existed before the feeds), and the feed's first page as plain SQL in sqlite3
without HTTP.
"""

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.common import AUTHORITY, AUTHORITY_KEY, THREADS, WORKERS, require  # noqa: E402
from bench.ingest import batches  # noqa: E402
from bench.journey import SAMPLE, make_statements  # noqa: E402
from bench.progress import import_roster, services_on  # noqa: E402
from lrs_bridge.store.engine import write_transaction  # noqa: E402
from lrs_bridge.store.progress_queue import mark_learners  # noqa: E402
from lrs_bridge.store.tables import progress_queue  # noqa: E402
from tests.live_server import live_server  # noqa: E402

PAGE = 100
SPARSE = {"learner=one e-mail (1 of 10,000)", "team + type + phase"}


def fill(database: Path, count: int, people: int, rounds: int) -> None:
    """The roster, then `count` statements in `rounds` parts; after each part the worker
    rebuilds every learner (as `reprocess` does), so that the outbox holds each round's
    changes: a history of progress, not only where everyone stands at the end."""
    import_roster(database, people, settle=False)
    services = services_on(database)
    worker = services.progress_worker()
    started = time.perf_counter()
    part = count // rounds
    for offset in range(0, count, part):
        for chunk in range(offset, min(offset + part, count), 10_000):
            statements = make_statements(min(10_000, count - chunk), people, seed=chunk + 1)
            for group in batches(statements, 1000):
                services.statements.save(1, group, authority=AUTHORITY,
                                         authority_key=AUTHORITY_KEY)
        with write_transaction(services.engine) as conn:
            conn.execute(progress_queue.delete())  # the rebuild below covers these marks
            mark_learners(conn, 1, range(1, people + 1))
        worker.drain()
        print(f"\rstored and folded {min(offset + part, count):,} statements", end="",
              flush=True, file=sys.stderr)
    print(f" in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    services.engine.dispose()


def shape(database: Path) -> dict:
    with closing(sqlite3.connect(database)) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {"statements": one("SELECT count(*) FROM statements"),
                "learners": one("SELECT count(*) FROM learners"),
                "entries": one("SELECT count(*) FROM outbox WHERE type IN "
                               "('step.changed','path.changed','skill.changed')"),
                "alerts": one("SELECT count(*) FROM alerts"),
                "ids": [row[0] for row in conn.execute("SELECT id FROM outbox ORDER BY id")],
                "created": [row[0] for row in conn.execute(
                    "SELECT created FROM outbox ORDER BY id")]}


def timed(session, url: str, params: dict | None = None) -> tuple[float, requests.Response]:
    started = time.perf_counter()
    response = session.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"benchmark invalid: {url} {params}: {response.status_code} "
                         f"{response.text[:200]}")
    return elapsed, response


def cases(rng: random.Random, found: dict, people: int) -> dict:
    """Each timed case: a function of the round giving the query parameters."""
    ids, created = found["ids"], found["created"]
    n = lambda: rng.randrange(40)  # noqa: E731  (teams and managers of bench.journey)
    recent = created[int(len(created) * 0.999)]  # the newest 0.1 % of entries and later
    iso = lambda ms: datetime.fromtimestamp(ms / 1000, UTC).isoformat()  # noqa: E731
    return {
        "first page": lambda: {},
        "a deep page (after a random entry)": lambda: {"after": f"0-{rng.choice(ids)}"},
        "type=skill.changed": lambda: {"type": "skill.changed"},
        "phase=development": lambda: {"phase": "development"},
        "phase=offboarding": lambda: {"phase": "offboarding"},
        "path=onboarding-general": lambda: {"path": "onboarding-general"},
        "role=field-technician": lambda: {"role": "field-technician"},
        "team=Team N (1 of 40)": lambda: {"team": f"Team {n()}"},
        "manager=leadN@… (1 of 40)": lambda: {"manager": f"lead{n()}@noordwind.example"},
        "learner=one e-mail (1 of 10,000)": lambda: {
            "learner": f"learner{rng.randrange(people)}@noordwind.example"},
        "since=(the newest 0.1 %)": lambda: {"since": iso(recent)},
        "team + type + phase": lambda: {"team": f"Team {n()}", "type": "step.changed",
                                        "phase": "onboarding"},
    }


def run(endpoint: str, key: str, secret: str, found: dict, people: int, rounds: int) -> None:
    session = requests.Session()
    session.auth = (key, secret)
    rng = random.Random(7)
    api = endpoint.replace("/xapi/", "/api/v1/")
    for what, params in cases(rng, found, people).items():
        session.get(api + "progress", params={**params(), "limit": PAGE})  # warms the workers
        samples = []
        for _ in range(rounds):
            query = {**params(), "limit": PAGE}
            elapsed, response = timed(session, api + "progress", query)
            entries = response.json()["entries"]
            # A learner (or a team's changes of one kind and phase, in a small trial run) has
            # fewer than a page of changes now and then; every other case must fill its page.
            require(len(entries), 1 if what in SPARSE else PAGE, what)
            samples.append(elapsed)
        print(f"  {what:<40} {percentiles(samples)}")
    polls = []
    for _ in range(rounds):
        page = session.get(api + "progress", params={"after": f"0-{found['ids'][-1]}"}).json()
        elapsed, response = timed(session, page["next"].replace("/api/v1/", api, 1))
        require(1 - len(response.json()["entries"]), 1, "the poll at the end (no new entry)")
        polls.append(elapsed)
    print(f"  {'the poll at the end (nothing new)':<40} {percentiles(polls)}")
    others = {"alerts.atom (100 entries)": ("alerts.atom", {}),
              "reference: alerts (100, JSON)": ("alerts", {"status": "all"})}
    for what, (route, params) in others.items():
        samples = [timed(session, api + route, {**params, "limit": PAGE})[0]
                   for _ in range(rounds)]
        print(f"  {what:<40} {percentiles(samples)}")
    exports(session, api, found)


def exports(session, api: str, found: dict) -> None:
    for route, rows in (("progress.csv", found["entries"]),
                        ("matrix/paths.csv", found["learners"]),
                        ("matrix/skills.csv", found["learners"])):
        started = time.perf_counter()
        response = session.get(api + route, stream=True)
        lines = sum(chunk.count(b"\n") for chunk in response.iter_content(1 << 16))
        seconds = time.perf_counter() - started
        require(lines - 1, rows, route)
        print(f"  {route:<40} {lines - 1:,} rows in {seconds:.1f} s "
              f"({(lines - 1) / seconds:,.0f} rows/s)")


def plain_sql(database: Path, rounds: int) -> None:
    sql = ("SELECT o.*, l.email, l.name, l.team FROM outbox o JOIN learners l "
           "ON l.id = o.learner_id WHERE o.tenant_id = 1 AND o.type IN ('step.changed', "
           "'path.changed', 'skill.changed') ORDER BY o.txn, o.id LIMIT 100")
    with closing(sqlite3.connect(database)) as conn:
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            require(len(conn.execute(sql).fetchall()), PAGE, "plain SQL")
            samples.append((time.perf_counter() - started) * 1000)
    print(f"  {'reference: the first page in plain SQL':<40} {percentiles(samples)}")


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--parts", type=int, default=4,
                        help="parts of the statements, each followed by a rebuild")
    parser.add_argument("--rounds", type=int, default=100, help="GETs per timed case")
    parser.add_argument("--db", type=Path, default=None,
                        help="a database file to fill once and reuse (default: a new one)")
    args = parser.parse_args()
    print(f"server: SQLite, `lrs-bridge serve` with {WORKERS} workers × {THREADS} threads, no "
          f"access log; {args.people:,} learners of the sample organisation (mappings/)")
    with tempfile.TemporaryDirectory() as tmp:
        database = args.db or Path(tmp) / "feeds.db"
        if not database.exists():
            fill(database, args.statements, args.people, args.parts)
        found = shape(database)
        require(found["statements"], args.statements, "the store's statements")
        print(f"store: {found['statements']:,} statements, {found['learners']:,} learners, "
              f"{found['entries']:,} progress entries, {found['alerts']:,} alerts; "
              f"{args.rounds} GETs per case, limit={PAGE}, one at a time")
        plain_sql(database, args.rounds)
        with live_server(Path(tmp), workers=WORKERS, threads=THREADS,
                         database_url=f"sqlite:///{database.resolve()}", access_log=False,
                         extra_env={"LRS_BRIDGE_MAPPINGS": str(SAMPLE)},
                         extra_args=("--no-progress-worker",)) as live:
            run(live.endpoint, live.key, live.secret, found, args.people, args.rounds)


if __name__ == "__main__":
    main()

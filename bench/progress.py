"""Benchmark the progress engine: reprocess over a large store, processing lag at a steady
arrival rate through `serve`, and batched ingest with and without the progress worker.

Every figure is compared in the same run with batched ingest of the same organisation's
statements through `serve` (POST batches of 100, worker off): the rate the engine has to keep
up with.
"""

import argparse
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.common import AUTHORITY, AUTHORITY_KEY, THREADS, WORKERS, require  # noqa: E402
from bench.ingest import batches, post_all, post_paced  # noqa: E402
from bench.journey import SAMPLE, make_statements, roster_csv  # noqa: E402
from lrs_bridge.bootstrap import bootstrap  # noqa: E402
from lrs_bridge.journey.roster import parse_roster  # noqa: E402
from lrs_bridge.settings import Settings  # noqa: E402
from lrs_bridge.store.engine import write_transaction  # noqa: E402
from lrs_bridge.store.migrate import upgrade  # noqa: E402
from lrs_bridge.store.progress_queue import mark_learners  # noqa: E402
from lrs_bridge.store.tables import progress_queue  # noqa: E402
from tests.live_server import live_server  # noqa: E402


def services_on(database: Path):
    services = bootstrap(Settings(database_url=f"sqlite:///{database}", mappings=str(SAMPLE)))
    upgrade(services.engine)
    return services


def import_roster(database: Path, people: int, *, settle: bool = True) -> None:
    """Import the roster; with `settle`, let the worker take in the new learners before the
    run, so that the run measures statements, not a roster import."""
    services = services_on(database)
    mapping = services.mappings.current().mapping
    parsed = parse_roster(roster_csv(people).encode(), "roster.csv",
                          {r.id for r in mapping.roles}, {p.id for p in mapping.paths})
    services.learners.import_roster("default", parsed, "roster.csv")
    if settle:
        services.progress_worker().drain()
    services.engine.dispose()


def server(workdir: Path, name: str, people: int, worker: bool):
    """A fresh `serve` (SQLite, the benchmarks' configuration) whose roster holds `people`."""
    path = workdir / name
    path.mkdir()
    import_roster(path / "lrs.db", people)
    return live_server(path, workers=WORKERS, threads=THREADS,
                       database_url=f"sqlite:///{path / 'lrs.db'}", access_log=False,
                       extra_env={"LRS_BRIDGE_MAPPINGS": str(SAMPLE)},
                       extra_args=("--progress-worker" if worker else "--no-progress-worker",))


def waiting(database: Path) -> tuple[int, int | None]:
    """Marks waiting in a server's database, and the oldest one's time (ms)."""
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT count(*), min(created) FROM progress_queue").fetchone()


def ingest(workdir: Path, name: str, bodies: list[bytes], count: int, people: int,
           worker: bool, settle: float) -> float:
    """Statements/s of POST batches from 4 client threads to a fresh server, once it has had
    `settle` seconds: its worker's first alert scan of every learner belongs to the start of
    a server, not to the ingest measured."""
    with server(workdir, name, people, worker) as live:
        time.sleep(settle)
        rate = count / post_all(live, bodies, threads=4)
        if worker:  # let it finish, so the run shows the work was real
            while waiting(workdir / name / "lrs.db")[0]:
                time.sleep(0.5)
    with closing(sqlite3.connect(workdir / name / "lrs.db")) as conn:
        stored = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        folded = conn.execute("SELECT count(*) FROM progress_evidence").fetchone()[0]
    require(stored, count, f"ingest ({name})")
    if worker:
        require(folded, 1, "the progress worker's evidence")
    return rate


def steady(workdir: Path, people: int, rate: int, seconds: int) -> list[float]:
    """POST `rate` statements/s (batches of 10) for `seconds`; lag samples every 0.1 s: how
    long the oldest statement not yet folded has waited (0 when none waits)."""
    per_batch = 10
    statements = make_statements(rate * seconds, people, seed=23)
    bodies = [orjson.dumps(b) for b in batches(statements, per_batch)]
    samples: list[float] = []
    database = workdir / "steady" / "lrs.db"
    with server(workdir, "steady", people, worker=True) as live:
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                count, oldest = waiting(database)
                samples.append(max(0.0, time.time() - oldest / 1000) if count else 0.0)
                time.sleep(0.1)

        watcher = threading.Thread(target=watch)
        watcher.start()
        elapsed = post_paced(live, bodies, per_batch / rate)
        while waiting(database)[0]:
            time.sleep(0.1)
        done.set()
        watcher.join()
    print(f"steady arrival: {len(statements):,} statements in {elapsed:.1f} s "
          f"({len(statements) / elapsed:,.0f}/s, batches of {per_batch})")
    return samples


def reprocess(workdir: Path, count: int, people: int) -> float:
    """Statements/s of rebuilding every learner from `count` stored statements."""
    database = workdir / "reprocess.db"
    import_roster(database, people, settle=False)
    services = services_on(database)
    started = time.perf_counter()
    for offset in range(0, count, 10_000):
        chunk = make_statements(min(10_000, count - offset), people, seed=offset + 1)
        for part in batches(chunk, 1000):
            services.statements.save(1, part, authority=AUTHORITY, authority_key=AUTHORITY_KEY)
        print(f"\rloaded {offset + len(chunk):,} statements", end="", flush=True, file=sys.stderr)
    print(f" in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with write_transaction(services.engine) as conn:
        conn.execute(progress_queue.delete())  # as if the worker had kept up with the fill
        mark_learners(conn, 1, range(1, people + 1))
    worker = services.progress_worker()
    started = time.perf_counter()
    worker.drain()
    seconds = time.perf_counter() - started
    with services.engine.connect() as conn:
        folded = conn.exec_driver_sql("SELECT count(*) FROM progress_evidence").scalar()
    require(folded, count // 2, "reprocess's evidence")
    services.engine.dispose()
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000,
                        help="statements stored for the reprocess run")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--ingest", type=int, default=20_000,
                        help="statements POSTed in each ingest run")
    parser.add_argument("--rate", type=int, default=500, help="steady arrival, statements/s")
    parser.add_argument("--seconds", type=int, default=60, help="length of the steady run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="ingest runs with the worker off and on, alternating")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds a fresh server gets before its ingest is timed")
    parser.add_argument("--parts", default="ingest,lag,reprocess",
                        help="which measurements to run, comma-separated")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    print(f"server: SQLite, `lrs-bridge serve` with {WORKERS} workers × {THREADS} threads, "
          f"no access log; {args.people:,} learners of the sample organisation (mappings/)")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        bodies = [orjson.dumps(b) for b in batches(make_statements(args.ingest, args.people),
                                                   100)]
        # The reference: batched ingest with the worker off; alternating runs, so that both
        # see the same machine, and the median of each.
        off, on = [], []
        for n in range(args.rounds if parts & {"ingest", "reprocess"} else 0):
            off.append(ingest(workdir, f"off-{n}", bodies, args.ingest, args.people, False,
                              args.settle))
            if "ingest" in parts:
                on.append(ingest(workdir, f"on-{n}", bodies, args.ingest, args.people, True,
                                 args.settle))
        without = statistics.median(off) if off else 0.0
        if off:
            print(f"ingest, POST batches of 100 ({args.ingest:,} statements), progress worker "
                  f"off: {without:,.0f} statements/s (median of {_rates(off)})")
        if on:
            with_worker = statistics.median(on)
            print(f"ingest, POST batches of 100, progress worker on:  {with_worker:,.0f} "
                  f"statements/s (median of {_rates(on)}) = {with_worker / without:.0%} of the "
                  f"figure without it (target: at least 90%)")
        if "lag" in parts:
            lags = sorted(steady(workdir, args.people, args.rate, args.seconds))
            p95 = lags[int(len(lags) * 0.95)]
            print(f"processing lag at {args.rate}/s: p50 {statistics.median(lags):.2f} s, "
                  f"p95 {p95:.2f} s, max {lags[-1]:.2f} s (target: p95 under 2 s)")
        if "reprocess" in parts:
            rate = reprocess(workdir, args.statements, args.people)
            print(f"reprocess: {args.statements:,} statements folded at {rate:,.0f} "
                  f"statements/s = {rate / without:.0%} of batched ingest (target: at least 33%)")


def _rates(rates: list[float]) -> str:
    return ", ".join(f"{rate:,.0f}" for rate in rates)


if __name__ == "__main__":
    main()

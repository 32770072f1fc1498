"""What both benchmarks share: the server configuration they measure, the statement authority,
and the check that a timed answer holds what it should."""

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.live_server import live_server

# The configuration the README's Performance section states; printed by every run.
WORKERS = 2
THREADS = 4
AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://bench.invalid", "name": "b"}}
AUTHORITY_KEY = "account:https://bench.invalid|b"


def configuration() -> str:
    """One line naming the server configuration, for the benchmark's output."""
    return (f"server: SQLite, `lrs-bridge serve` with {WORKERS} workers × {THREADS} threads, "
            "no access log")


def bench_server(workdir: Path, database: Path):
    """A server in the benchmarks' configuration on the SQLite file `database`."""
    return live_server(workdir, workers=WORKERS, threads=THREADS,
                       database_url=f"sqlite:///{database.resolve()}", access_log=False)


def require(count: int, expected: int, what: str) -> None:
    """Stop the run when a timed case got fewer rows than it claims to measure: a benchmark of
    an empty or short answer measures nothing."""
    if count < expected:
        raise SystemExit(f"benchmark invalid: {what} gave {count} rows, expected {expected}")


def stored_count(database: Path) -> int:
    """Statements in a server's SQLite file, read with plain sqlite3."""
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT count(*) FROM statements").fetchone()[0]

"""Ingestion benchmark: statements/s through a real `lrs-bridge serve` on SQLite, against two
references in the same run on the same statements, both without HTTP or validation: our store's
in-process insert, and plain `sqlite3` (json.loads + executemany, none of our code).

    python bench/ingest.py [--statements 20000] [--memory-run 100000] [--wrk-seconds 20]

The two references, the batch POSTs and the single-statement POSTs each use the same
`--statements` statements. When `wrk` (Debian's package) is on the PATH, the single-statement
POSTs are measured a second time with it for `--wrk-seconds` (0 skips it): a client in C takes
far less of the two cores than Python's, so its figure is closer to what the server can do when
the content runs elsewhere. A short trial run:

    python bench/ingest.py --statements 2000 --memory-run 20000 --wrk-seconds 5
"""

import argparse
import base64
import http.client
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    AUTHORITY,
    AUTHORITY_KEY,
    bench_server,
    configuration,
    require,
    stored_count,
)
from bench.statements import make_statements  # noqa: E402
from lrs_bridge.bootstrap import bootstrap  # noqa: E402
from lrs_bridge.settings import Settings  # noqa: E402
from lrs_bridge.store.migrate import upgrade  # noqa: E402

HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def in_process(bodies: list[bytes], count: int, workdir: Path) -> float:
    """Statements/s of orjson parsing plus our store's insert, in process, one batch per
    transaction."""
    database = workdir / "in-process.db"
    services = bootstrap(Settings(database_url=f"sqlite:///{database}"))
    upgrade(services.engine)
    started = time.perf_counter()
    for body in bodies:
        services.statements.save(1, orjson.loads(body), authority=AUTHORITY,
                                 authority_key=AUTHORITY_KEY, define=True)
    rate = count / (time.perf_counter() - started)
    services.engine.dispose()
    require(stored_count(database), count, "our store's in-process insert")
    return rate


_PLAIN_TABLE = """CREATE TABLE statements (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
    actor TEXT NOT NULL, verb TEXT NOT NULL, activity TEXT NOT NULL, stored INTEGER NOT NULL,
    payload TEXT NOT NULL)"""
_PLAIN_INSERT = ("INSERT INTO statements (id, actor, verb, activity, stored, payload) "
                 "VALUES (?, ?, ?, ?, ?, ?)")


def plain_sqlite(bodies: list[bytes], count: int, workdir: Path) -> float:
    """Statements/s of the same batches parsed with json.loads and inserted with sqlite3's
    executemany into one table indexed by id, actor, verb and activity: none of our code.
    The SQLite settings are the store's (WAL, synchronous=NORMAL), one batch per transaction."""
    database = workdir / "plain.db"
    with closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(_PLAIN_TABLE)
        for column in ("actor", "verb", "activity"):
            conn.execute(f"CREATE INDEX by_{column} ON statements ({column}, stored, seq)")
        started = time.perf_counter()
        for body in bodies:
            stored = int(time.time() * 1000)
            rows = [(s["id"], s["actor"]["mbox"], s["verb"]["id"], s["object"]["id"], stored,
                     json.dumps(s)) for s in json.loads(body)]
            conn.execute("BEGIN")
            conn.executemany(_PLAIN_INSERT, rows)
            conn.execute("COMMIT")
        rate = count / (time.perf_counter() - started)
    require(stored_count(database), count, "plain sqlite3 insert")
    return rate


class _Client:
    """A keep-alive HTTP/1.1 connection; lighter than requests, so that on a 2-core machine
    the client takes less of the CPU the server is measured on."""

    def __init__(self, server):
        address = urlsplit(server.endpoint)
        self.connection = http.client.HTTPConnection(address.hostname, address.port)
        self.path = address.path + "statements"
        token = base64.b64encode(f"{server.key}:{server.secret}".encode()).decode()
        self.headers = {**HEADERS, "Authorization": f"Basic {token}"}

    def post(self, body: bytes) -> None:
        self.connection.request("POST", self.path, body=body, headers=self.headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{response.status}: {data[:200]!r}")


def post_all(server, bodies: list[bytes], threads: int) -> float:
    """Seconds to POST every body from `threads` client threads; each must answer 200."""
    local = threading.local()

    def post(body: bytes) -> None:
        if not hasattr(local, "client"):
            local.client = _Client(server)
        local.client.post(body)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(post, bodies))
    return time.perf_counter() - started


def post_paced(server, bodies: list[bytes], interval: float, threads: int = 4,
               sent=None) -> float:
    """POST body n at `interval` × n seconds after the start, from `threads` client threads;
    `sent(n)` is called as each is answered. Returns the seconds from start to last answer."""
    start = time.monotonic()

    def send(part: int) -> None:
        client = _Client(server)
        for n in range(part, len(bodies), threads):
            delay = start + n * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            client.post(bodies[n])
            if sent is not None:
                sent(n)

    senders = [threading.Thread(target=send, args=(part,)) for part in range(threads)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    return time.monotonic() - start


_WRK_SCRIPT = """
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  bodies = {}
  local n = 0
  for line in io.lines(args[1]) do
    if n % tonumber(args[2]) == id then bodies[#bodies + 1] = line end
    n = n + 1
  end
  position = 0
end
function request()
  position = position % #bodies + 1
  return wrk.format("POST", nil, nil, bodies[position])
end
"""


def post_with_wrk(server, statements: list[dict], workdir: Path, seconds: int,
                  threads: int = 4) -> tuple[float, int]:
    """Single-statement POSTs from `threads` wrk threads for `seconds`: (requests/s, requests).

    Each thread sends its own share of the statements, so no statement is sent twice while
    fewer than len(statements) requests are made."""
    bodies = workdir / "bodies.ndjson"
    bodies.write_bytes(b"\n".join(orjson.dumps(s) for s in statements))
    script = workdir / "post.lua"
    script.write_text(_WRK_SCRIPT)
    token = base64.b64encode(f"{server.key}:{server.secret}".encode()).decode()
    headers = [f"{name}: {value}" for name, value in
               {**HEADERS, "Authorization": f"Basic {token}"}.items()]
    command = ["wrk", "-t", str(threads), "-c", str(threads), "-d", f"{seconds}s",
               "-s", str(script)]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, server.endpoint + "statements", "--", str(bodies),
                             str(threads)], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"wrk saw refused requests:\n{output}")
    total = int(re.search(r"(\d+) requests in", output).group(1))
    if total > len(statements):
        raise RuntimeError("wrk sent some statements twice; give it more statements")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), total


def server_rss(server) -> int:
    """Resident memory of the gunicorn master, its workers and the progress worker, in bytes."""
    # Only this needs the `bench` extra; a run with --memory-run 0 works without it.
    import psutil

    parent = psutil.Process(server.process.pid)
    return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])


def memory_run(server, count: int) -> list[tuple[int, float]]:
    """POST `count` statements in batches of 100; (statements so far, server MiB) samples."""
    samples, done = [], 0
    for chunk in batches(make_statements(count, seed=99), 10_000):
        post_all(server, [orjson.dumps(b) for b in batches(chunk, 100)], threads=4)
        done += len(chunk)
        samples.append((done, server_rss(server) / 2**20))
    return samples


class Run:
    """One benchmark run: its statements, its references and where its servers live."""

    def __init__(self, workdir: Path, statements: list[dict]):
        self.workdir = workdir
        self.statements = statements
        self.batch_bodies = [orjson.dumps(b) for b in batches(statements, 100)]
        self.ours = self.plain = 0.0

    def references(self) -> None:
        """Time and print both references: plain sqlite3, then our store in process."""
        count = len(self.statements)
        self.plain = plain_sqlite(self.batch_bodies, count, self.workdir)
        print(f"reference, plain sqlite3 (json.loads + executemany, 4 indexes, none of our "
              f"code), batches of 100: {self.plain:,.0f} statements/s ({count:,} statements)")
        self.ours = in_process(self.batch_bodies, count, self.workdir)
        print(f"reference, our store in process (orjson + StatementStore.save with "
              f"definitions), batches of 100: {self.ours:,.0f} statements/s "
              f"= {self.ours / self.plain:.0%} of plain sqlite3 ({count:,} statements)")

    def ratios(self, rate: float) -> str:
        """`rate` and its share of each reference."""
        return (f"{rate:,.0f} statements/s = {rate / self.ours:.0%} of our store's in-process "
                f"insert, {rate / self.plain:.0%} of plain sqlite3")

    def server(self, name: str):
        """A fresh server in the benchmarks' configuration, in a directory of its own."""
        path = self.workdir / name
        path.mkdir()
        return bench_server(path, path / "lrs.db")

    def stored(self, name: str) -> int:
        """Statements in the database of the server called `name`."""
        return stored_count(self.workdir / name / "lrs.db")

    def posts(self, name: str, bodies: list[bytes], what: str) -> None:
        """POST `bodies` from 4 client threads to a fresh server; check all were stored."""
        with self.server(name) as server:
            rate = len(self.statements) / post_all(server, bodies, threads=4)
        require(self.stored(name), len(self.statements), what)
        print(f"{what}, 4 client threads: {self.ratios(rate)} "
              f"({len(self.statements):,} statements)")

    def wrk(self, seconds: int) -> None:
        """Time and print single-statement POSTs from wrk; check every answered one was stored."""
        with self.server("singles-wrk") as server:
            rate, total = post_with_wrk(server, make_statements(60_000, seed=13), self.workdir,
                                        seconds=seconds)
        require(total, 1, "wrk's requests")
        require(self.stored("singles-wrk"), total, "single-statement POSTs with wrk")
        print(f"single-statement POSTs, 4 wrk threads for {seconds} s: {self.ratios(rate)} "
              f"({total:,} requests)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--memory-run", type=int, default=100_000)
    parser.add_argument("--wrk-seconds", type=int, default=20)
    args = parser.parse_args()
    print(configuration())
    with tempfile.TemporaryDirectory() as tmp:
        run = Run(Path(tmp), make_statements(args.statements))
        run.references()
        run.posts("batches", run.batch_bodies, "POST batches of 100")
        run.posts("singles", [orjson.dumps(s) for s in run.statements],
                  "single-statement POSTs")
        if args.wrk_seconds and shutil.which("wrk"):
            run.wrk(args.wrk_seconds)
        if args.memory_run:
            with run.server("memory") as server:
                samples = memory_run(server, args.memory_run)
            require(run.stored("memory"), args.memory_run, "the memory run")
            print("server memory (statements stored: MiB): " +
                  ", ".join(f"{n:,}: {mib:.0f}" for n, mib in samples))


if __name__ == "__main__":
    main()

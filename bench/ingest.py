"""Ingestion benchmark: statements/s through a real `lrs-bridge serve` on SQLite, against the
ceiling of parsing and inserting the same statements without HTTP or validation.

    python bench/ingest.py [--statements 20000] [--memory-run 100000]

When `wrk` (Debian's package) is on the PATH, the single-statement POSTs are measured a second
time with it: a client in C takes far less of the two cores than Python's, so its figure is
closer to what the server can do when the content runs elsewhere.
"""

import argparse
import base64
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.statements import make_statements  # noqa: E402
from lrs_bridge.bootstrap import bootstrap  # noqa: E402
from lrs_bridge.settings import Settings  # noqa: E402
from lrs_bridge.store.migrate import upgrade  # noqa: E402
from tests.live_server import live_server  # noqa: E402

HEADERS = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://bench.invalid", "name": "b"}}


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def ceiling(statements: list[dict], workdir: Path) -> float:
    """Statements/s of orjson parsing plus the store's insert, in process, batches of 100."""
    services = bootstrap(Settings(database_url=f"sqlite:///{workdir / 'ceiling.db'}"))
    upgrade(services.engine)
    bodies = [orjson.dumps(batch) for batch in batches(statements, 100)]
    started = time.perf_counter()
    for body in bodies:
        services.statements.save(1, orjson.loads(body), authority=AUTHORITY,
                                 authority_key="account:https://bench.invalid|b", define=True)
    return len(statements) / (time.perf_counter() - started)


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
    """Resident memory of the gunicorn master and its workers, in bytes."""
    parent = psutil.Process(server.process.pid)
    return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])


def memory_run(server, count: int) -> list[tuple[int, float]]:
    """POST `count` statements in batches of 100; (statements so far, server MiB) samples."""
    samples = []
    statements = make_statements(count, seed=99)
    chunks = batches(statements, 10_000)
    for done, chunk in enumerate(chunks, start=1):
        post_all(server, [orjson.dumps(b) for b in batches(chunk, 100)], threads=4)
        samples.append((done * 10_000, server_rss(server) / 2**20))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--memory-run", type=int, default=100_000)
    args = parser.parse_args()
    statements = make_statements(args.statements)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        top = ceiling(statements, workdir)
        print(f"ceiling (parse + insert, no HTTP, no validation): {top:,.0f} statements/s")
        with _server(workdir, "batches") as server:
            batch_bodies = [orjson.dumps(b) for b in batches(statements, 100)]
            rate = len(statements) / post_all(server, batch_bodies, threads=4)
            print(f"POST batches of 100, 4 client threads: {rate:,.0f} statements/s "
                  f"= {rate / top:.0%} of the ceiling")
        with _server(workdir, "singles") as server:
            singles = [orjson.dumps(s) for s in make_statements(args.statements // 2, seed=11)]
            rate = len(singles) / post_all(server, singles, threads=4)
            print(f"single-statement POSTs, 4 client threads: {rate:,.0f} statements/s")
        if shutil.which("wrk"):
            with _server(workdir, "singles-wrk") as server:
                rate, total = post_with_wrk(server, make_statements(60_000, seed=13), workdir,
                                            seconds=20)
                print(f"single-statement POSTs, 4 wrk threads: {rate:,.0f} statements/s "
                      f"({total:,} requests)")
        if args.memory_run:
            with _server(workdir, "memory") as server:
                samples = memory_run(server, args.memory_run)
            print("server memory (statements stored: MiB): " +
                  ", ".join(f"{n:,}: {mib:.0f}" for n, mib in samples))


def _server(workdir: Path, name: str):
    """A fresh server (2 workers, 4 threads, no access log) in its own directory."""
    path = workdir / name
    path.mkdir()
    return live_server(path, workers=2, threads=4, access_log=False)


if __name__ == "__main__":
    main()

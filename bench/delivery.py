"""Benchmark delivery: events/s that 1, 2 and 4 `lrs-bridge worker` processes deliver from
one PostgreSQL outbox to a fake LMS that takes 50 ms per answer.

The reference is the same run's single worker: a second worker should nearly double it
(target: at least 1.8 times), since the time goes into waiting for the LMS, not the database.
Each series runs with a given number of deliveries under way per worker: 1 shows the workers
sharing the outbox, the default 8 what a worker delivers as shipped.
"""

import argparse
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg
from pytest_httpserver import HTTPServer
from werkzeug import Response

sys.path.insert(0, str(Path(__file__).parents[1]))

from lrs_bridge.bootstrap import bootstrap  # noqa: E402
from lrs_bridge.journey.progress_events import Event  # noqa: E402
from lrs_bridge.settings import Settings  # noqa: E402
from lrs_bridge.store import outbox  # noqa: E402
from lrs_bridge.store.engine import write_transaction  # noqa: E402
from lrs_bridge.store.migrate import upgrade  # noqa: E402

POSTGRES = os.environ.get("LRS_BRIDGE_BENCH_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="


class FakeLms:
    """A webhook receiver that answers 204 after `delay` seconds and counts by event id."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received: dict[str, float] = {}
        self.lock = threading.Lock()
        self.server = HTTPServer(threaded=True)
        self.server.expect_request("/hook", method="POST").respond_with_handler(self.answer)
        self.server.start()

    def answer(self, request):
        time.sleep(self.delay)
        with self.lock:
            self.received.setdefault(request.headers["webhook-id"], time.monotonic())
        return Response(status=204)


def fresh_schema() -> str:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return schema


def drop_schema(schema: str) -> None:
    with psycopg.connect(POSTGRES.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def run(workers: int, events: int, learners: int, lms: FakeLms, threads: int) -> float:
    """Events/s delivered by `workers` worker processes, from first to last arrival."""
    schema = fresh_schema()
    url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        services = bootstrap(Settings(database_url=url))
        upgrade(services.engine)
        services.connectors.add("default", "lms", "webhook", lms.server.url_for("/hook"),
                                token_env="HOOK_SECRET", token_encrypted=None, options={})
        with write_transaction(services.engine) as conn:
            outbox.append(conn, 1, [(lid, {"id": lid, "email": f"p{lid}@nw.example"},
                                     [Event("step.changed", f"{lid}|{n}", {"n": n})
                                      for n in range(lid, events, learners)])
                                    for lid in range(learners)], int(time.time() * 1000))
        services.engine.dispose()
        lms.received.clear()
        env = {**os.environ, "LRS_BRIDGE_DATABASE_URL": url, "HOOK_SECRET": SECRET,
               "LRS_BRIDGE_DELIVERY_THREADS": str(threads)}
        started = time.monotonic()
        processes = [subprocess.Popen([sys.executable, "-m", "lrs_bridge", "worker"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for _ in range(workers)]
        try:
            while len(lms.received) < events and time.monotonic() - started < 600:
                time.sleep(0.2)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(30)
        if len(lms.received) < events:
            raise SystemExit(f"benchmark invalid: {len(lms.received)} of {events} events "
                             f"arrived")
        times = sorted(lms.received.values())
        return (events - 1) / (times[-1] - times[0])
    finally:
        drop_schema(schema)


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per fake request
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1200)
    parser.add_argument("--learners", type=int, default=400)
    parser.add_argument("--threads", default="1,8",
                        help="deliveries under way per worker (LRS_BRIDGE_DELIVERY_THREADS), "
                             "one series each, comma-separated")
    parser.add_argument("--delay", type=float, default=0.05, help="the LMS's answer time, s")
    args = parser.parse_args()
    lms = FakeLms(args.delay)
    print(f"PostgreSQL outbox, a webhook LMS answering in {args.delay * 1000:.0f} ms, "
          f"{args.events:,} events of {args.learners} learners per run")
    try:
        for threads in (int(t) for t in args.threads.split(",")):
            rates = {}
            for workers in (1, 2, 4):
                rates[workers] = run(workers, args.events, args.learners, lms, threads)
                print(f"{threads} at once per worker, {workers} worker"
                      f"{'s' if workers > 1 else ''}: {rates[workers]:,.1f} events/s = "
                      f"{rates[workers] / rates[1]:.2f} times 1 worker")
            print(f"{threads} at once per worker, 2 workers against 1: "
                  f"{rates[2] / rates[1]:.2f} (target: at least 1.8)")
    finally:
        lms.server.stop()


if __name__ == "__main__":
    main()

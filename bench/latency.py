"""Benchmark statement-to-LMS latency: statements arrive at a steady rate through `serve`
(SQLite, its own progress and delivery worker), and a fake Moodle that takes `--delay` per
web-service call records when each activity completion reaches it.

For every step a statement met on a module the sample mapping ties to a Moodle activity, the
latency runs from the moment the server answered the POST that stored the statement to the
moment Moodle finished the completion override. The target: p95 under 2 s at 500/s.
Everything else the statements cause reaches the same Moodle meanwhile (competency ratings,
alert messages to learners and managers), as it would in production.
"""

import argparse
import copy
import logging
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

import orjson
from pytest_httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.common import THREADS, WORKERS, require  # noqa: E402
from bench.ingest import batches, post_paced  # noqa: E402
from bench.journey import SAMPLE, make_statements  # noqa: E402
from bench.progress import import_roster, services_on, waiting  # noqa: E402
from lrs_bridge.mapping_files.loader import load_mapping  # noqa: E402
from tests.contract.moodle_fake import TOKEN, FakeMoodle, fixture  # noqa: E402
from tests.contract.moodle_functions import FUNCTIONS  # noqa: E402
from tests.live_server import live_server  # noqa: E402

OVERRIDE = "core_completion_override_activity_completion_status"
FIRST_UID = 1000  # learner n of the roster is Moodle user FIRST_UID + n
TOKEN_VAR = "BENCH_MOODLE_TOKEN"


class SlowMoodle(FakeMoodle):
    """The contract tests' fake Moodle, taking `delay` per call, noting completions' times.
    Its shapes are read once and its users found through an index, so that the fake's own
    CPU (it shares the machine with the server) stays small beside the server's."""

    def __init__(self, server, delay: float):
        super().__init__(server)
        self.delay = delay
        self.completed_at: dict[tuple[int, int], float] = {}
        self.lock = threading.Lock()
        shapes: dict[str, object] = {}

        def cached(name: str):
            if name not in shapes:
                shapes[name] = fixture(name)
            return copy.deepcopy(shapes[name])

        self.fixture = cached

    def handle(self, request):
        time.sleep(self.delay)
        with self.lock:  # the fake's state is plain dicts and lists
            response = super().handle(request)
        if request.form.get("wsfunction") == OVERRIDE and response.status_code == 200:
            key = (int(request.form["userid"]), int(request.form["cmid"]))
            self.completed_at.setdefault(key, time.time())
        return response


def _users_by_field(site, field: str, values: list[str]) -> list[dict]:
    """core_user_get_users_by_field as the fake answers it, through an index by field."""
    index = site.__dict__.setdefault("_by_field", {})
    if field not in index:
        index[field] = {}
        for user in site.users.values():
            index[field].setdefault(str(user.get(field)), []).append(user)
    return [site.visible(user) for value in values for user in index[field].get(value, ())
            if field in site.visible(user)]


def moodle_for(people: int, delay: float) -> tuple[HTTPServer, SlowMoodle, dict[str, int]]:
    """A fake Moodle holding the roster's learners and managers, the sample mapping's course
    with its activities and competencies; and the cmid of each mapped module."""
    server = HTTPServer(threaded=True)
    server.start()
    moodle = SlowMoodle(server, delay)
    uids = [moodle.add_user(f"learner{n}@noordwind.example", uid=FIRST_UID + n)
            for n in range(people)]
    uids += [moodle.add_user(f"lead{n}@noordwind.example", uid=FIRST_UID + people + n)
             for n in range(40)]
    mapping = load_mapping(SAMPLE).mapping
    cmids, courses = {}, {}
    for module in mapping.modules:
        target = (module.lms or {}).get("moodle")
        if target:
            cmids[module.id], courses[target["cmid"]] = target["cmid"], target["course"]
    for course in set(courses.values()):
        moodle.add_course(enrolled=uids, cid=course)
    for cmid, course in courses.items():
        moodle.add_cm(course, cmid=cmid)
    # Users are all added now: look them up through an index from here on.
    FUNCTIONS["core_user_get_users_by_field"] = (
        FUNCTIONS["core_user_get_users_by_field"][0], _users_by_field)
    for skill in mapping.skills:
        target = (skill.lms or {}).get("moodle")
        if target:
            # A scale with a value per level: the mapping gives no `levels`.
            moodle.add_competency(target["competency"], framework=target.get("framework", 1),
                                  course=target.get("course"), scale=skill.scale.max)
    return server, moodle, cmids


def first_completions(database: Path, cmids: dict[str, int]) -> dict[tuple[int, int], str]:
    """(Moodle user, cmid) -> the statement that first met the step of a mapped module: the
    completed_by of the learner's earliest step.changed event of that module that is met."""
    found: dict[tuple[int, int], str] = {}
    with closing(sqlite3.connect(database)) as conn:
        rows = conn.execute(
            "SELECT json_extract(payload, '$.learner.email'), json_extract(payload, "
            "'$.module'), json_extract(payload, '$.completed_by') FROM outbox "
            "WHERE type = 'step.changed' AND json_extract(payload, '$.status') IN "
            "('completed', 'passed') ORDER BY id")
        for email, module, statement in rows:
            if module in cmids:
                uid = FIRST_UID + int(email.split("@")[0].removeprefix("learner"))
                found.setdefault((uid, cmids[module]), statement)
    return found


def pending(database: Path) -> int:
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("SELECT count(*) FROM deliveries WHERE status = 'pending' "
                            "AND attempts = 0").fetchone()[0]


def run(workdir: Path, people: int, rate: int, seconds: int, delay: float,
        settle: float) -> list[float]:
    """Latencies (s) of the completions that reached Moodle during a steady run that starts
    `settle` seconds after the server: its worker's first alert scan of every learner
    belongs to the start of a server, not to the steady state measured."""
    per_batch = 10
    statements = make_statements(rate * seconds, people, seed=31)
    parts = list(batches(statements, per_batch))
    bodies = [orjson.dumps(part) for part in parts]
    database = workdir / "lrs.db"
    import_roster(database, people)
    http, moodle, cmids = moodle_for(people, delay)
    services = services_on(database)
    services.connectors.add("default", "moodle", "moodle", moodle.url, token_env=TOKEN_VAR,
                            token_encrypted=None, options={})
    services.engine.dispose()
    stored_at: dict[str, float] = {}

    def sent(n: int) -> None:
        now = time.time()
        for statement in parts[n]:
            stored_at[statement["id"]] = now

    try:
        with live_server(workdir, workers=WORKERS, threads=THREADS,
                         database_url=f"sqlite:///{database}", access_log=False,
                         extra_env={"LRS_BRIDGE_MAPPINGS": str(SAMPLE), TOKEN_VAR: TOKEN},
                         extra_args=("--progress-worker",)) as live:
            time.sleep(settle)
            elapsed = post_paced(live, bodies, per_batch / rate, sent=sent)
            deadline = time.monotonic() + 120
            while (waiting(database)[0] or pending(database)) and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        http.stop()
    print(f"steady arrival: {len(statements):,} statements in {elapsed:.1f} s "
          f"({len(statements) / elapsed:,.0f}/s, batches of {per_batch}); Moodle received "
          f"{len(moodle.calls):,} web-service calls, {len(moodle.completed_at):,} of them "
          f"completions, {len(moodle.ratings):,} ratings, {len(moodle.messages):,} messages")
    expected = first_completions(database, cmids)
    missing = set(expected) - set(moodle.completed_at)
    if missing:
        with closing(sqlite3.connect(database)) as conn:
            for row in conn.execute("SELECT status, attempts, last_error, count(*) FROM "
                                    "deliveries GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 8"):
                print("deliveries:", *row)
        raise SystemExit(f"benchmark invalid: {len(missing)} of {len(expected)} completions "
                         f"never reached Moodle")
    require(len(expected), 1, "completions of mapped modules")
    return [moodle.completed_at[key] - stored_at[statement]
            for key, statement in expected.items()]


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per fake request
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=500, help="statements/s")
    parser.add_argument("--seconds", type=int, default=60, help="length of the steady run")
    parser.add_argument("--delay", type=float, default=0.05,
                        help="seconds the fake Moodle takes per web-service call")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds a fresh server gets before the steady run")
    parser.add_argument("--keep", metavar="DIR", help="keep the database in DIR (empty)")
    args = parser.parse_args()
    print(f"server: SQLite, `lrs-bridge serve` with {WORKERS} workers × {THREADS} threads and "
          f"its progress and delivery worker; {args.people:,} learners of the sample "
          f"organisation; a fake Moodle answering each call in {args.delay * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        latencies = sorted(run(workdir, args.people, args.rate, args.seconds, args.delay,
                                     args.settle))
    p95 = latencies[int(len(latencies) * 0.95)]
    print(f"statement stored to completion in Moodle, {len(latencies):,} completions: p50 "
          f"{statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s "
          f"(target: p95 under 2 s)")


if __name__ == "__main__":
    main()

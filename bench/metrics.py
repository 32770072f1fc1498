"""Time GET /api/v1/metrics/journey on SQLite and PostgreSQL with 10,000 learners whose state
the progress worker would keep after 1,000,000 statements.

A quick measurement, not the benchmark: the statements are generated like bench/journey.py
(the sample organisation's 45 modules, uniform over a year from 5 January 2026) and folded
with the worker's own functions, and the metric rows are written directly rather than
through `serve` and the worker. The requests go through the Flask app in process, so the
times are server-side (authentication, queries, JSON or HTML), without HTTP. Then the same
for the dashboard's metrics page.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.journey import make_statements  # noqa: E402
from bench.stores import POSTGRES, add_arguments, on_postgres, on_sqlite  # noqa: E402
from lrs_bridge.clock import Clock  # noqa: E402
from lrs_bridge.delivery import metric_facts  # noqa: E402
from lrs_bridge.journey.evidence import TagLimits  # noqa: E402
from lrs_bridge.journey.matching import ModuleIndex  # noqa: E402
from lrs_bridge.journey.progress import add, evidence_of  # noqa: E402
from lrs_bridge.journey.progress_state import LearnerProgress  # noqa: E402
from lrs_bridge.journey.roster import parse_roster  # noqa: E402
from lrs_bridge.store.engine import write_transaction  # noqa: E402
from lrs_bridge.store.learners import load_learners  # noqa: E402
from lrs_bridge.store.progress import StateWrites  # noqa: E402
from lrs_bridge.store.progress_facts import FactWrites  # noqa: E402
from lrs_bridge.store.tables import learners, progress_queue  # noqa: E402
from lrs_bridge.web.app import create_app  # noqa: E402
from tests.integration.conftest import XAPIClient  # noqa: E402
from tests.integration.dashboard.conftest import Browser  # noqa: E402

ROLES = ("customer-service-agent", "field-technician", "energy-advisor", "team-lead")
NOW = datetime(2027, 1, 5, 12, tzinfo=UTC)
CASES = {
    "all metrics, no filter": "",
    "all metrics, team": "team=Team%207",
    "all metrics, role": "role=field-technician",
    "all metrics, phase": "phase=onboarding",
    **{f"only {name}": f"metrics={name}" for name in (
        "participation", "paths", "skill_gaps", "skill_decay", "time_to_productivity",
        "retention", "microlearning", "exit_feedback", "coverage")},
}
# The dashboard's metrics page (three charts and their tables), signed in as L&D or as the
# manager of Team 7's learners.
PAGES = {
    "metrics page, 12 months": ("ld", "/dashboard/metrics"),
    "metrics page, team": ("ld", "/dashboard/metrics?team=Team%207"),
    "metrics page, role": ("ld", "/dashboard/metrics?role=field-technician"),
    "metrics page, five years": ("ld", "/dashboard/metrics?from=2022-02-01&to=2027-01-05"),
    "metrics page, a manager": ("manager", "/dashboard/metrics"),
    "participation CSV": ("ld", "/dashboard/metrics/participation.csv"),
}
PASSWORD = "bench-password-" + "x" * 10


def roster_csv(people: int) -> str:
    """`people` learners in four roles and 40 teams, hired over two years; one in ten leaves
    three to twelve months after starting."""
    lines = ["email,name,role,manager_email,team,start_date,leave_date,status"]
    for n in range(people):
        start = date(2025, 1, 6) + timedelta(days=n % 730)
        leave = start + timedelta(days=90 + n % 270) if n % 10 == 9 else None
        lines.append(f"learner{n}@noordwind.example,Learner {n},{ROLES[n % 4]},"
                     f"lead{n % 40}@noordwind.example,Team {n % 40},{start.isoformat()},"
                     f"{leave.isoformat() if leave else ''},{'leaver' if leave else 'active'}")
    return "\n".join(lines) + "\n"


def fill(services, people: int, statements: int) -> float:
    """Import the roster and write the state 1,000,000 statements give; seconds taken."""
    began = time.perf_counter()
    mapping = services.mappings.current().mapping
    parsed = parse_roster(roster_csv(people).encode(), "roster.csv",
                          {r.id for r in mapping.roles}, {p.id for p in mapping.paths})
    services.learners.import_roster("default", parsed, "roster.csv")
    with services.engine.connect() as conn:
        ids = {row.email: row.id for row in conn.execute(learners.select())}
        persons = load_learners(conn, set(ids.values()))
    index, limits = ModuleIndex(mapping.modules), TagLimits.of(mapping)
    evidence = defaultdict(list)
    for part in range(10):
        for statement in make_statements(statements // 10, people, seed=100 + part):
            found = evidence_of(mapping, statement, trusted_tags=False, index=index,
                                limits=limits)
            if found is not None:
                evidence[ids[statement["actor"]["mbox"][7:]]].append(found)
    print(f"  {sum(map(len, evidence.values())):,} pieces of evidence generated", flush=True)
    chunk = sorted(persons)
    for start in range(0, len(chunk), 500):
        writes, facts = StateWrites(1), FactWrites(1)
        for lid in chunk[start:start + 500]:
            state = LearnerProgress()
            for item in sorted(evidence.get(lid, ()), key=lambda e: e.order):
                add(state, item, mapping, NOW)
            metric_facts.rebuild(facts, lid, persons[lid], state, mapping)
            writes.stamp(lid, "bench", 0)
        with write_transaction(services.engine) as conn:
            writes.flush(conn)
            facts.flush(conn)
    with write_transaction(services.engine) as conn:
        conn.execute(progress_queue.delete())
    return time.perf_counter() - began


def measure(services, rounds: int) -> dict[str, tuple[float, float]]:
    """Median and slowest milliseconds of each case."""
    app = create_app(services=replace(services, clock=Clock(NOW)))
    key, secret = services.credentials.add(f"bench-{uuid.uuid4().hex[:6]}", ["progress/read"])
    client = XAPIClient(app.test_client(), key, secret)
    found = {}
    for name, query in CASES.items():
        times = []
        for attempt in range(rounds + 2):
            began = time.perf_counter()
            response = client.get(f"/api/v1/metrics/journey?{query}")
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{name}: {response.status_code} {response.get_data()}")
            if attempt >= 2:  # the first two warm the caches
                times.append(elapsed)
        found[name] = (statistics.median(times), max(times))
    return found | measure_pages(app, services, rounds)


def measure_pages(app, services, rounds: int) -> dict[str, tuple[float, float]]:
    """Median and slowest milliseconds of each dashboard page of PAGES."""
    tag = uuid.uuid4().hex[:6]
    users = {"ld": f"ld-{tag}@bench.example", "manager": "lead7@noordwind.example"}
    for role, email in users.items():
        if services.dashboard_users.find(email) is None:
            services.dashboard_users.add(email, role, PASSWORD)
        else:  # a reused database has the manager already
            services.dashboard_users.set_password(email, PASSWORD)
    found = {}
    for name, (role, path) in PAGES.items():
        browser = Browser(app)
        if browser.sign_in(users[role], PASSWORD).status_code != 302:
            raise SystemExit(f"{name}: cannot sign in as {users[role]}")
        times = []
        for attempt in range(rounds + 2):
            began = time.perf_counter()
            response = browser.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{name}: {response.status_code}")
            if attempt >= 2:
                times.append(elapsed)
        found[name] = (statistics.median(times), max(times))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10)
    add_arguments(parser, os.environ.get("LRS_BRIDGE_TEST_POSTGRES_URL", POSTGRES))
    args = parser.parse_args()
    results = {}
    filled = partial(fill, people=args.people, statements=args.statements)
    timed = partial(measure, rounds=args.rounds)
    if not args.no_sqlite:
        results["SQLite"] = on_sqlite(args, filled, timed)
    if not args.no_postgres:
        results["PostgreSQL"] = on_postgres(args, filled, timed)
    report(args, results)


def report(args, results: dict) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\n{args.people:,} learners, {args.statements:,} statements; "
          f"ms server-side, median and slowest of {args.rounds}; load average now {load} "
          f"on {os.cpu_count()} cores")
    print(f"{'case':32} " + "  ".join(f"{db:>20}" for db in results))
    for name in [*CASES, *PAGES]:
        print(f"{name:32} " + "  ".join(f"{results[db][name][0]:9.1f} {results[db][name][1]:9.1f}"
                                        for db in results))


if __name__ == "__main__":
    main()

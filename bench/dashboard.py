"""Benchmark the L&D dashboard: every page of the dashboard's navigation and every journey
metric of the API, on SQLite and PostgreSQL, with the sample organisation scaled to 10,000
learners and 1,000,000 statements; target p95 under 300 ms, server-side.

The organisation is the demo's (`lrs-bridge demo`: teams with their leads, start dates over
eighteen months, leavers, alumni, onboarding in progress) and its statements are the demo's
simulation of each person's history, topped up with further microlearning moments within each
person's time at work until there are `--statements`. They are stored for real
(StatementStore.save, 1,000 a transaction) and folded by the progress worker's own code, as
`reprocess` does, at a fixed `now`. Requests go through the Flask app in process, so times
are server-side (session or credential, queries, rendering), without HTTP.

The pages timed are found in blueprint.PAGE_MODULES: each navigation page's default view, as
L&D and as a manager (or as an admin when neither may see it), the learner page of sample
learners, the team page of a manager, the alerts page filtered by kind, and each CSV the
timed pages link to. A case that answers anything but 200, or a page without data, stops the
run: "benchmark invalid".
"""

import argparse
import math
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from flask import url_for

sys.path.insert(0, str(Path(__file__).parents[1]))

from bench.common import AUTHORITY, AUTHORITY_KEY  # noqa: E402
from bench.stores import POSTGRES, add_arguments, on_postgres, on_sqlite  # noqa: E402
from lrs_bridge.clock import Clock  # noqa: E402
from lrs_bridge.demo.journal import Journal, moment_on  # noqa: E402
from lrs_bridge.demo.organisation import DIRECTOR, Person, make_people, roster_csv  # noqa: E402
from lrs_bridge.demo.simulation import person_statements  # noqa: E402
from lrs_bridge.journey.metrics.period import METRICS  # noqa: E402
from lrs_bridge.journey.roster import parse_roster  # noqa: E402
from lrs_bridge.store.engine import write_transaction  # noqa: E402
from lrs_bridge.store.progress_queue import mark_learners  # noqa: E402
from lrs_bridge.store.tables import alerts, learners, progress_queue  # noqa: E402
from lrs_bridge.web.app import create_app  # noqa: E402
from lrs_bridge.web.dashboard.blueprint import PAGE_MODULES  # noqa: E402
from tests.integration.conftest import XAPIClient  # noqa: E402
from tests.integration.dashboard.conftest import Browser  # noqa: E402

NOW = datetime(2027, 1, 5, 12, tzinfo=UTC)
SEED = 7
TARGET_MS = 300
PASSWORD = "bench-password-" + "x" * 10
BATCH = 1000
LEARNER_SAMPLE = 20  # learners whose pages are timed, one a round
_CSV_LINK = re.compile(r'href="(/dashboard/[^"]*\.csv[^"]*)"')
_DATA = re.compile(r'<td[^>]*>\s*[^<\s]|<option value="[^"]')


@dataclass(frozen=True)
class Case:
    """One timed request: who asks (a dashboard role, or "api" for a credential), the paths
    (one per round, in turn) and what the answer must hold ("html", "csv", "json" with these
    metrics, "feed", "atom")."""

    name: str
    who: str
    paths: tuple[str, ...]
    holds: str
    metrics: tuple[str, ...] = ()


def organisation(mapping, people: int) -> list[Person]:
    """The demo's organisation of `people` at NOW."""
    return make_people(mapping, people, SEED, NOW.date())


def histories(mapping, persons: list[Person], statements: int) -> Iterator[list[dict]]:
    """Each person's statements: the demo's simulation of their history, and further
    microlearning moments while at work, spread so that there are at least `statements`."""
    simulated = sum(len(person_statements(mapping, p, SEED, NOW)) for p in persons)
    at_work = {p.email: n for n, p in enumerate(p for p in persons if _working_days(p) > 1)}
    extra = max(0, statements - simulated)
    micro = [m for m in mapping.modules if m.type == "microlearning" and "alumni" not in m.id]
    for person in persons:
        own = person_statements(mapping, person, SEED, NOW)
        n = at_work.get(person.email)
        if n is not None and micro:
            own += _moments(person, micro, extra // len(at_work) + (n < extra % len(at_work)))
        yield own


def _working_days(person: Person) -> int:
    last = min(NOW.date(), person.leave_date or NOW.date())
    return (last - person.start_date).days


def _moments(person: Person, micro: list, count: int) -> list[dict]:
    """`count` microlearning moments of the person on workdays between their start and their
    last day (or NOW), as the demo's journal writes them (ids of their own)."""
    rng = random.Random(f"{SEED}/moments/{person.email}")  # noqa: S311 - not a secret
    journal = Journal(person, NOW, SEED + 1)
    days = _working_days(person)
    for _ in range(count):
        day = person.start_date + timedelta(days=rng.randrange(days))
        journal.say(moment_on(day, rng.randint(0, 540)), "experienced", rng.choice(micro))
    return journal.statements


def fill(services, people: int, statements: int) -> float:
    """The demo's roster of `people`, their statements stored 1,000 a transaction, then every
    learner folded by the progress worker at NOW; seconds taken."""
    began = time.perf_counter()
    mapping = services.mappings.current().mapping
    persons = organisation(mapping, people)
    parsed = parse_roster(roster_csv(persons).encode(), "roster.csv",
                          {r.id for r in mapping.roles}, {p.id for p in mapping.paths})
    services.learners.import_roster("default", parsed, "roster.csv")
    batch, stored = [], 0
    for own in histories(mapping, persons, statements):
        batch += own
        while len(batch) >= BATCH:
            services.statements.save(1, batch[:BATCH], authority=AUTHORITY,
                                     authority_key=AUTHORITY_KEY)
            stored += len(batch[:BATCH])
            batch = batch[BATCH:]
            print(f"\r  stored {stored:,} statements", end="", flush=True, file=sys.stderr)
    if batch:
        services.statements.save(1, batch, authority=AUTHORITY, authority_key=AUTHORITY_KEY)
        stored += len(batch)
    print(f"\r  stored {stored:,} statements in {time.perf_counter() - began:.0f} s",
          file=sys.stderr)
    with write_transaction(services.engine) as conn:
        conn.execute(progress_queue.delete())  # as reprocess: every learner once, below
        ids = [row.id for row in conn.execute(learners.select())]
        mark_learners(conn, 1, ids)
    replace(services, clock=Clock(NOW)).progress_worker().drain()
    return time.perf_counter() - began


def users(services, persons_manager: str) -> dict[str, str]:
    """The dashboard users the benchmark signs in as (added, or their password set)."""
    found = {"ld": "ld@bench.example", "manager": persons_manager,
             "admin": "admin@bench.example"}
    for role, email in found.items():
        if services.dashboard_users.find(email) is None:
            services.dashboard_users.add(email, role, PASSWORD)
        else:
            services.dashboard_users.set_password(email, PASSWORD)
    return found


def sample(services) -> dict:
    """What the cases need from the filled database: a manager with their team, learners of
    the whole organisation and of that team, the alert kind most often open."""
    rng = random.Random(SEED)
    with services.engine.connect() as conn:
        rows = conn.execute(learners.select().where(learners.c.tenant_id == 1)).all()
        kinds = conn.exec_driver_sql(
            "SELECT kind, count(*) FROM alerts WHERE status = 'open' AND tenant_id = 1 "
            "GROUP BY kind ORDER BY count(*) DESC, kind").all()
    teams: dict[str, list[int]] = {}
    for row in rows:
        if row.manager_email and row.manager_email != DIRECTOR:
            teams.setdefault(row.manager_email, []).append(row.id)
    manager = sorted(teams, key=lambda m: (-len(teams[m]), m))[0]
    ids = sorted(row.id for row in rows)
    return {"manager": manager, "team": sorted(teams[manager]),
            "learners": rng.sample(ids, min(LEARNER_SAMPLE, len(ids))),
            "alert_kind": kinds[0][0] if kinds else None}


def cases(app, found: dict) -> list[Case]:
    """Every timed case: the pages of PAGE_MODULES, the extra views of the known pages, the
    CSVs those link to (added by `measure` when it has read the pages), the API's metrics and
    its feeds."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    with app.test_request_context():
        result = []
        for module in PAGE_MODULES:
            page = module.PAGE
            if page is None:
                continue
            who = [r for r in ("ld", "manager") if r in page.roles] or ["admin"]
            path = url_for(page.endpoint)
            result += [Case(f"{path} as {r}", r, (path,), "html") for r in who]
        if "dashboard.learner" in endpoints:
            result += [
                Case("/dashboard/learners/<id> as ld", "ld", tuple(
                    url_for("dashboard.learner", learner_id=i) for i in found["learners"]),
                    "html"),
                Case("/dashboard/learners/<id> as manager", "manager", tuple(
                    url_for("dashboard.learner", learner_id=i)
                    for i in found["team"][:LEARNER_SAMPLE]), "html")]
        if "dashboard.team" in endpoints:
            result.append(Case("/dashboard/team?manager=… as ld", "ld",
                               (url_for("dashboard.team", manager=found["manager"]),), "html"))
        if "dashboard.alerts" in endpoints and found["alert_kind"]:
            path = url_for("dashboard.alerts", kind=found["alert_kind"])
            result += [Case(f"/dashboard/alerts?kind={found['alert_kind']} as {r}", r, (path,),
                            "html") for r in ("ld", "manager")]
    return result + api_cases()


def api_cases() -> list[Case]:
    """Each metric alone and all together, with and without filters; the feeds' first pages."""
    journey = "/api/v1/metrics/journey"
    result = [Case(f"metrics={name}", "api", (f"{journey}?metrics={name}",), "json", (name,))
              for name in METRICS]
    result.append(Case("every metric", "api", (journey,), "json", METRICS))
    for query in ("role=customer-service-agent", "phase=onboarding", "team={team}",
                  "from=2022-02-01&to=2027-01-05"):
        result.append(Case(f"every metric, {query}", "api", (f"{journey}?{query}",), "json",
                           METRICS))
    result += [Case("metrics=participation, team={team}", "api",
                    (f"{journey}?metrics=participation&team={{team}}",), "json",
                    ("participation",)),
               Case("/api/v1/progress, first page", "api", ("/api/v1/progress?limit=100",),
                    "feed"),
               Case("/api/v1/alerts.atom", "api", ("/api/v1/alerts.atom",), "atom")]
    return result


def check(case: Case, path: str, response) -> None:
    """Stop the run when the answer is not a 200 with data."""
    if response.status_code != 200:
        raise SystemExit(f"benchmark invalid: {case.name}: {path} answered "
                         f"{response.status_code}: {response.get_data(as_text=True)[:300]}")
    text = response.get_data(as_text=True)
    empty = {
        "html": lambda: not _DATA.search(text) or 'class="no-data"' in text,
        "csv": lambda: len(text.splitlines()) < 2,
        "json": lambda: not all(_some(response.get_json().get(m)) for m in case.metrics),
        "feed": lambda: not response.get_json().get("entries"),
        "atom": lambda: "<entry" not in text,
    }[case.holds]
    if empty():
        raise SystemExit(f"benchmark invalid: {case.name}: {path} shows no data")


def _some(value) -> bool:
    """Whether a metric's JSON holds a number other than zero somewhere."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, dict):
        return any(_some(v) for v in value.values())
    if isinstance(value, list):
        return any(_some(v) for v in value)
    return False


def clients(app, services, found: dict) -> dict:
    """A signed-in browser per dashboard role and an API client."""
    emails = users(services, found["manager"])
    made = {}
    for role, email in emails.items():
        browser = Browser(app)
        if browser.sign_in(email, PASSWORD).status_code != 302:
            raise SystemExit(f"benchmark invalid: cannot sign in as {email}")
        made[role] = browser
    key, secret = services.credentials.add(f"bench-{uuid.uuid4().hex[:6]}",
                                           ["progress/read"])
    made["api"] = XAPIClient(app.test_client(), key, secret)
    return made


def measure(services, rounds: int) -> dict[str, list[float]]:
    """Milliseconds of each case, `rounds` times after two to warm up."""
    app = create_app(services=replace(services, clock=Clock(NOW)))
    found = sample(services)
    made = clients(app, services, found)
    with services.engine.connect() as conn:
        team = conn.execute(learners.select().where(
            learners.c.id == found["team"][0])).one().team
    todo, times, downloads = cases(app, found), {}, {}
    while todo:
        case = todo.pop(0)
        paths = [p.replace("{team}", team.replace(" ", "%20")) for p in case.paths]
        samples = []
        for attempt in range(rounds + 2):
            path = paths[attempt % len(paths)]
            began = time.perf_counter()
            response = made[case.who].get(path)
            elapsed = (time.perf_counter() - began) * 1000
            check(case, path, response)
            if attempt >= 2:
                samples.append(elapsed)
            if attempt == 0 and case.holds == "html":
                for link in _CSV_LINK.findall(response.get_data(as_text=True)):
                    link = link.replace("&amp;", "&")
                    name = f"{link.split('?')[0]} as {case.who}"
                    if name not in downloads and not re.search(r"/learners/\d", link):
                        downloads[name] = Case(name, case.who, (link,), "csv")
                        todo.append(downloads[name])
        times[case.name] = samples
    times["(learner timeline CSV)"] = _learner_csvs(made, found, rounds)
    return times


def _learner_csvs(made: dict, found: dict, rounds: int) -> list[float]:
    """The timeline CSV of each sample learner (each a different learner, as the pages)."""
    case = Case("learner timeline CSV", "ld", (), "csv")
    samples = []
    for n in range(rounds):
        path = f"/dashboard/learners/{found['learners'][n % len(found['learners'])]}/timeline.csv"
        began = time.perf_counter()
        response = made["ld"].get(path)
        samples.append((time.perf_counter() - began) * 1000)
        check(case, path, response)
    return samples


def p95(samples: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def shape(services) -> str:
    """What the database holds, for the report."""
    with services.engine.connect() as conn:
        one = lambda sql: conn.exec_driver_sql(sql).scalar()  # noqa: E731
        statements = one("SELECT count(*) FROM statements")
        people = one("SELECT count(*) FROM learners")
        leavers = one("SELECT count(*) FROM learners WHERE status = 'leaver'")
        alumni = one("SELECT count(*) FROM learners WHERE status = 'alumni'")
        open_alerts = conn.execute(alerts.select().where(alerts.c.status == "open")
                                   .with_only_columns(alerts.c.id)).all()
        evidence = one("SELECT count(*) FROM progress_evidence")
    return (f"{people:,} learners ({leavers:,} leavers, {alumni:,} alumni), {statements:,} "
            f"statements, {evidence:,} pieces of evidence, {len(open_alerts):,} open alerts")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000_000,
                        help="at least this many statements (the demo's histories, topped up "
                        "with microlearning moments)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--fill-only", action="store_true",
                        help="fill the databases named with --sqlite and --pg-schema, and stop")
    add_arguments(parser, os.environ.get("LRS_BRIDGE_TEST_POSTGRES_URL", POSTGRES))
    args = parser.parse_args()
    filled = partial(fill, people=args.people, statements=args.statements)

    def timed(services):
        if args.fill_only:
            return shape(services), {}
        return shape(services), measure(services, args.rounds)

    results = {}
    if not args.no_sqlite:
        results["SQLite"] = on_sqlite(args, filled, timed)
    if not args.no_postgres:
        results["PostgreSQL"] = on_postgres(args, filled, timed)
    if args.fill_only:
        print("\n".join(f"{db}: {held}" for db, (held, _) in results.items()))
        return
    report(args, results)


def report(args, results: dict) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nms server-side, p50 / p95 / max of {args.rounds} after 2 to warm up; "
          f"* p95 over {TARGET_MS} ms; load average now {load} on {os.cpu_count()} cores")
    for db, (held, _) in results.items():
        print(f"{db}: {held}")
    names = list(next(iter(results.values()))[1])
    print(f"{'case':58} " + "  ".join(f"{db:>24}" for db in results))
    over = {"page or metric": 0, "download": 0}
    for name in names:
        cells = []
        for _, times in results.values():
            samples = times[name]
            late = p95(samples) > TARGET_MS
            over["download" if "csv" in name.lower() else "page or metric"] += late
            cells.append(f"{statistics.median(samples):6.1f} {p95(samples):7.1f}"
                         f"{'*' if late else ' '}{max(samples):8.1f}")
        print(f"{name:58} " + "  ".join(cells))
    print(", ".join(f"{count} {what} case(s) with p95 over {TARGET_MS} ms"
                    for what, count in over.items()))

if __name__ == "__main__":
    main()

"""Query benchmark: GET /statements with one filter and limit=100 on a store of 1,000,000
statements, through a real `lrs-bridge serve`, and paging to the last page with `more`;
the reference, in the same run, is OFFSET paging of the same query.

    python bench/query.py [--statements 1000000] [--db bench/results/query.db]
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.statements import DOMAIN, VERBS, make_statements  # noqa: E402
from lrs_bridge.bootstrap import bootstrap  # noqa: E402
from lrs_bridge.settings import Settings  # noqa: E402
from lrs_bridge.store.migrate import upgrade  # noqa: E402
from lrs_bridge.store.statement_index import KINDS  # noqa: E402
from lrs_bridge.store.tables import statements as statements_table  # noqa: E402
from lrs_bridge.xapi.index_keys import key_hash  # noqa: E402
from tests.live_server import live_server  # noqa: E402

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://bench.invalid", "name": "b"}}
HEADERS = {"X-Experience-API-Version": "1.0.3"}


def fill(url: str, count: int) -> None:
    """Bulk-load statements through the store (same rows and index as the HTTP path)."""
    services = bootstrap(Settings(database_url=url))
    upgrade(services.engine)
    with services.engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(statements_table)).scalar()
    started = time.perf_counter()
    for offset in range(have, count, 10_000):
        chunk = make_statements(min(10_000, count - offset), seed=offset)
        for i in range(0, len(chunk), 1000):
            services.statements.save(1, chunk[i:i + 1000], authority=AUTHORITY,
                                     authority_key="account:https://bench.invalid|b")
        print(f"\rloaded {offset + len(chunk):,} statements", end="", flush=True)
    if count > have:
        print(f" in {time.perf_counter() - started:.0f} s")


def timed_get(session, url: str, params=None) -> tuple[float, dict]:
    started = time.perf_counter()
    response = session.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
    return elapsed, response.json()


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms"


def filter_params(rng: random.Random, kind: str, since: str) -> dict:
    if kind == "verb":
        return {"verb": f"http://adlnet.gov/expapi/verbs/{rng.choice(VERBS)}"}
    if kind == "agent":
        return {"agent": json.dumps({"mbox": f"mailto:learner{rng.randrange(5000)}@example.nl"})}
    if kind == "activity":
        return {"activity": f"{DOMAIN}/modules/{rng.randrange(800)}"}
    return {"since": since}


def run_filters(session, endpoint: str, since: str, rounds: int) -> None:
    rng = random.Random(3)
    for kind in ("verb", "agent", "activity", "since"):
        samples = []
        for _ in range(rounds):
            params = {**filter_params(rng, kind, since), "limit": 100}
            samples.append(timed_get(session, endpoint + "statements", params)[0])
        print(f"GET ?{kind}=…&limit=100: {percentiles(samples)}   ({rounds} requests)")


def run_paging(session, endpoint: str, server_root: str, pages: int) -> list[float]:
    """Milliseconds per page when following `more` from the first page on."""
    params = {"verb": "http://adlnet.gov/expapi/verbs/completed", "limit": 100}
    elapsed, result = timed_get(session, endpoint + "statements", params)
    times = [elapsed]
    while result["more"] and len(times) < pages:
        elapsed, result = timed_get(session, server_root + result["more"])
        times.append(elapsed)
    return times


def references(url: str, last_page: int) -> dict[str, float]:
    """Milliseconds of queries done the usual other ways, in SQL alone: the verb query
    paged with OFFSET over the same index, and an agent query scanning the JSON."""
    services = bootstrap(Settings(database_url=url))
    verb = "http://adlnet.gov/expapi/verbs/completed"
    offset_sql = text(
        "SELECT s.payload FROM statement_index i JOIN statements s ON s.seq = i.seq "
        "WHERE i.tenant_id = 1 AND i.kind = :kind AND i.key = :key AND NOT s.voided "
        "ORDER BY i.stored DESC, i.seq DESC LIMIT 100 OFFSET :offset")
    scan_sql = text(
        "SELECT payload FROM statements WHERE tenant_id = 1 AND NOT voided "
        "AND payload LIKE :pattern ORDER BY stored DESC, seq DESC LIMIT 100")
    params = {"kind": KINDS["verb"], "key": key_hash("verb", verb)}
    timings = {}
    with services.engine.connect() as conn:
        for name, sql, values in [
            ("index + OFFSET, page 1", offset_sql, {**params, "offset": 0}),
            (f"index + OFFSET, page {last_page}", offset_sql,
             {**params, "offset": (last_page - 1) * 100}),
            ("?agent= as a JSON scan without the index, page 1", scan_sql,
             {"pattern": '%"mailto:learner42@example.nl"%'}),
        ]:
            started = time.perf_counter()
            conn.execute(sql, values).all()
            timings[name] = (time.perf_counter() - started) * 1000
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("bench/results/query.db"))
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{args.db.resolve()}"
    fill(url, args.statements)
    with tempfile.TemporaryDirectory() as tmp, \
            live_server(Path(tmp), workers=2, threads=2, database_url=url,
                        access_log=False) as server:
        session = requests.Session()
        session.auth = (server.key, server.secret)
        session.headers.update(HEADERS)
        newest = timed_get(session, server.endpoint + "statements", {"limit": 5000})[1]
        since = newest["statements"][-1]["stored"]
        run_filters(session, server.endpoint, since, args.rounds)
        root = server.endpoint.rsplit("/xapi/", 1)[0]
        times = run_paging(session, server.endpoint, root, args.pages)
    last = len(times) - 1
    print(f"paging ?verb=completed&limit=100 with more through {last + 1} pages: median of "
          f"the first 50 pages {statistics.median(times[:50]):.1f} ms, of the last 50 "
          f"{statistics.median(times[-50:]):.1f} ms")
    for name, elapsed in references(url, last + 1).items():
        print(f"reference, {name}: {elapsed:.1f} ms")


if __name__ == "__main__":
    main()

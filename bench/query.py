"""Query benchmark: GET /statements with one filter and limit=100 on a store of 1,000,000
statements, through a real `lrs-bridge serve`, and paging to the last page with `more`;
the reference, in the same run, is OFFSET paging of the same query.

    python bench/query.py [--statements 1000000] [--db bench/results/query.db]

Every timed query must return a full page of 100 statements (the run stops otherwise), so
a short trial run needs a store with few learners and activities, in a file of its own:

    python bench/query.py --statements 30000 --learners 100 --activities 20 \
        --db bench/results/query-small.db --rounds 50
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

from bench.common import AUTHORITY, AUTHORITY_KEY, bench_server, configuration, require  # noqa: E402
from bench.statements import DOMAIN, VERBS, make_statements  # noqa: E402
from lrs_bridge.bootstrap import bootstrap  # noqa: E402
from lrs_bridge.settings import Settings  # noqa: E402
from lrs_bridge.store.migrate import upgrade  # noqa: E402
from lrs_bridge.store.statement_index import KINDS  # noqa: E402
from lrs_bridge.store.tables import statements as statements_table  # noqa: E402
from lrs_bridge.xapi.index_keys import key_hash  # noqa: E402
from lrs_bridge.xapi.timestamps import format_millis  # noqa: E402

HEADERS = {"X-Experience-API-Version": "1.0.3"}
PAGE = 100
PAGED_VERB = "http://adlnet.gov/expapi/verbs/completed"


def fill(url: str, count: int, shape: dict, db: Path) -> int:
    """Bulk-load statements through the store (same rows and index as the HTTP path), 1,000 per
    transaction; return how many the store holds."""
    services = bootstrap(Settings(database_url=url))
    upgrade(services.engine)
    with services.engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(statements_table)).scalar()
    _check_shape(db, shape, have)
    started = time.perf_counter()
    for offset in range(have, count, 10_000):
        chunk = make_statements(min(10_000, count - offset), seed=offset, **shape)
        for i in range(0, len(chunk), 1000):
            services.statements.save(1, chunk[i:i + 1000], authority=AUTHORITY,
                                     authority_key=AUTHORITY_KEY)
        print(f"\rloaded {offset + len(chunk):,} statements", end="", flush=True)
    if count > have:
        print(f" in {time.perf_counter() - started:.0f} s")
    return max(have, count)


def _check_shape(db: Path, shape: dict, have: int) -> None:
    """Refuse to add statements of other learners and activities to an existing fill."""
    record = db.with_name(db.name + ".json")
    # Fills made before the record existed used the defaults.
    recorded = (json.loads(record.read_text()) if record.exists()
                else {"learners": 5000, "activities": 800})
    if have and recorded != shape:
        raise SystemExit(f"{db} holds statements of {recorded}, not {shape}: use another --db")
    record.write_text(json.dumps(shape))


def since_values(engine) -> list[str]:
    """`stored` times each followed by at least a page of newer statements.

    The fill gives 1,000 statements one `stored`, so a time taken from the newest page would
    select nothing newer: take the times strictly older than the PAGE+1-th newest statement."""
    stored = statements_table.c.stored
    with engine.connect() as conn:
        cutoff = conn.execute(select(stored).order_by(stored.desc(), statements_table.c.seq.desc())
                              .offset(PAGE).limit(1)).scalar()
        if cutoff is None:
            return []
        older = conn.execute(select(stored).distinct().where(stored < cutoff)).scalars().all()
    return [format_millis(millis) for millis in sorted(older)]


def timed_get(session, url: str, params=None) -> tuple[float, dict]:
    """Milliseconds of one GET (which must answer 200) and its JSON."""
    started = time.perf_counter()
    response = session.get(url, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
    return elapsed, response.json()


def timed_page(session, url: str, params: dict, what: str) -> tuple[float, dict]:
    """timed_get of a query that must fill its page."""
    elapsed, result = timed_get(session, url, params)
    require(len(result["statements"]), PAGE, what)
    return elapsed, result


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49]:6.1f} ms   p95 {cuts[94]:6.1f} ms"


def filter_params(rng: random.Random, kind: str, shape: dict, sinces: list[str]) -> dict:
    """Query parameters of one random filter of `kind` that the fill has statements for."""
    if kind == "verb":
        return {"verb": f"http://adlnet.gov/expapi/verbs/{rng.choice(VERBS)}"}
    if kind == "agent":
        learner = rng.randrange(shape["learners"])
        return {"agent": json.dumps({"mbox": f"mailto:learner{learner}@example.nl"})}
    if kind == "activity":
        return {"activity": f"{DOMAIN}/modules/{rng.randrange(shape['activities'])}"}
    return {"since": rng.choice(sinces)}


def run_filters(session, endpoint: str, shape: dict, sinces: list[str], rounds: int) -> None:
    """Time `rounds` GETs per filter kind and print their percentiles; each must fill its page."""
    rng = random.Random(3)
    require(len(sinces), 1, "older `stored` times to take `since` from")
    for kind in ("verb", "agent", "activity", "since"):
        samples = []
        for _ in range(rounds):
            params = {**filter_params(rng, kind, shape, sinces), "limit": PAGE}
            samples.append(timed_page(session, endpoint + "statements", params, f"{params}")[0])
        print(f"GET ?{kind}=…&limit={PAGE}: {percentiles(samples)}   ({rounds} requests, "
              f"each a full page)")


def run_paging(session, endpoint: str, server_root: str, pages: int) -> tuple[list[float], int]:
    """Milliseconds per page when following `more` from the first page on (at most `pages`,
    0 for all), and the statements seen; every page but the last must be full."""
    params = {"verb": PAGED_VERB, "limit": PAGE}
    elapsed, result = timed_page(session, endpoint + "statements", params, "paging, page 1")
    times, seen = [elapsed], len(result["statements"])
    while result["more"] and len(times) != pages:
        elapsed, result = timed_get(session, server_root + result["more"])
        if result["more"]:
            require(len(result["statements"]), PAGE, f"paging, page {len(times) + 1}")
        times.append(elapsed)
        seen += len(result["statements"])
    require(len(result["statements"]), 1, f"paging, page {len(times)}")
    return times, seen


def references(url: str, last_page: int, learner: int) -> dict[str, float]:
    """Milliseconds of queries done the usual other ways, in SQL alone: the verb query
    paged with OFFSET over the same index, and an agent query scanning the JSON."""
    services = bootstrap(Settings(database_url=url))
    offset_sql = text(
        "SELECT s.payload FROM statement_index i JOIN statements s ON s.seq = i.seq "
        "WHERE i.tenant_id = 1 AND i.kind = :kind AND i.key = :key AND NOT s.voided "
        "ORDER BY i.stored DESC, i.seq DESC LIMIT 100 OFFSET :offset")
    scan_sql = text(
        "SELECT payload FROM statements WHERE tenant_id = 1 AND NOT voided "
        "AND payload LIKE :pattern ORDER BY stored DESC, seq DESC LIMIT 100")
    params = {"kind": KINDS["verb"], "key": key_hash("verb", PAGED_VERB)}
    timings = {}
    with services.engine.connect() as conn:
        for name, sql, values, rows in [
            ("index + OFFSET, page 1", offset_sql, {**params, "offset": 0}, PAGE),
            (f"index + OFFSET, page {last_page}", offset_sql,
             {**params, "offset": (last_page - 1) * PAGE}, 1),
            ("?agent= as a JSON scan without the index, page 1", scan_sql,
             {"pattern": f'%"mailto:learner{learner}@example.nl"%'}, PAGE),
        ]:
            started = time.perf_counter()
            found = conn.execute(sql, values).all()
            timings[name] = (time.perf_counter() - started) * 1000
            require(len(found), rows, f"reference {name}")
    return timings


def print_paging(times: list[float], seen: int, expected: int) -> None:
    """Say how far paging went and how fast the first and last pages were."""
    window = max(1, min(50, len(times) // 2))
    reach = "all" if seen == expected else f"the first {seen:,} of {expected:,} statements in"
    print(f"paging ?verb=completed&limit={PAGE} with more through {reach} {len(times):,} pages "
          f"({seen:,} statements): median of the first {window} pages "
          f"{statistics.median(times[:window]):.1f} ms, of the last {window} "
          f"{statistics.median(times[-window:]):.1f} ms")


def verb_count(url: str) -> int:
    """Statements of the paged verb, counted in the query index."""
    engine = bootstrap(Settings(database_url=url)).engine
    count = text("SELECT count(*) FROM statement_index WHERE tenant_id = 1 AND kind = :kind "
                 "AND key = :key")
    with engine.connect() as conn:
        return conn.execute(count, {"kind": KINDS["verb"],
                                    "key": key_hash("verb", PAGED_VERB)}).scalar()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--activities", type=int, default=800)
    parser.add_argument("--db", type=Path, default=Path("bench/results/query.db"))
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--pages", type=int, default=0, help="stop paging after this many "
                        "pages (default 0: page to the end)")
    args = parser.parse_args()
    shape = {"learners": args.learners, "activities": args.activities}
    args.db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{args.db.resolve()}"
    stored = fill(url, args.statements, shape, args.db)
    print(configuration())
    print(f"store: {stored:,} statements from {args.learners:,} learners on "
          f"{args.activities:,} activities with {len(VERBS)} verbs")
    sinces = since_values(bootstrap(Settings(database_url=url)).engine)
    with tempfile.TemporaryDirectory() as tmp, bench_server(Path(tmp), args.db) as server:
        session = requests.Session()
        session.auth = (server.key, server.secret)
        session.headers.update(HEADERS)
        run_filters(session, server.endpoint, shape, sinces, args.rounds)
        root = server.endpoint.rsplit("/xapi/", 1)[0]
        times, seen = run_paging(session, server.endpoint, root, args.pages)
    print_paging(times, seen, verb_count(url))
    # Learner 42 as before, or one that exists in a small trial store.
    for name, elapsed in references(url, len(times), 42 % args.learners).items():
        print(f"reference, {name}: {elapsed:.1f} ms")


if __name__ == "__main__":
    main()

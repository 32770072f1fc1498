"""The benchmarks measure what they say: every timed case answers a full page or stores every
statement, a run says its configuration, and the README states the one the scripts use."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.common import AUTHORITY, AUTHORITY_KEY, THREADS, WORKERS
from bench.query import run_filters, since_values
from bench.statements import make_statements

ROOT = Path(__file__).resolve().parents[2]
SHAPE = {"learners": 20, "activities": 5}


def test_since_values_are_each_followed_by_a_full_page(services, xapi):
    # Two transactions of 600, as the fill stores 1,000 at a time: the newest page of
    # statements, even of the largest the server gives (500), shares one `stored`.
    for seed in (1, 2):
        services.statements.save(1, make_statements(600, seed=seed), authority=AUTHORITY,
                                 authority_key=AUTHORITY_KEY)
        time.sleep(0.005)
    sinces = since_values(services.engine)
    assert sinces
    for since in sinces:
        response = xapi.get("/xapi/statements", query_string={"since": since, "limit": 100})
        assert len(response.get_json()["statements"]) == 100


class _Answer:
    status_code = 200

    def __init__(self, statements: int):
        self.statements = statements

    def json(self):
        return {"statements": [{}] * self.statements, "more": ""}


class _Session:
    """Answers a full page to every query but those filtered by `short`."""

    def __init__(self, short: str):
        self.short = short

    def get(self, url, params=None):
        return _Answer(99 if self.short in params else 100)


@pytest.mark.parametrize("kind", ["verb", "agent", "activity", "since"])
def test_a_filter_answering_a_short_page_stops_the_query_benchmark(kind):
    with pytest.raises(SystemExit, match="gave 99 rows, expected 100"):
        run_filters(_Session(kind), "http://bench.invalid/xapi/", SHAPE,
                    ["2026-11-01T09:00:00.000Z"], rounds=2)


def _bench(script: str, *args: str) -> str:
    result = subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.e2e
def test_the_query_benchmark_runs_small_with_full_pages(tmp_path):
    out = _bench("query.py", "--statements", "3000", "--learners", "20", "--activities", "5",
                 "--rounds", "3", "--db", str(tmp_path / "query.db"))
    assert f"{WORKERS} workers × {THREADS} threads" in out
    for kind in ("verb", "agent", "activity", "since"):
        assert f"GET ?{kind}=…&limit=100: p50" in out
    assert "with more through all " in out


@pytest.mark.e2e
def test_the_ingest_benchmark_measures_every_line_on_the_same_statements(tmp_path):
    out = _bench("ingest.py", "--statements", "200", "--memory-run", "0", "--wrk-seconds", "0")
    assert f"{WORKERS} workers × {THREADS} threads" in out
    lines = [line for line in out.splitlines() if "statements/s" in line]
    assert [line.split(":")[0] for line in lines] == [
        "reference, plain sqlite3 (json.loads + executemany, 4 indexes, none of our code), "
        "batches of 100",
        "reference, our store in process (orjson + StatementStore.save with definitions), "
        "batches of 100",
        "POST batches of 100, 4 client threads",
        "single-statement POSTs, 4 client threads"]
    assert all(line.endswith("(200 statements)") for line in lines)
    assert all("of our store's in-process insert" in line and "of plain sqlite3" in line
               for line in lines[2:])


def test_the_readme_states_the_configuration_the_benchmarks_use():
    readme = (ROOT / "README.md").read_text()
    performance = readme.split("## Performance", 1)[1].split("\n## ", 1)[0]
    assert f"`serve` with {WORKERS} workers × {THREADS} threads" in performance


@pytest.mark.e2e
def test_the_progress_benchmark_runs_small_and_measures_every_line():
    out = _bench("progress.py", "--statements", "2000", "--people", "50", "--ingest", "500",
                 "--seconds", "3", "--rate", "100", "--rounds", "1", "--settle", "0")
    assert f"{WORKERS} workers × {THREADS} threads" in out
    assert "progress worker off: " in out and "progress worker on: " in out
    assert "processing lag at 100/s: p50 " in out
    assert "reprocess: 2,000 statements folded at " in out


@pytest.mark.e2e
def test_the_latency_benchmark_runs_small_and_times_every_completion():
    """Every completion of a mapped module reaches the fake Moodle (else the run says the
    benchmark is invalid and exits non-zero), and the latencies are printed."""
    out = _bench("latency.py", "--people", "200", "--rate", "100", "--seconds", "4",
                 "--delay", "0.01", "--settle", "0")
    assert f"{WORKERS} workers × {THREADS} threads" in out
    assert "steady arrival: 400 statements" in out
    assert "completions: p50 " in out and "(target: p95 under 2 s)" in out

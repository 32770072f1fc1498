"""The dashboard and the journey metrics read the progress engine's state, never the
statements, on every request; and bench/dashboard.py times every page and metric with data."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Response, has_request_context, request, url_for
from sqlalchemy import event

from bench.dashboard import Case, check, fill, measure
from lrs_bridge.journey.metrics.period import METRICS
from lrs_bridge.web.app import create_app
from lrs_bridge.web.dashboard.blueprint import PAGE_MODULES

ROOT = Path(__file__).resolve().parents[2]
# The tables that hold statements as they came; the engine's state is in the others.
STATEMENT_TABLES = re.compile(r"\b(statements|statement_index|attachments)\b", re.IGNORECASE)


def test_no_page_nor_metric_reads_the_statements(services):
    """Every request the benchmark times (each page of PAGE_MODULES as L&D and as a manager,
    the learner and team pages, each CSV they link to, each metric alone and all together,
    with filters, the feeds) on a small organisation: none of their SQL names a statement
    table."""
    fill(services, people=40, statements=2500)
    seen: list[tuple[str, str]] = []

    def record(_conn, _cursor, sql, _params, _context, _many):
        if has_request_context():
            seen.append((request.full_path, sql))

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        timed = measure(services, rounds=1)
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    paths = {path.split("?")[0] for path, _ in seen}
    with create_app(services=services).test_request_context():
        pages = {url_for(m.PAGE.endpoint) for m in PAGE_MODULES if m.PAGE is not None}
    assert len(pages) >= 5 and pages <= paths
    assert any(re.fullmatch(r"/dashboard/learners/\d+", p) for p in paths)
    assert {f"metrics={m}" for m in METRICS} <= set(timed)
    assert any(p.startswith("/api/v1/metrics/journey") for p in paths)
    assert len(seen) > 100
    # The listener sees the statement tables when a request reads them: the xAPI GET does.
    assert not [(path, sql) for path, sql in seen if STATEMENT_TABLES.search(sql)]


def test_the_listener_would_see_a_read_of_the_statements(services, app, xapi):
    """The check above is not blind: the xAPI statements GET is caught by the same listener
    and pattern."""
    seen = []
    event.listen(services.engine, "before_cursor_execute",
                 lambda _c, _cu, sql, *_: seen.append(sql))
    assert xapi.get("/xapi/statements?limit=1").status_code == 200
    assert any(STATEMENT_TABLES.search(sql) for sql in seen)


@pytest.mark.parametrize(("holds", "body"), [
    ("html", "<table><tr><th>Nobody</th></tr></table>"),
    ("html", '<table><tr><td>12</td></tr></table><p class="no-data">No data</p>'),
    ("csv", "learner_id,email\n"),
    ("json", '{"retention": {"groups": [{"hired": 0, "stayed": 0}]}}'),
    ("feed", '{"entries": []}'),
    ("atom", "<feed></feed>"),
])
def test_a_timed_answer_without_data_makes_the_benchmark_invalid(holds, body):
    case = Case("a case", "ld", ("/x",), holds, ("retention",))
    with pytest.raises(SystemExit, match="benchmark invalid: a case: /x shows no data"):
        check(case, "/x", Response(body, 200, mimetype="application/json"
                                   if holds in ("json", "feed") else "text/html"))


def test_a_timed_answer_other_than_200_makes_the_benchmark_invalid():
    with pytest.raises(SystemExit, match="benchmark invalid: a case: /x answered 500"):
        check(Case("a case", "ld", ("/x",), "html"), "/x",
              Response("<td>1</td>", 500))


def test_an_answer_with_data_passes():
    check(Case("a case", "ld", ("/x",), "html"), "/x", Response("<td> 3 </td>", 200))
    check(Case("a case", "api", ("/x",), "json", ("retention",)), "/x",
          Response('{"retention": {"groups": [{"stayed": 2}]}}', 200,
                   mimetype="application/json"))


@pytest.mark.e2e
def test_the_dashboard_benchmark_runs_small_on_both_databases(tmp_path):
    """A tiny run on SQLite and PostgreSQL: every case answered with data (or the run exits
    non-zero), and each line of the report is printed for both databases."""
    result = subprocess.run(
        [sys.executable, "bench/dashboard.py", "--people", "40", "--statements", "2500",
         "--rounds", "2", "--sqlite", str(tmp_path / "dashboard.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "SQLite: 40 learners" in out and "PostgreSQL: 40 learners" in out
    assert re.search(r"SQLite: 40 learners \(\d+ leavers, \d+ alumni\), 2,\d{3} statements", out)
    for line in ("/dashboard/metrics as ld", "/dashboard/alerts as manager",
                 "/dashboard/learners/<id> as manager", "every metric, phase=onboarding",
                 "/api/v1/alerts.atom", "/dashboard/team.csv as manager"):
        row = next(r for r in out.splitlines() if r.startswith(line + " "))
        assert len(re.findall(r"\d+\.\d", row)) == 6, row  # p50, p95, max on each database
    assert re.search(r"\d+ page or metric case\(s\) with p95 over 300 ms, \d+ download", out)

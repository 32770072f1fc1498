"""CI cannot pass with tests skipped: `.ci/run` forbids the skips and checks the report."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CI_RUN = ROOT / ".ci" / "run"
NO_SKIPS = ROOT / ".ci" / "no_skips.py"


def _report(tmp_path: Path, *cases: str) -> Path:
    path = tmp_path / "report.xml"
    path.write_text("<testsuites><testsuite>" + "".join(cases) + "</testsuite></testsuites>")
    return path


def _check(report: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(NO_SKIPS), str(report)], capture_output=True,
                          text=True)


PASSED_PG = '<testcase classname="tests.integration.t" name="test_a[postgresql]"/>'
PASSED_SQLITE = '<testcase classname="tests.integration.t" name="test_a[sqlite]"/>'
SKIPPED_PG = ('<testcase classname="tests.integration.t" name="test_b[postgresql]">'
              '<skipped message="PostgreSQL not reachable"/></testcase>')


def test_a_report_with_a_skipped_test_fails_the_run(tmp_path):
    result = _check(_report(tmp_path, PASSED_SQLITE, PASSED_PG, SKIPPED_PG))
    assert result.returncode != 0
    assert "skipped: tests.integration.t::test_b[postgresql]" in result.stderr


def test_a_report_without_any_postgresql_test_fails_the_run(tmp_path):
    result = _check(_report(tmp_path, PASSED_SQLITE))
    assert result.returncode != 0
    assert "no test ran on PostgreSQL" in result.stderr


def test_a_report_where_everything_ran_passes(tmp_path):
    result = _check(_report(tmp_path, PASSED_SQLITE, PASSED_PG))
    assert result.returncode == 0, result.stderr


def test_ci_run_requires_postgresql_and_checks_the_report_after_pytest():
    lines = [line.strip() for line in CI_RUN.read_text().splitlines()]
    assert "export LRS_BRIDGE_REQUIRE_POSTGRES=1" in lines
    pytest_step = next(i for i, line in enumerate(lines) if line.startswith(".venv-ci/bin/pytest"))
    assert "--junitxml" in lines[pytest_step]
    assert lines[pytest_step + 1].startswith(".venv-ci/bin/python .ci/no_skips.py")


def _run_one_postgres_test(**env: str) -> subprocess.CompletedProcess:
    """One PostgreSQL test against a server that is not there, in an environment of `env`."""
    base = {k: v for k, v in os.environ.items()
            if k not in ("CI", "LRS_BRIDGE_REQUIRE_POSTGRES")}
    wrong = "postgresql+psycopg://postgres@127.0.0.1:1/test"
    node = ("tests/integration/test_statements_store.py::"
            "test_put_stores_the_statement_under_the_given_id[postgresql]")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
        cwd=ROOT, capture_output=True, text=True,
        env={**base, "LRS_BRIDGE_TEST_POSTGRES_URL": wrong, **env})


def test_without_postgresql_its_tests_fail_when_it_is_required():
    result = _run_one_postgres_test(LRS_BRIDGE_REQUIRE_POSTGRES="1")
    assert result.returncode == 1, result.stdout
    assert "PostgreSQL is required" in result.stdout


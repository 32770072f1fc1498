"""Fail a CI run whose pytest JUnit report shows a skipped test, or no test run on PostgreSQL.

In CI every test must run: a PostgreSQL or browser test that skips (its service missing, or
the variable that forbids skipping unset) would otherwise leave the run green.

    python .ci/no_skips.py REPORT.xml
"""

import sys
import xml.etree.ElementTree as ElementTree


def problems(report: str) -> list[str]:
    """What is wrong with the run the report describes; empty when nothing is."""
    cases = list(ElementTree.parse(report).getroot().iter("testcase"))  # noqa: S314 (our report)
    skipped = [f"{case.get('classname')}::{case.get('name')}" for case in cases
               if case.find("skipped") is not None]
    found = [f"skipped: {name}" for name in skipped]
    if not any("[postgresql" in (case.get("name") or "") for case in cases):
        found.append("no test ran on PostgreSQL")
    return found


def main() -> None:
    found = problems(sys.argv[1])
    for problem in found:
        sys.stderr.write(problem + "\n")
    if found:
        sys.exit(f"{len(found)} problem(s): in CI every test must run, none may skip")
    sys.stdout.write("no test skipped; the PostgreSQL tests ran\n")


if __name__ == "__main__":
    main()

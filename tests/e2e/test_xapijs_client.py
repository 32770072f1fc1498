"""End to end: an xAPI 2.0 client, xAPI.js (npm @xapi/xapi) in Node, against a real
`lrs-bridge serve`: it stores a statement with contextAgents and contextGroups and queries it.

Needs Node and `npm ci --prefix tests/browser`; without them the test is skipped, unless
LRS_BRIDGE_REQUIRE_BROWSER=1 (as in CI), where it fails.
"""

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BROWSER = Path(__file__).parents[1] / "browser"
SCRIPT = BROWSER / "xapijs_client.cjs"
LIBRARY = BROWSER / "node_modules" / "@xapi" / "xapi"


def _node() -> str:
    node = shutil.which("node")
    if node and LIBRARY.exists():
        return node
    message = "the xAPI.js test needs node and tests/browser/node_modules/@xapi/xapi " \
              "(npm ci --prefix tests/browser)"
    if os.environ.get("LRS_BRIDGE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; LRS_BRIDGE_REQUIRE_BROWSER=1 forbids skipping")
    pytest.skip(message)


def test_xapijs_stores_and_queries_a_2_0_statement_with_context_agents(live_lrs):
    node = _node()
    tag = uuid.uuid4().hex[:8]
    instructor = {"objectType": "Agent", "mbox": f"mailto:instructor-{tag}@example.com",
                  "name": "Ines"}
    context = {
        "contextAgents": [{"objectType": "contextAgent", "agent": instructor,
                           "relevantTypes": ["https://example.com/activity-types/instructor"]}],
        "contextGroups": [{"objectType": "contextGroup", "group": {
            "objectType": "Group", "name": "Team Noord",
            "member": [{"mbox": f"mailto:piet-{tag}@example.com"}]}}],
    }
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": f"mailto:anna-{tag}@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed",
                 "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": "https://example.com/courses/first-aid"},
        "context": context,
    }
    job = {"endpoint": live_lrs["endpoint"], "key": live_lrs["key"],
           "secret": live_lrs["secret"], "statement": statement, "instructor": instructor}
    run = subprocess.run([node, str(SCRIPT), json.dumps(job)], capture_output=True, text=True,
                         timeout=60, cwd=BROWSER, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    assert answer["sent"] == [statement["id"]]
    assert answer["version_header"] == "2.0.0"
    got = answer["statement"]
    assert got["context"] == context
    assert got["version"] == "2.0.0"  # sent without one, under 2.0
    # The instructor is related to the statement, but neither its actor nor its object.
    assert answer["related"] == [statement["id"]]
    assert answer["narrow"] == []

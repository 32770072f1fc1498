"""In a browser: TinCanJS in headless Chromium stores a statement and a state document via CORS.

The test serves `page.html` and the TinCanJS build from a small HTTP server of its own, on a port
other than the LRS's, so every request the page makes to the LRS is cross-origin. Chromium runs
as a plain subprocess (no webdriver); the page POSTs its outcome as JSON to `/result`.

Needs Debian's Chromium (`apt-get install chromium`) and TinCanJS (`npm ci --prefix
tests/browser`). Without them the tests are skipped, unless LRS_BRIDGE_REQUIRE_BROWSER=1 (as
in CI), where they fail.
"""

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests

from tests.live_server import live_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
TINCANJS = HERE / "node_modules" / "tincanjs" / "build" / "tincan-min.js"
PAGE = HERE / "page.html"
RESULT_TIMEOUT = 30.0
STATE_ID = "bookmark"
STATE = {"page": 7, "answers": ["b", "c"], "note": "résumé ✓"}


@dataclass(frozen=True)
class Run:
    """What the page was asked to store, where, and what it reported back."""

    endpoint: str
    key: str
    secret: str
    page_url: str
    statement_id: str
    activity_id: str
    mbox: str
    result: dict
    server_log: Path


def _require_browser_tools() -> None:
    """Skip (or fail, with LRS_BRIDGE_REQUIRE_BROWSER=1) when Chromium or TinCanJS is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not TINCANJS.exists():
        missing.append("tests/browser/node_modules/tincanjs (npm ci --prefix tests/browser)")
    if not missing:
        return
    message = "browser test needs " + " and ".join(missing)
    if os.environ.get("LRS_BRIDGE_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; LRS_BRIDGE_REQUIRE_BROWSER=1 forbids skipping")
    pytest.skip(message)


class _Site(ThreadingHTTPServer):
    """The page's origin: serves the page and TinCanJS, and takes the page's `/result` POST."""

    daemon_threads = True
    files = {"/page.html": (PAGE, "text/html; charset=utf-8"),
             "/tincan.js": (TINCANJS, "text/javascript; charset=utf-8")}

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.result: dict | None = None
        self.arrived = threading.Event()

    @property
    def origin(self) -> str:
        """Scheme, host and port of this server."""
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self):
        """Serve one of the site's files; nothing else."""
        path = urlsplit(self.path).path
        if path not in self.server.files:
            self.send_error(404)
            return
        file, content_type = self.server.files[path]
        self._reply(200, file.read_bytes(), content_type)

    def do_POST(self):
        """Take the page's outcome."""
        if urlsplit(self.path).path != "/result":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.result = json.loads(body)
        self.server.arrived.set()
        self._reply(204, b"", "text/plain")

    def _reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Keep the test output quiet."""


def _open_in_chromium(url: str, workdir: Path, site: _Site) -> dict:
    """Load `url` in headless Chromium and return what the page POSTed to /result."""
    log = workdir / "chromium.log"
    with open(log, "w") as out:
        browser = subprocess.Popen(
            [str(CHROMIUM), "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", f"--user-data-dir={workdir / 'profile'}", url],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + RESULT_TIMEOUT
        while not site.arrived.wait(0.2):
            if browser.poll() is not None:
                pytest.fail(f"chromium exited ({browser.returncode}): {log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"no /result from the page in {RESULT_TIMEOUT:.0f} s; chromium log: "
                            f"{log.read_text()[-3000:]}")
        return site.result
    finally:
        _stop(browser)


def _stop(browser: subprocess.Popen) -> None:
    """End Chromium and the processes it started (its own process group)."""
    if browser.poll() is None:
        os.killpg(browser.pid, signal.SIGTERM)
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.wait(timeout=10)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Iterator[Run]:
    """Start the LRS and the page's site, let Chromium run the page once, keep its outcome."""
    _require_browser_tools()
    workdir = tmp_path_factory.mktemp("browser")
    site = _Site()
    serving = threading.Thread(target=site.serve_forever, daemon=True)
    serving.start()
    try:
        with live_server(workdir) as lrs:
            run_id = str(uuid.uuid4())
            asked = {"endpoint": lrs.endpoint, "key": lrs.key, "secret": lrs.secret,
                     "statementId": run_id,
                     "activityId": f"https://example.com/browser/{run_id}",
                     "mbox": f"mailto:browser-{run_id[:8]}@example.com",
                     "stateId": STATE_ID, "state": json.dumps(STATE)}
            page_url = f"{site.origin}/page.html?{urlencode(asked)}"
            result = _open_in_chromium(page_url, workdir, site)
            yield Run(lrs.endpoint, lrs.key, lrs.secret, page_url, run_id,
                      asked["activityId"], asked["mbox"], result, workdir / "server.log")
    finally:
        site.shutdown()
        site.server_close()


def _get(run: Run, resource: str, **params) -> requests.Response:
    """GET an xAPI resource of the LRS directly, outside the browser."""
    return requests.get(run.endpoint + resource, params=params, auth=(run.key, run.secret),
                        headers={"X-Experience-API-Version": "1.0.3"}, timeout=10)


def _preflight(run: Run, resource: str, method: str) -> str:
    """What the LRS answers to the browser's CORS preflight, for a failure message."""
    response = requests.options(
        run.endpoint + resource, timeout=10,
        headers={"Origin": run.result["origin"], "Access-Control-Request-Method": method,
                 "Access-Control-Request-Headers":
                     "authorization,content-type,x-experience-api-version"})
    allowed = response.headers.get("Access-Control-Allow-Origin")
    return (f"preflight {method} /xapi/{resource}: HTTP {response.status_code}, "
            f"Access-Control-Allow-Origin {allowed!r}")


def test_page_ran_without_exception(run):
    assert run.result["exception"] is None, run.result


def test_requests_were_cross_origin(run):
    page, lrs = urlsplit(run.page_url), urlsplit(run.endpoint)
    assert run.result["origin"] == f"{page.scheme}://{page.netloc}"
    assert page.port != lrs.port
    # Authorization is no CORS-safelisted header, so Chromium sent a preflight first; and it let
    # the page read the answers, which it does cross-origin only with the LRS's CORS headers.
    assert '"OPTIONS /xapi/statements' in run.server_log.read_text()
    assert run.result["statement"]["read"], run.result["statement"]


def test_statement_stored_through_cors(run):
    outcome = run.result["statement"]
    assert outcome["saved"] and outcome["read"], outcome["error"]
    assert outcome["readBack"]["id"] == run.statement_id
    assert outcome["readBack"]["actor"]["mbox"] == run.mbox
    assert outcome["readBack"]["object"]["id"] == run.activity_id

    response = _get(run, "statements", statementId=run.statement_id)
    assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["actor"]["mbox"] == run.mbox
    assert stored["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert stored["object"]["id"] == run.activity_id


def test_state_document_stored_through_cors(run):
    outcome = run.result["state"]
    assert outcome["saved"] and outcome["read"], (
        f"{outcome['error']}; {_preflight(run, 'activities/state', 'PUT')}")
    assert outcome["readBack"] == STATE
    assert outcome["contentType"].startswith("application/json")

    response = _get(run, "activities/state", activityId=run.activity_id, stateId=STATE_ID,
                    agent=json.dumps({"objectType": "Agent", "mbox": run.mbox}))
    assert response.status_code == 200, response.text
    assert response.json() == STATE

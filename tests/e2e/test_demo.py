"""End to end: `lrs-bridge demo` in a fresh home starts a server, sends its people's learning
through TinCanPython, sums it up, and serves progress with varied paths and open alerts until
Ctrl-C (SIGINT) stops it and its server cleanly."""

import queue
import re
import signal
import socket
import subprocess
import threading
import time
from collections import Counter

import pytest
import requests

from tests.live_server import CLI, free_port

pytestmark = pytest.mark.e2e

READY = "the server runs until Ctrl-C"
DEADLINE = 300.0  # seconds: the machine the tests run on may be busy


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))
    into.put(None)


def _read_until(lines: queue.Queue, text: str, process: subprocess.Popen, log) -> list[str]:
    seen, deadline = [], time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        seen.append(line)
        if line == text:
            return seen
    process.kill()
    raise AssertionError("no summary: " + "\n".join(seen) + "\n" + log.read_text())


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def demo(tmp_path):
    """A running `lrs-bridge demo --people 30`: its process, its output up to READY, its port."""
    port = free_port()
    errors = tmp_path / "stderr.txt"
    with open(errors, "w") as err:
        process = subprocess.Popen(
            [*CLI, "demo", "--people", "30", "--seed", "3", "--home", str(tmp_path / "home"),
             "--port", str(port)], stdout=subprocess.PIPE, stderr=err, text=True,
            # A shell without job control starts background jobs with SIGINT ignored, and a
            # Python started so never turns Ctrl-C into KeyboardInterrupt: give the demo
            # Ctrl-C as a terminal would, however the tests were started.
            preexec_fn=_default_sigint)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    try:
        output = _read_until(lines, READY, process, errors)
        yield process, output, port, lines
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_demo_shows_varied_progress_and_open_alerts_and_stops_on_ctrl_c(demo):
    process, output, port, lines = demo
    text = "\n".join(output)
    assert re.search(r"^people +30 \(\d+ active, ", text, re.MULTILINE), text
    assert f"dashboard    http://127.0.0.1:{port}/" in output
    key, secret = re.search(r"curl -u (\S+):(\S+) http", text).groups()
    api = requests.Session()
    api.auth = (key, secret)
    base = f"http://127.0.0.1:{port}/api/v1/"

    people = api.get(base + "learners", params={"limit": 500}, timeout=30).json()["learners"]
    assert len(people) == 30
    statuses = Counter(path["status"] for person in people for path in person["paths"])
    assert set(statuses) == {"not_started", "in_progress", "completed"}
    onboarding = [next(p for p in person["paths"] if p["id"] == "onboarding-general")
                  for person in people]
    assert len({p["progress"] for p in onboarding}) > 1
    assert 0 < sum(person["open_alerts"] > 0 for person in people) <= 30

    alerts = api.get(base + "alerts", params={"limit": 500}, timeout=30).json()["alerts"]
    kinds = Counter(alert["kind"] for alert in alerts)
    assert len(kinds) >= 3 and kinds["milestone"] > 0 and kinds["overdue"] > 0
    assert re.search(rf"^open alerts  {len(alerts)}: ", text, re.MULTILINE)

    status = api.get(base + "status", timeout=30).json()
    assert status["lag"]["statements"] == 0 and status["statements"]["stored"] > 300

    # The admin the demo printed signs in to the dashboard and sees the alerts page.
    email, password = re.search(r"^sign in as   (\S+), password (\S+)$", text,
                                re.MULTILINE).groups()
    browser = requests.Session()
    root = f"http://127.0.0.1:{port}"
    form = browser.get(root + "/dashboard/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed = browser.post(root + "/dashboard/login", timeout=30, data={
        "email": email, "password": password, "csrf_token": token})
    assert signed.status_code == 200 and signed.url == root + "/", signed.text[:300]
    page = browser.get(root + "/dashboard/alerts", timeout=30)
    assert page.status_code == 200 and "overdue" in page.text

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 0
    rest = []
    while (line := lines.get(timeout=10)) is not None:
        rest.append(line)
    assert "stopping the server" in rest
    with socket.socket() as probe:  # the server is gone with the demo
        assert probe.connect_ex(("127.0.0.1", port)) != 0

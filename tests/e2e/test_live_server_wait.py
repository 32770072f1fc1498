"""tests/live_server.py waits through a server that accepts connections but answers late.

That is gunicorn on a busy machine: the arbiter listens at once, the workers take seconds to
boot, and meanwhile a probe connects and then times out reading (ReadTimeout).
"""

import subprocess
import sys
import time

import pytest

from tests.live_server import _wait_until_up, free_port

pytestmark = pytest.mark.e2e

# Listens at once (connections queue in the backlog), answers only after STALL seconds.
SLOW_SERVER = """
import http.server, sys, time

class Healthz(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Healthz)
time.sleep(float(sys.argv[2]))
server.serve_forever()
"""
PROBE_TIMEOUT = 0.2


def _start(tmp_path, stall: float):
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-c", SLOW_SERVER, str(port), str(stall)],
                                   stdout=out, stderr=subprocess.STDOUT)
    return f"http://127.0.0.1:{port}/healthz", process, log


def test_probes_that_time_out_reading_are_retried_until_the_server_answers(tmp_path):
    stall = 4 * PROBE_TIMEOUT
    url, process, log = _start(tmp_path, stall)
    try:
        started = time.monotonic()
        _wait_until_up(url, process, log, deadline_seconds=30, probe_timeout=PROBE_TIMEOUT)
        assert time.monotonic() - started >= stall  # it did wait through the stall
    finally:
        process.kill()
        process.wait()


def test_a_server_that_never_answers_fails_at_the_deadline_with_its_log(tmp_path):
    url, process, log = _start(tmp_path, stall=60)
    try:
        with pytest.raises(RuntimeError, match="did not start within 1 s"):
            _wait_until_up(url, process, log, deadline_seconds=1, probe_timeout=PROBE_TIMEOUT)
    finally:
        process.kill()
        process.wait()

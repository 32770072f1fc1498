"""The helper that waits for a started server: a slow first answer is not a failure."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.live_server import _wait_until_up


class _Running:
    """Stands in for the server process: it never exits."""

    def poll(self):
        return None


def test_a_first_answer_slower_than_the_probe_timeout_is_waited_for(tmp_path):
    answered = []

    class SlowFirst(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            if not answered:
                time.sleep(1.5)  # a loaded machine: longer than the 1 s of one probe
            answered.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowFirst)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/healthz"
        _wait_until_up(url, _Running(), tmp_path / "log")
    finally:
        server.shutdown()
        server.server_close()
    assert len(answered) >= 2

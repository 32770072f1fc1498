"""Servers that do not answer: a port nobody listens on, and a handler that stalls until the
test is over."""

import socket
import threading

from werkzeug import Request, Response


def closed_port_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 whose port was free a moment ago: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


class Stall:
    """A pytest-httpserver handler that answers only once `release()` is called (or after
    `longest` seconds), so a client with a shorter timeout gives up first."""

    def __init__(self, longest: float = 10.0):
        self._go, self.longest = threading.Event(), longest

    def __call__(self, request: Request) -> Response:
        self._go.wait(self.longest)
        return Response("late", status=200)

    def release(self) -> None:
        self._go.set()

"""The demo's `lrs-bridge serve`: a process of its own on a free (or given) port, with its
progress worker, its output in a log file, stopped as `serve` stops on SIGTERM."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from lrs_bridge.settings import Settings

HOST = "127.0.0.1"


class ServerError(Exception):
    """The server could not be started or stopped unexpectedly; the message says why."""


def free_port() -> int:
    """A port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_taken(port: int) -> bool:
    """Whether something already listens on `port` (or it cannot be bound)."""
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def start_server(settings: Settings, port: int, log: Path) -> subprocess.Popen:
    """`lrs-bridge serve` on `settings`' database and mappings, with its progress worker.

    It runs in a session of its own, so that Ctrl-C reaches the demo only, and the demo
    stops it as it should (SIGTERM: finish the requests in hand, stop the worker).
    """
    env = {**os.environ, "LRS_BRIDGE_HOME": settings.home,
           "LRS_BRIDGE_DATABASE_URL": settings.database_url,
           "LRS_BRIDGE_MAPPINGS": settings.mappings}
    command = [sys.executable, "-m", "lrs_bridge", "serve", "--host", HOST, "--port", str(port),
               "--no-access-log", "--progress-worker"]
    with open(log, "w") as out:
        return subprocess.Popen(command, env=env, stdout=out,  # noqa: S603 - our own command
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_up(process: subprocess.Popen, port: int, log: Path, seconds: float = 120) -> None:
    """Until the server answers /healthz; ServerError when it exits or takes too long."""
    deadline = time.monotonic() + seconds
    url = f"http://{HOST}:{port}/healthz"
    while time.monotonic() < deadline:
        check_running(process, log)
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or its workers still starting
        time.sleep(0.2)
    raise ServerError(f"the server did not answer within {seconds:.0f} s; its log: {log}")


def check_running(process: subprocess.Popen, log: Path) -> None:
    """ServerError, with the end of its log, when the server has exited."""
    if process.poll() is not None:
        raise ServerError(f"the server stopped (exit status {process.returncode}); the end of "
                          f"its log ({log}):\n{tail(log)}")


def stop_server(process: subprocess.Popen, seconds: float = 30) -> None:
    """Stop the server as `serve` stops on SIGTERM; kill it if it takes longer than
    `seconds`."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tail(log: Path, lines: int = 15) -> str:
    """The last lines of the log."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"

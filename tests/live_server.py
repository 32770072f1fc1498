"""Start a real `lrs-bridge serve` process; used by the end-to-end tests and the benchmarks."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

CLI = [sys.executable, "-m", "lrs_bridge"]


@dataclass(frozen=True)
class LiveServer:
    """A running server: where it listens, a credential for it, its process."""

    endpoint: str
    key: str
    secret: str
    process: subprocess.Popen


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(env: dict, *args: str) -> str:
    """Run `lrs-bridge ARGS` and return its standard output."""
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True,
                          check=True).stdout


@contextmanager
def live_server(workdir: Path, *, workers: int = 2, threads: int = 2,
                database_url: str | None = None, access_log: bool = True,
                extra_env: dict[str, str] | None = None, extra_args: tuple[str, ...] = ()):
    """A server on `database_url` (default: a fresh SQLite file in `workdir`), stopped on exit."""
    env = {**os.environ,
           "LRS_BRIDGE_DATABASE_URL": database_url or f"sqlite:///{workdir / 'lrs.db'}",
           # else `serve` keeps a new session key in the folder the tests run from
           "LRS_BRIDGE_SESSION_KEY": f"live-server-session-key-{uuid.uuid4().hex}",
           **(extra_env or {})}
    name = f"live-{uuid.uuid4().hex[:8]}"
    creds = json.loads(run_cli(env, "credentials", "add", name, "--scope", "all", "--json"))
    port = free_port()
    log = workdir / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(port), "--workers", str(workers),
             "--threads", str(threads),
             "--access-log" if access_log else "--no-access-log", *extra_args],
            env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", process, log)
        yield LiveServer(f"http://127.0.0.1:{port}/xapi/", creds["key"], creds["secret"],
                         process)
    finally:
        process.terminate()
        process.wait(timeout=15)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, *,
                   deadline_seconds: float = 60, probe_timeout: float = 1) -> None:
    """Poll `url` until it answers 200; the process dying or the deadline passing is an error."""
    # Generous: on a loaded machine gunicorn's workers take many seconds to boot, and while they
    # do a probe may connect and then time out reading (ReadTimeout), or get a 5xx; all of
    # that means "not up yet", not "broken".
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if requests.get(url, timeout=probe_timeout).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start within {deadline_seconds} s: {log.read_text()}")

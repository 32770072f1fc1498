"""Every process of a real multi-worker `lrs-bridge serve` uses the same, last good mapping."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from lrs_bridge.mapping_files.holder import content_version
from tests.live_server import CLI, free_port, live_server

pytestmark = pytest.mark.e2e

MINIMAL = Path(__file__).parents[1] / "fixtures" / "mappings" / "minimal"
WORKERS = 3
# More requests than workers, each on a new connection, so that every worker answers some.
ASKS = 24


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    target = tmp_path / "mappings"
    shutil.copytree(MINIMAL, target)
    monkeypatch.setenv("LRS_BRIDGE_MAPPINGS", str(target))
    return target


def _versions(server) -> list[dict]:
    """What GET /api/v1/mappings says, asked ASKS times on fresh connections."""
    url = server.endpoint.replace("/xapi/", "/api/v1/mappings")
    answers = []
    for _ in range(ASKS):
        response = requests.get(url, auth=(server.key, server.secret), timeout=10,
                                headers={"Connection": "close"})
        assert response.status_code == 200, response.text
        body = response.json()
        answers.append({"version": body["version"],
                        "refused": body["refused"] and body["refused"]["version"]})
    return answers


def _workers(process: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
    return [int(pid) for pid in children.split()]


def _master_said(server, workdir: Path, words: str) -> bool:
    """Whether the gunicorn master (the serve process itself) logged `words`."""
    master = f"[{server.process.pid}]"
    return any(master in line and words in line
               for line in (workdir / "server.log").read_text().splitlines())


def _wait_for(predicate, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def test_every_worker_reports_the_content_hash_of_the_files(folder, tmp_path):
    expected = content_version(folder)
    with live_server(tmp_path, workers=WORKERS) as server:
        assert _versions(server) == [{"version": expected, "refused": None}] * ASKS
    os.utime(folder / "skills.yaml")  # touched, not changed: the same version after a restart
    with live_server(tmp_path, workers=WORKERS) as server:
        assert {a["version"] for a in _versions(server)} == {expected}


def test_a_folder_broken_before_the_first_request_keeps_the_mapping_checked_at_start(
        folder, tmp_path):
    good = content_version(folder)
    with live_server(tmp_path, workers=WORKERS) as server:
        with open(folder / "paths.yaml", "a") as out:
            out.write("garbage: [\n")
        broken = content_version(folder)
        time.sleep(2.5)  # past the holders' next look at the files
        assert _versions(server) == [{"version": good, "refused": broken}] * ASKS


def test_a_worker_started_after_changes_uses_the_newest_good_mapping(folder, tmp_path):
    with live_server(tmp_path, workers=WORKERS) as server:
        skills = folder / "skills.yaml"
        skills.write_text(skills.read_text().replace("CRM use", "CRM basics"))
        newer = content_version(folder)
        assert _wait_for(lambda: {a["version"] for a in _versions(server)} == {newer})
        assert _wait_for(lambda: _master_said(server, tmp_path, f"(version {newer})"))
        skills.write_text("skills: [\n")
        broken = content_version(folder)
        assert _wait_for(lambda: _master_said(server, tmp_path, f"(keeping version {newer})"))
        killed = set(_workers(server.process))
        for pid in killed:  # gunicorn forks new workers from its master process
            os.kill(pid, signal.SIGKILL)
        assert _wait_for(lambda: len(set(_workers(server.process)) - killed) == WORKERS)
        assert _versions(server) == [{"version": newer, "refused": broken}] * ASKS


def test_a_broken_folder_stops_serve_before_it_listens(folder, tmp_path):
    (folder / "roles.yaml").write_text("roles:\n  - id: agent\n    name: oops\n")
    port = free_port()
    env = {**os.environ, "LRS_BRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.db'}"}
    done = subprocess.run([*CLI, "serve", "--port", str(port), "--workers", "2"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: the mappings in {folder} have 1 problem; fix them first "
        f"(`lrs-bridge mappings check {folder}`):",
        f"{folder}/roles.yaml:3: roles[agent].name: must be a text in English and Dutch: "
        "{en: ..., nl: ...}"]
    assert "Traceback" not in done.stderr
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)


def test_two_servers_keep_out_of_each_others_control_socket(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with live_server(tmp_path / "a") as first, live_server(tmp_path / "b") as second:
        for server in (first, second):
            assert requests.get(server.endpoint + "about", timeout=10,
                                headers={"X-Experience-API-Version": "1.0.3"}).ok
        assert not (tmp_path / ".gunicorn").exists()

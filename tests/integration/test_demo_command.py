"""`lrs-bridge demo` refuses before it starts anything: a database that already holds
statements (on SQLite and PostgreSQL), a port in use, a home that cannot be a folder."""

import json
import socket

from click.testing import CliRunner

from lrs_bridge.cli import main
from lrs_bridge.store.tables import learners

STATEMENT = {"actor": {"mbox": "mailto:anna@example.nl"},
             "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
             "object": {"id": "https://example.nl/modules/privacy"}}


def run(env: dict, *args: str):
    result = CliRunner().invoke(main, ["demo", *args], env=env)
    assert "Traceback" not in result.output
    return result


def test_a_database_with_statements_is_refused_and_nothing_is_done(database_url, xapi, services,
                                                                    tmp_path):
    assert xapi.post("/xapi/statements", data=json.dumps(STATEMENT),
                     content_type="application/json").status_code == 200
    mappings = tmp_path / "not-yet"
    result = run({"LRS_BRIDGE_DATABASE_URL": database_url, "LRS_BRIDGE_MAPPINGS": str(mappings),
                  "LRS_BRIDGE_HOME": str(tmp_path)})
    assert result.exit_code == 1
    assert "already holds 1 statement; the demo wants an empty one. Run it in a fresh folder " \
           "(`lrs-bridge demo --home DIR`), or add --force" in result.output
    assert not mappings.exists() and not (tmp_path / "demo-roster.csv").exists()
    with services.engine.connect() as conn:
        assert conn.execute(learners.select()).first() is None


def test_a_port_in_use_is_refused_naming_the_option(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run({}, "--home", str(tmp_path / "home"), "--port", str(port))
    assert result.exit_code == 2
    assert f"--port: port {port} is in use; choose another, or leave --port out" in \
        result.output.replace("'", "")
    assert not (tmp_path / "home" / "lrs-bridge.db").exists()


def test_a_home_that_is_a_file_is_refused(tmp_path):
    home = tmp_path / "a-file"
    home.write_text("")
    result = run({}, "--home", str(home))
    assert result.exit_code == 2 and "--home" in result.output

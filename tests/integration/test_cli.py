"""The lrs-bridge command: database set-up and credentials."""

import json
import re
from dataclasses import fields
from importlib.metadata import version

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select

from lrs_bridge.cli import main
from lrs_bridge.cli_support import describe
from lrs_bridge.settings import Settings
from lrs_bridge.store.migrate import head_revision
from lrs_bridge.store.tables import credentials
from tests.integration.conftest import XAPIClient


@pytest.fixture
def cli(database_url, services):
    runner = CliRunner()

    def run(*args, expect=0):
        """The command's standard output; its standard error must name the database."""
        result = runner.invoke(main, list(args), env={"LRS_BRIDGE_DATABASE_URL": database_url,
                                                      "LRS_BRIDGE_SECRET_HASH_METHOD":
                                                          "pbkdf2:sha256:1000"})
        assert result.exit_code == expect, result.output
        if expect != 2:  # a usage error never gets as far as the database
            assert result.stderr.startswith(f"lrs-bridge: database {describe(database_url)}\n")
        return result.stdout if expect == 0 else result.output

    return run


def test_db_upgrade_is_idempotent(cli):
    head = head_revision(create_engine("sqlite://"))
    assert cli("db", "upgrade") == f"the schema is up to date (revision {head})\n"
    assert "up to date" in cli("db", "upgrade")


def test_credentials_add_prints_json_and_stores_only_a_hash(cli, services):
    out = json.loads(cli("credentials", "add", "storyline", "--scope", "statements/write",
                         "--scope", "state", "--json"))
    assert out["key"] and len(out["secret"]) >= 30
    with services.engine.connect() as conn:
        row = conn.execute(select(credentials).where(credentials.c.name == "storyline")).one()
    assert out["secret"] not in row.secret_hash
    assert row.scopes == "statements/write state"


def test_credentials_add_with_given_key_and_secret(cli, make_xapi):
    out = json.loads(cli("credentials", "add", "rise", "--scope", "all", "--key", "rise-key",
                         "--secret", "a-long-enough-secret", "--json"))
    assert out == {"key": "rise-key", "secret": "a-long-enough-secret"}


def test_credentials_add_refuses_an_unknown_scope(cli):
    out = cli("credentials", "add", "x", "--scope", "statements/delete", expect=2)
    assert "statements/delete" in out


def test_credentials_add_refuses_a_duplicate_name(cli):
    cli("credentials", "add", "twice", "--scope", "all")
    assert "exists" in cli("credentials", "add", "twice", "--scope", "all", expect=1)


def test_credentials_list_shows_no_secrets_and_revoke_marks_them(cli):
    made = json.loads(cli("credentials", "add", "h5p", "--scope", "all", "--json"))
    listed = cli("credentials", "list")
    assert "h5p" in listed and made["key"] in listed and made["secret"] not in listed
    assert "active" in listed
    cli("credentials", "revoke", "h5p")
    assert "revoked" in cli("credentials", "list")
    assert "no active credential" in cli("credentials", "revoke", "h5p", expect=1)


def test_the_printed_key_and_secret_open_the_xapi_until_revoked(cli, app):
    out = cli("credentials", "add", "storyline", "--scope", "statements/read")
    key = re.search(r"^key: +(\S+)$", out, re.MULTILINE)[1]
    secret = re.search(r"^secret: +(\S+)$", out, re.MULTILINE)[1]
    client = app.test_client()
    assert XAPIClient(client, key, secret).get("/xapi/statements").status_code == 200
    assert XAPIClient(client, key, secret + "x").get("/xapi/statements").status_code == 401
    cli("credentials", "revoke", "storyline")
    assert XAPIClient(client, key, secret).get("/xapi/statements").status_code == 401


# --- help and version ----------------------------------------------------------------------------

def test_version_comes_from_the_installed_distribution():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output == f"lrs-bridge, version {version('lrs-bridge')}\n"


@pytest.mark.parametrize("group", [[], ["db"], ["credentials"], ["mappings"], ["connector"],
                                   ["outbox"]])
def test_help_lists_commands_without_cutting_them_off(group):
    result = CliRunner().invoke(main, [*group, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    listing = result.output.split("Commands:")[1]
    assert "..." not in listing


def test_serve_help_names_the_environment_variables_it_reads():
    result = CliRunner().invoke(main, ["serve", "--help"], terminal_width=80)
    text = " ".join(result.output.split())  # as if never wrapped
    for field in fields(Settings):
        assert f"LRS_BRIDGE_{field.name.upper()}" in text

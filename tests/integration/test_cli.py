"""The lrs-bridge command: database set-up and credentials."""

import json
import uuid

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lrs_bridge.cli import main
from lrs_bridge.store.tables import credentials
from tests.integration.conftest import POSTGRES_URL


@pytest.fixture
def cli(database_url, services):
    runner = CliRunner()

    def run(*args, expect=0):
        result = runner.invoke(main, list(args), env={"LRS_BRIDGE_DATABASE_URL": database_url,
                                                      "LRS_BRIDGE_SECRET_HASH_METHOD":
                                                          "pbkdf2:sha256:1000"})
        assert result.exit_code == expect, result.output
        return result.output

    return run


def test_db_upgrade_is_idempotent(cli):
    assert "up to date" in cli("db", "upgrade")
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


def test_commands_on_an_unmigrated_postgresql_say_to_run_db_upgrade(postgres_schema):
    schema = f"lrs_empty_{uuid.uuid4().hex[:8]}"
    plain = POSTGRES_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        sep = "&" if "?" in POSTGRES_URL else "?"
        url = f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
        result = CliRunner().invoke(main, ["credentials", "list"],
                                    env={"LRS_BRIDGE_DATABASE_URL": url})
        assert result.exit_code == 1
        assert "lrs-bridge db upgrade" in result.output
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_commands_on_an_unreachable_database_fail_clearly():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = CliRunner().invoke(main, ["credentials", "list"],
                                env={"LRS_BRIDGE_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "cannot reach the database" in result.output
    assert "Traceback" not in result.output

"""lrs-bridge users add|list|remove|password on SQLite and PostgreSQL: passwords asked twice
or read from a variable, never shown, stored hashed; clear errors naming what is wrong."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from werkzeug.security import check_password_hash

from lrs_bridge.cli import main
from lrs_bridge.store.tables import dashboard_users

PASSWORD = "correct-horse-battery"


@pytest.fixture
def users_cli(database_url, services):
    """`run(*args, input=None, env=None, expect=0)`: the command's output (stdout + stderr)."""

    def run(*args, input=None, env=None, expect=0):
        result = CliRunner().invoke(main, ["users", *args], input=input, env={
            "LRS_BRIDGE_DATABASE_URL": database_url,
            "LRS_BRIDGE_SECRET_HASH_METHOD": "pbkdf2:sha256:1000", **(env or {})})
        assert result.exit_code == expect, result.output
        return result.output

    return run


def _row(services, email):
    with services.engine.connect() as conn:
        return conn.execute(select(dashboard_users).where(
            dashboard_users.c.email == email)).first()


def test_add_asks_for_the_password_twice_and_never_shows_it(users_cli, services):
    out = users_cli("add", "Lotte@Noordwind.nl", "--role", "ld", "--name", "Lotte",
                    input=f"{PASSWORD}\n{PASSWORD}\n")
    assert "added lotte@noordwind.nl (ld, tenant default)" in out
    assert PASSWORD not in out
    row = _row(services, "lotte@noordwind.nl")
    assert row.role == "ld" and row.name == "Lotte"
    assert PASSWORD not in row.password_hash
    assert check_password_hash(row.password_hash, PASSWORD)


def test_add_refuses_two_different_passwords(users_cli, services):
    out = users_cli("add", "a@noordwind.nl", "--role", "admin",
                    input=f"{PASSWORD}\nsomething-else-entirely\n{PASSWORD}\n{PASSWORD}\n")
    assert "Error: The two entered values do not match." in out
    assert _row(services, "a@noordwind.nl") is not None


def test_add_reads_the_password_from_a_variable(users_cli, services):
    out = users_cli("add", "boss@noordwind.nl", "--role", "manager", "--password-env",
                    "BOSS_PW", env={"BOSS_PW": PASSWORD})
    assert PASSWORD not in out
    assert check_password_hash(_row(services, "boss@noordwind.nl").password_hash, PASSWORD)
    out = users_cli("add", "x@noordwind.nl", "--role", "manager", "--password-env", "UNSET_PW",
                    expect=1)
    assert "--password-env: the environment variable UNSET_PW is not set or empty" in out


def test_add_refuses_bad_input_naming_it(users_cli):
    env = {"PW": PASSWORD}
    assert "Invalid value for '--role'" in users_cli(
        "add", "a@b.nl", "--role", "boss", "--password-env", "PW", env=env, expect=2)
    assert "'not-an-address' is not an e-mail address" in users_cli(
        "add", "not-an-address", "--role", "ld", "--password-env", "PW", env=env, expect=1)
    assert "at least 10 characters" in users_cli(
        "add", "a@b.nl", "--role", "ld", "--password-env", "SHORT", env={"SHORT": "short"},
        expect=1)
    assert "--tenant: no tenant 'acme' (there are: default)" in users_cli(
        "add", "a@b.nl", "--role", "ld", "--tenant", "acme", "--password-env", "PW", env=env,
        expect=1)
    users_cli("add", "a@b.nl", "--role", "ld", "--password-env", "PW", env=env)
    assert "a dashboard user a@b.nl exists" in users_cli(
        "add", "A@b.nl", "--role", "admin", "--password-env", "PW", env=env, expect=1)


def test_list_shows_users_without_their_passwords(users_cli, services):
    assert "no dashboard users yet" in users_cli("list")
    users_cli("add", "lead@noordwind.nl", "--role", "manager", "--name", "Lars",
              "--password-env", "PW", env={"PW": PASSWORD})
    out = users_cli("list")
    assert "lead@noordwind.nl\tname=Lars\trole=manager\ttenant=default\tadded " in out
    assert PASSWORD not in out and "pbkdf2" not in out


def test_remove_and_password_name_an_unknown_user(users_cli, services):
    env = {"PW": PASSWORD, "NEW": "a-new-long-password"}
    users_cli("add", "lead@noordwind.nl", "--role", "manager", "--password-env", "PW", env=env)
    assert "changed the password of lead@noordwind.nl" in users_cli(
        "password", "LEAD@noordwind.nl", "--password-env", "NEW", env=env)
    assert check_password_hash(_row(services, "lead@noordwind.nl").password_hash,
                               "a-new-long-password")
    assert "removed lead@noordwind.nl" in users_cli("remove", "lead@noordwind.nl")
    assert _row(services, "lead@noordwind.nl") is None
    assert "no dashboard user lead@noordwind.nl" in users_cli(
        "remove", "lead@noordwind.nl", expect=1)
    assert "no dashboard user nobody@noordwind.nl" in users_cli(
        "password", "nobody@noordwind.nl", "--password-env", "NEW", env=env, expect=1)

"""Which database the commands open, and what they say when they cannot open it."""

import sqlite3
import sys
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from lrs_bridge.cli import main
from lrs_bridge.store.migrate import head_revision, upgrade
from tests.integration.conftest import POSTGRES_URL

# The newest revision of this version: what a new or upgraded schema ends at.
HEAD = head_revision(create_engine("sqlite://"))

PLAIN = POSTGRES_URL.replace("+psycopg", "")


def run(*args, **env):
    """Run the command with LRS_BRIDGE_<NAME> variables from `env`."""
    return CliRunner().invoke(main, list(args), env={
        "LRS_BRIDGE_SECRET_HASH_METHOD": "pbkdf2:sha256:1000",
        **{f"LRS_BRIDGE_{name.upper()}": value for name, value in env.items()}})


def fails_with(result, message: str) -> None:
    """The command failed with exit status 1 and one line of error naming `message`."""
    assert isinstance(result.exception, SystemExit), result.exception  # not a crash
    assert result.exit_code == 1, result.output
    error = [line for line in result.output.splitlines() if not line.startswith("lrs-bridge: ")]
    assert len(error) == 1, result.output
    assert message in error[0], result.output


@contextmanager
def fresh_postgres_schema():
    """The URL of an empty schema of the test PostgreSQL: a database never migrated."""
    schema = f"lrs_empty_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PLAIN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PLAIN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


# --- which database ------------------------------------------------------------------------------

def test_every_command_says_which_database_it_opens(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("credentials", "list", database_url="sqlite:///relative.db")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"lrs-bridge: database {tmp_path / 'relative.db'} (new: creating it)\n"
    result = run("credentials", "list", database_url="sqlite:///relative.db")
    assert result.stderr == f"lrs-bridge: database {tmp_path / 'relative.db'}\n"


def test_commands_run_anywhere_agree_on_the_database_in_lrs_bridge_home(tmp_path, monkeypatch):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(home)
    assert run("credentials", "add", "rise", "--scope", "all", home=str(home)).exit_code == 0
    monkeypatch.chdir(elsewhere)
    listed = run("credentials", "list", home=str(home))
    assert "rise" in listed.stdout
    assert listed.stderr == f"lrs-bridge: database {home / 'lrs-bridge.db'}\n"
    assert not (elsewhere / "lrs-bridge.db").exists()


def test_serve_names_the_database_file_in_its_banner(tmp_path, monkeypatch):
    import lrs_bridge.server

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(lrs_bridge.server, "serve", lambda *args, **kwargs: None)
    result = run("serve", database_url="sqlite:///served.db")
    assert result.exit_code == 0, result.output
    assert f"lrs-bridge on http://127.0.0.1:8080/xapi/ using {tmp_path / 'served.db'}\n" \
        in result.stdout


# --- what cannot be opened -----------------------------------------------------------------------

@pytest.mark.parametrize("command", [["db", "upgrade"], ["credentials", "list"]])
def test_a_postgresql_database_that_does_not_exist(postgres_schema, command):
    name = f"lrs_nosuchdb_{uuid.uuid4().hex[:8]}"
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    fails_with(run(*command, database_url=url),
               f'cannot open the database {url}: database "{name}" does not exist '
               f'(create it, or set LRS_BRIDGE_DATABASE_URL)')


def test_an_unreachable_database_server():
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    fails_with(run("credentials", "list", database_url=url),
               f"cannot open the database {url}: Connection refused (is the database server "
               f"running there? or set LRS_BRIDGE_DATABASE_URL)")


def test_a_password_is_never_shown():
    url = "postgresql+psycopg://nobody:hunter2@127.0.0.1:1/none?connect_timeout=2"
    result = run("credentials", "list", database_url=url)
    fails_with(result, "cannot open the database postgresql+psycopg://nobody:***@127.0.0.1:1")
    assert "hunter2" not in result.output


@pytest.mark.parametrize("command", [["db", "upgrade"], ["credentials", "add", "x", "--scope",
                                                          "all"]])
def test_a_sqlite_file_in_a_missing_folder(tmp_path, command):
    url = f"sqlite:///{tmp_path}/missing/lrs.db"
    fails_with(run(*command, database_url=url),
               f"cannot open the database {tmp_path}/missing/lrs.db: the folder "
               f"{tmp_path}/missing does not exist")


@pytest.mark.parametrize("url, message", [
    ("mysql://lrs@localhost/lrs", "the database mysql://lrs@localhost/lrs is a mysql database, "
                                  "which lrs-bridge does not support; supported: sqlite, "
                                  "postgresql+psycopg"),
    ("oracle+cx_oracle://a@b/c", "supported: sqlite, postgresql+psycopg"),
    ("not a url", "LRS_BRIDGE_DATABASE_URL 'not a url' is not a database URL; supported: "
                  "sqlite, postgresql+psycopg"),
])
def test_an_unsupported_database_url(url, message):
    fails_with(run("db", "upgrade", database_url=url), message)


def test_postgresql_without_its_driver_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    fails_with(run("credentials", "list", database_url="postgresql+psycopg://u@127.0.0.1/db"),
               "needs the PostgreSQL driver psycopg")
    fails_with(run("db", "upgrade", database_url="postgresql+psycopg://u@127.0.0.1/db"),
               "pip install 'lrs-bridge[postgres]'")


# --- the schema ----------------------------------------------------------------------------------

def test_a_fresh_postgresql_database_asks_for_db_upgrade_which_creates_the_schema(
        postgres_schema):
    with fresh_postgres_schema() as url:
        fails_with(run("credentials", "list", database_url=url),
                   "has no lrs-bridge schema yet: run `lrs-bridge db upgrade`")
        created = run("db", "upgrade", database_url=url)
        assert created.stdout == f"created the lrs-bridge schema (revision {HEAD})\n"
        again = run("db", "upgrade", database_url=url)
        assert again.stdout == f"the schema is up to date (revision {HEAD})\n"
        assert run("credentials", "list", database_url=url).exit_code == 0


def test_an_older_postgresql_schema_is_migrated_by_db_upgrade(postgres_schema):
    with fresh_postgres_schema() as url:
        engine = create_engine(url)
        upgrade(engine, "0001")
        engine.dispose()
        fails_with(run("credentials", "list", database_url=url),
                   f"has schema 0001, this version of lrs-bridge needs {HEAD}: run "
                   "`lrs-bridge db upgrade`")
        migrated = run("db", "upgrade", database_url=url)
        assert migrated.stdout == f"migrated the schema from revision 0001 to {HEAD}\n"


@pytest.mark.parametrize("command", [["db", "upgrade"], ["credentials", "list"]])
def test_a_schema_from_a_newer_version_is_refused_not_migrated(tmp_path, command):
    url = f"sqlite:///{tmp_path}/lrs.db"
    assert run("db", "upgrade", database_url=url).exit_code == 0
    with sqlite3.connect(tmp_path / "lrs.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    fails_with(run(*command, database_url=url),
               f"the database {tmp_path}/lrs.db has schema 0099, which this version of "
               f"lrs-bridge does not know (a newer version made it): upgrade lrs-bridge")

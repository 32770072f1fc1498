"""Settings: the data folder, and database and mappings paths that mean one place."""

import pytest

from lrs_bridge.settings import Settings


def test_without_a_home_the_data_lives_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.home == str(tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path}/lrs-bridge.db"
    assert settings.mappings == str(tmp_path / "mappings")


def test_the_home_holds_the_default_database_and_mappings(tmp_path, monkeypatch):
    monkeypatch.chdir("/")
    settings = Settings.from_env({"LRS_BRIDGE_HOME": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/lrs-bridge.db"
    assert settings.mappings == str(tmp_path / "mappings")


def test_a_home_under_the_users_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Settings(home="~/lrs").database_url == f"sqlite:///{tmp_path}/lrs/lrs-bridge.db"


def test_an_explicit_database_and_mappings_win_over_the_home(tmp_path):
    settings = Settings.from_env({"LRS_BRIDGE_HOME": str(tmp_path),
                                  "LRS_BRIDGE_DATABASE_URL": "postgresql+psycopg://u@h/lrs",
                                  "LRS_BRIDGE_MAPPINGS": "/srv/mappings"})
    assert settings.database_url == "postgresql+psycopg://u@h/lrs"
    assert settings.mappings == "/srv/mappings"


def test_overrides_count_as_much_as_the_environment(tmp_path):
    settings = Settings.from_env({"LRS_BRIDGE_HOME": "/nowhere"}, home=str(tmp_path))
    assert settings.database_url == f"sqlite:///{tmp_path}/lrs-bridge.db"


@pytest.mark.parametrize("url, expected", [
    ("sqlite:///data/lrs.db", "sqlite:///{cwd}/data/lrs.db"),
    ("sqlite+pysqlite:///lrs.db?timeout=5", "sqlite+pysqlite:///{cwd}/lrs.db?timeout=5"),
    ("sqlite:////srv/lrs.db", "sqlite:////srv/lrs.db"),
    ("sqlite://", "sqlite://"),
    ("sqlite:///:memory:", "sqlite:///:memory:"),
    ("postgresql+psycopg://u@h/lrs", "postgresql+psycopg://u@h/lrs"),
    ("sqlite:no slashes", "sqlite:no slashes"),  # the command that opens it complains
])
def test_a_relative_sqlite_path_is_made_absolute_once(tmp_path, monkeypatch, url, expected):
    monkeypatch.chdir(tmp_path)
    assert Settings(database_url=url).database_url == expected.format(cwd=tmp_path)


def test_a_relative_mappings_folder_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Settings(mappings="content/mappings").mappings == str(tmp_path / "content/mappings")

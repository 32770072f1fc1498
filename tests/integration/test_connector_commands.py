"""`lrs-bridge connector add` refuses bad input with a sentence and writes nothing."""

import pytest

from tests.integration.progress_helpers import command_line


@pytest.fixture
def cli(database_url, services):
    return command_line(database_url)


@pytest.mark.parametrize(("args", "env", "said"), [
    (("moodel", "lms", "--url", "https://lms.example", "--token-env", "T"), {},
     "no connector of kind 'moodel' is installed (installed: canvas, moodle, webhook)"),
    (("moodle", "lms", "--url", "https://lms.example", "--token-env", "T", "--option", "x=1"),
     {}, "'x' is not an option of this connector (its options: account_field"),
    (("moodle", "lms", "--url", "https://lms.example", "--token-env", "T", "--option", "x"),
     {}, "'x' is not k=v"),
    (("moodle", "lms", "--url", "https://lms.example", "--token-env", "T", "--store-token"),
     {"T": "secret-token"}, "LRS_BRIDGE_SECRET_KEY is not set"),
    (("moodle", "lms", "--url", "https://lms.example", "--token-env", "UNSET_T",
      "--store-token"), {}, "the environment variable UNSET_T is not set"),
])
def test_a_bad_connector_is_refused_and_nothing_is_stored(cli, monkeypatch, args, env, said):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("LRS_BRIDGE_SECRET_KEY", raising=False)
    out = cli("connector", "add", *args, expect=2 if "--option" in args else 1)
    assert said in out and "secret-token" not in out
    assert "no connectors" in cli("connector", "list")


def test_a_stored_token_is_never_shown_and_a_name_is_taken_once(cli, monkeypatch):
    monkeypatch.setenv("T", "secret-token")
    monkeypatch.setenv("LRS_BRIDGE_SECRET_KEY", cli("connector", "key").strip())
    out = cli("connector", "add", "webhook", "hook", "--url", "https://hooks.example/in",
              "--token-env", "T", "--store-token")
    assert "connector hook (webhook) added for tenant default" in out
    listed = cli("connector", "list")
    assert "token stored encrypted" in listed and "secret-token" not in listed
    assert "a connector called 'hook' exists already" in cli(
        "connector", "add", "webhook", "hook", "--url", "https://x.example", "--token-env",
        "T", expect=1)
    assert "no connector called 'nope'" in cli("connector", "remove", "nope", expect=1)

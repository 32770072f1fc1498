"""`mappings explain` and `mappings untagged` in detail: trusted skill tags, step verdicts,
arrays of statements, narrow terminals, --since and --limit."""

import json
import time
import uuid

import pytest

from lrs_bridge.journey.matching import SKILL_TAG
from tests.integration import test_mappings_commands as commands
from tests.integration.conftest import XAPIClient
from tests.integration.statements_helpers import make_statement

# The fixtures of the `mappings` commands: a copy of the minimal mapping, and the CLI on it.
folder, cli = commands.folder, commands.cli
PRIVACY = commands.PRIVACY

DAY_ONE = "https://hr.example.nl/touchpoints/first-working-day"


def _tagged(*tags: str, **extra) -> dict:
    return make_statement(activity=DAY_ONE, context={"contextActivities": {
        "category": [{"id": SKILL_TAG + tag} for tag in tags]}}, **extra)


def _content(cli, app, *flags) -> XAPIClient:
    """An xAPI client whose credential is made by `credentials add` with `flags`."""
    name = f"lms-{uuid.uuid4().hex[:8]}"
    made = json.loads(cli("credentials", "add", name, "--scope", "statements/write", *flags,
                          "--json", stdout_only=True))
    return XAPIClient(app.test_client(), made["key"], made["secret"])


def test_credentials_list_shows_who_is_trusted_with_skill_tags(cli):
    cli("credentials", "add", "hr-tool", "--scope", "statements/write", "--trust-skill-tags")
    cli("credentials", "add", "storyline", "--scope", "statements/write")
    listed = cli("credentials", "list").splitlines()
    assert "\ttrust-skill-tags=yes\t" in next(line for line in listed if "hr-tool" in line)
    assert "\ttrust-skill-tags=no\t" in next(line for line in listed if "storyline" in line)


def test_explain_counts_a_self_tagged_level_only_from_a_trusted_credential(cli, app):
    trusted, untrusted = _content(cli, app, "--trust-skill-tags"), _content(cli, app)
    from_trusted, from_untrusted = _tagged("crm/levels/3"), _tagged("crm/levels/3")
    assert trusted.post("/xapi/statements", json=from_trusted).status_code == 200
    assert untrusted.post("/xapi/statements", json=from_untrusted).status_code == 200

    counted = cli("mappings", "explain", from_trusted["id"])
    assert "skill:    gives crm level 1: self-tag of level 3, capped at 1 because that is the " \
        "highest level the mapping's modules give crm" in counted
    assert "which is trusted with skill tags" in counted
    ignored = cli("mappings", "explain", from_untrusted["id"])
    assert "skill:    does not give crm level 3: self-tag ignored: the statement is not from " \
        "a credential trusted with skill tags" in ignored
    assert "which is not trusted with skill tags" in ignored


def test_trust_can_be_given_and_taken_back_after_the_credential_was_made(cli, app):
    name = f"lms-{uuid.uuid4().hex[:8]}"
    made = json.loads(cli("credentials", "add", name, "--scope", "statements/write", "--json",
                          stdout_only=True))
    content = XAPIClient(app.test_client(), made["key"], made["secret"])
    statement = _tagged("crm/levels/1")
    assert content.post("/xapi/statements", json=statement).status_code == 200
    assert "self-tag ignored" in cli("mappings", "explain", statement["id"])

    assert cli("credentials", "trust", name, stdout_only=True) == (
        f"{name}: trust-skill-tags=yes (its statements, earlier ones included, are read so "
        "from now on)\n")
    assert "skill:    gives crm level 1: self-tag from a trusted credential" in \
        cli("mappings", "explain", statement["id"])
    cli("credentials", "trust", name, "--no-skill-tags")
    assert "self-tag ignored" in cli("mappings", "explain", statement["id"])
    assert "no credential named 'nobody'" in cli("credentials", "trust", "nobody", expect=1)


def test_explain_reads_a_file_as_untrusted_unless_told(cli, tmp_path):
    path = tmp_path / "day-one.json"
    path.write_text(json.dumps(_tagged("privacy/levels/2", "crm-systems/levels/3")))
    plain = cli("mappings", "explain", str(path))
    assert "does not give privacy level 2: self-tag ignored" in plain
    assert "trust:    from a JSON file, not trusted unless --trusted is given" in plain
    trusted = cli("mappings", "explain", "--trusted", str(path))
    assert "skill:    gives privacy level 2: self-tag from a trusted credential" in trusted
    assert "does not give crm-systems level 3: self-tag ignored: the mapping has no skill " \
        "'crm-systems'" in trusted


def test_explain_refuses_trusted_for_a_stored_statement(cli, xapi):
    statement = _tagged("crm/levels/1")
    xapi.post("/xapi/statements", json=statement)
    out = cli("mappings", "explain", "--trusted", statement["id"], expect=2)
    assert "--trusted is for JSON files" in out


def test_explain_says_whether_the_statement_satisfies_the_step(cli, xapi):
    failure = make_statement(activity=PRIVACY, verb="failed")
    completion = make_statement(activity=PRIVACY, verb="completed")
    xapi.post("/xapi/statements", json=[failure, completion])
    assert "path:     onboarding, step 2 (needs passed): not satisfied — the statement shows " \
        "a failure" in cli("mappings", "explain", failure["id"])
    assert "step 2 (needs passed): not satisfied — the statement shows a completion, not a " \
        "pass" in cli("mappings", "explain", completion["id"])


def test_explain_numbers_each_statement_of_an_array(cli, tmp_path):
    statements = [make_statement(activity=PRIVACY, verb="passed"),
                  make_statement(activity="https://example.com/elsewhere")]
    path = tmp_path / "two.json"
    path.write_text(json.dumps(statements))
    out = cli("mappings", "explain", str(path))
    first, second = out.split("\n\n")
    assert first.startswith(f"statement 1 of 2: {statements[0]['id']}\n")
    assert "step 2 (needs passed): satisfied — the statement shows a pass" in first
    assert second.startswith(f"statement 2 of 2: {statements[1]['id']}\n")
    assert "module:   none" in second


@pytest.mark.parametrize("content, message", [
    ("42", "holds a number, not a statement (a JSON object) or an array of statements"),
    ('"hello"', "holds a string, not a statement"),
    ("null", "holds null, not a statement"),
    ("[]", "the array holds no statements"),
    ('[{"x": 1}, 7]', "statement 1 of 2 is not a valid statement"),
    (json.dumps([make_statement(), [1]]), "statement 2 of 2 is an array, not a statement"),
])
def test_explain_names_the_file_and_what_is_wrong_with_it(cli, tmp_path, content,
                                                         message):
    path = tmp_path / "odd.json"
    path.write_text(content)
    out = cli("mappings", "explain", str(path), expect=1)
    assert f"Error: {path}: {message}" in out and "Traceback" not in out


# --- untagged ------------------------------------------------------------------------------

LONG_IRI = "https://content.example.nl/library/" + "very-long-module-name-" * 4 + "x"
LONG_NAME = "Een heel lange naam van een module " * 4


def test_untagged_cuts_long_names_to_the_terminal_never_the_iri(cli, xapi,
                                                                monkeypatch):
    statement = make_statement(activity=LONG_IRI)
    # a name is content's text: a line break or terminal escape in it must not get through
    name = "\x1b[2J" + LONG_NAME.replace("lange naam", "lange\nnaam")
    statement["object"]["definition"]["name"] = {"nl": name}
    xapi.post("/xapi/statements", json=statement)
    monkeypatch.setenv("COLUMNS", "200")
    lines = cli("mappings", "untagged", stdout_only=True).splitlines()
    assert len(lines) == 2 and "\x1b" not in lines[1]
    assert lines[0].split() == ["statements", "learners", "last", "seen", "activity", "name"]
    assert LONG_IRI in lines[1] and len(lines[1]) == 200
    assert lines[1].endswith("…") and LONG_NAME[:20] in lines[1]
    monkeypatch.setenv("COLUMNS", "60")  # narrower than the IRI: the IRI stays whole
    narrow = cli("mappings", "untagged", stdout_only=True).splitlines()[1]
    assert LONG_IRI in narrow
    rows = json.loads(cli("mappings", "untagged", "--json", stdout_only=True))
    assert rows[0]["name"] == name  # JSON is never cut


def _stored_ms(services, statement_id: str) -> int:
    return services.statements.get(1, statement_id).stored


def test_untagged_since_and_limit(cli, xapi, services):
    old = [make_statement(activity="https://example.com/old") for _ in range(3)]
    xapi.post("/xapi/statements", json=old)
    time.sleep(0.01)
    new = [make_statement(activity="https://example.com/new-a"),
           make_statement(activity="https://example.com/new-b"),
           make_statement(activity="https://example.com/new-b")]
    xapi.post("/xapi/statements", json=new)
    since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(_stored_ms(services, new[0]["id"])
                                                           // 1000))
    since += f".{_stored_ms(services, new[0]['id']) % 1000:03d}Z"

    def listed(*args):
        rows = json.loads(cli("mappings", "untagged", "--json", *args, stdout_only=True))
        return [(row["activity"], row["statements"]) for row in rows]

    assert listed() == [("https://example.com/old", 3), ("https://example.com/new-b", 2),
                        ("https://example.com/new-a", 1)]
    assert listed("--since", since) == [("https://example.com/new-b", 2),
                                        ("https://example.com/new-a", 1)]
    assert listed("--limit", "1") == [("https://example.com/old", 3)]
    assert listed("--since", since, "--limit", "1") == [("https://example.com/new-b", 2)]
    assert listed("--since", "2000-01-01") == listed()
    assert "since 2999-01-01T00:00:00.000Z matches a module" in cli(
        "mappings", "untagged", "--since", "2999-01-01")
    table = cli("mappings", "untagged", "--limit", "2", stdout_only=True).splitlines()
    assert len(table) == 3 and "https://example.com/new-a" not in "\n".join(table)


@pytest.mark.parametrize("args, message", [
    (("--since", "yesterday"), "'yesterday' is neither an ISO 8601 date"),
    (("--since", "2026-02-30"), "'2026-02-30' is neither an ISO 8601 date"),
    (("--limit", "0"), "0 is not in the range x>=1"),
])
def test_untagged_refuses_a_bad_since_or_limit(cli, args, message):
    assert message in cli("mappings", "untagged", *args, expect=2)

"""`lrs-bridge roster sync NAME`: the users of the fake Moodle into the learner directory, by
the rules of `roster import` (SQLite; the import itself is tested on both databases)."""

import json
from pathlib import Path

from click.testing import CliRunner

from lrs_bridge.cli import main
from tests.contract.moodle_fake import TOKEN

SAMPLE = Path(__file__).parents[2] / "mappings"


def run(env: dict, *args, expect=0) -> str:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == expect, result.output
    return result.output


def test_roster_sync_reads_the_lms_users_into_the_directory(moodle, tmp_path):
    moodle.add_user("anna@noordwind.nl", fullname="Anna de Boer", department="Klantenservice",
                    customfields={"role": "customer-service-agent",
                                  "manageremail": "lead@noordwind.nl",
                                  "startdate": "1772406000", "leavedate": "0"})
    moodle.add_user("bert@noordwind.nl", fullname="Bert Smit", department="Buitendienst",
                    customfields={"role": "not-a-role", "startdate": "1772406000"})
    env = {"LRS_BRIDGE_DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.db'}",
           "LRS_BRIDGE_MAPPINGS": str(SAMPLE), "MOODLE_TOKEN": TOKEN}
    run(env, "connector", "add", "moodle", "lms", "--url", moodle.url,
        "--token-env", "MOODLE_TOKEN")
    out = run(env, "roster", "sync", "lms", expect=1)  # Bert's role is not in the mapping
    assert "connector lms:" in out and "role" in out and "not-a-role" in out
    assert "nothing imported" in out
    out = run(env, "roster", "sync", "lms", "--skip-invalid", "--dry-run")
    assert "connector lms: 1 added, 0 changed, 0 unchanged, 1 problem skipped (dry run" in out
    out = run(env, "roster", "sync", "lms", "--skip-invalid")
    assert "connector lms: 1 added, 0 changed, 0 unchanged, 1 problem skipped" in out
    assert "LMS users without a role or start date left out" in out  # the fake's own users
    shown = json.loads(CliRunner().invoke(
        main, ["learner", "show", "anna@noordwind.nl", "--json"], env=env).stdout)
    assert (shown["name"], shown["team"], shown["role"], shown["start_date"]) == (
        "Anna de Boer", "Klantenservice", "customer-service-agent", "2026-03-02")
    out = run(env, "roster", "sync", "lms", "--skip-invalid")
    assert "0 added, 0 changed, 1 unchanged" in out
    assert "no connector called 'nope'" in run(env, "roster", "sync", "nope", expect=1)

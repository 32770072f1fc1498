"""`learner show` with progress and `alerts list`, on SQLite and PostgreSQL, through the CLI."""

import json
import re
from pathlib import Path

import pytest

from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    command_line,
    report,
    said,
    store,
    worker,
)

NOORDWIND = Path(__file__).parents[1] / "fixtures" / "roster" / "noordwind.csv"
SANNE = "sanne.devries@noordwind.nl"
NOW = "2026-02-10T12:00:00"


@pytest.fixture
def cli(database_url, services):
    run = command_line(database_url)
    run("roster", "import", str(NOORDWIND))
    # Sanne (started 2026-01-05) did the welcome and failed privacy, due 2026-01-19, late.
    store(services, said(SANNE, "completed", WELCOME, "2026-01-06T09:00:00Z"),
          said(SANNE, "failed", PRIVACY, "2026-01-20T09:00:00Z", score=0.5))
    worker(services, NOW).drain()
    return run


def test_learner_show_adds_phase_paths_steps_skills_and_alerts(cli):
    out = cli("learner", "show", "Sanne.DeVries@noordwind.nl", "--now", NOW)
    lines = out.splitlines()
    assert lines[0] == "name:         Sanne de Vries"  # the directory lines come first
    assert "role:         customer-service-agent since 2026-01-05" in lines
    assert "progress as at 2026-02-10T12:00+00:00" in lines
    assert "phase:        onboarding" in lines and "last active:  2026-01-20" in lines
    general = lines.index("General onboarding: your first month (onboarding-general)")
    assert re.fullmatch(r"  in progress, \d+%", lines[general + 1])
    assert "   2 welcome-noordwind          completed   done 2026-01-06" in lines
    assert "   3 privacy-basics             failed      due 2026-01-19 OVERDUE score 50%" \
        in lines
    assert "  privacy-gdpr                 no level, target 2, gap 2" in lines
    alerts = lines[next(i for i, line in enumerate(lines) if line.startswith("open alerts: ")):]
    assert int(alerts[0].removeprefix("open alerts: ")) == sum(
        line.startswith("  ") and line.strip() and not line.startswith("    ")
        for line in alerts)  # one line per alert, and reasons that did not fit under it
    assert "  overdue    onboarding-general/privacy-basics: due 2026-01-19" in alerts
    assert max(len(line) for line in lines) <= 80


def test_learner_show_json_is_the_report_the_api_gives(cli, services):
    shown = json.loads(cli("learner", "show", SANNE, "--now", NOW, "--json"))
    assert shown == report(services, SANNE, NOW)
    assert shown["at"] == "2026-02-10T12:00:00+00:00" and shown["alerts"]


def test_alerts_list_prints_one_line_per_alert_newest_first(cli):
    lines = cli("alerts", "list").splitlines()
    assert lines and all(line.startswith("2026-02-10  ") for line in lines)
    assert "2026-02-10  overdue          sanne.devries@noordwind.nl  " \
           "onboarding-general/privacy-basics: due 2026-01-19" in lines
    # The learner the roster knows by an account only is named by their name.
    assert any("  Pieter de Groot  " in line for line in lines)
    listed = json.loads(cli("alerts", "list", "--json"))
    assert len(listed) == len(lines)
    assert {"id", "learner", "kind", "subject", "status", "opened", "detail",
            "learner_email"} <= set(listed[0])


@pytest.mark.parametrize(("options", "emails"), [
    (("--learner", "SANNE.devries@noordwind.nl"), {SANNE}),
    (("--team", "Advies"), {"tom.vandijk@noordwind.nl", "ingrid.meijer@noordwind.nl"}),
    (("--manager", "Anouk.Visser@noordwind.nl"),
     {SANNE, "daan.bakker@noordwind.nl", "fatima.elamrani@noordwind.nl"}),
])
def test_alerts_list_filters_by_learner_team_and_manager(cli, options, emails):
    listed = json.loads(cli("alerts", "list", "--json", *options))
    assert {alert["learner_email"] for alert in listed} == emails


def test_alerts_list_by_kind_and_status(cli, services):
    overdue = json.loads(cli("alerts", "list", "--kind", "overdue", "--json"))
    assert overdue and {alert["kind"] for alert in overdue} == {"overdue"}
    assert cli("alerts", "list", "--status", "resolved") == ""
    store(services, said(SANNE, "passed", PRIVACY, "2026-02-11T09:00:00Z", score=0.9))
    worker(services, "2026-02-11T12:00:00").drain()
    resolved = cli("alerts", "list", "--status", "resolved", "--learner", SANNE).splitlines()
    assert "2026-02-10  overdue          sanne.devries@noordwind.nl  onboarding-general/" \
           "privacy-basics: due 2026-01-19 [resolved 2026-02-11]" in resolved
    everything = json.loads(cli("alerts", "list", "--status", "all", "--json"))
    assert {alert["status"] for alert in everything} == {"open", "resolved"}


def test_alerts_list_of_an_unknown_tenant_says_so(cli):
    assert cli("alerts", "list", "--tenant", "acme", expect=1).endswith(
        "Error: no tenant called 'acme'\n")


def test_a_progress_read_credential_can_be_made(cli):
    cli("credentials", "add", "dashboard", "--scope", "progress/read")
    assert "scopes=progress/read" in cli("credentials", "list")


def test_worker_once_folds_what_waits_and_reprocess_rebuilds_the_same(cli, services):
    from tests.integration.progress_helpers import stored_state

    store(services, said(SANNE, "passed", PRIVACY, "2026-01-25T09:00:00Z", score=0.9))
    out = cli("worker", "--once")
    assert re.fullmatch(r"1 mark processed, alerts of \d+ learners checked, 0 events handed "
                        r"to connectors\n", out)
    assert report(services, SANNE, NOW)["paths"][0]["steps"][2]["status"] == "passed"
    before = stored_state(services)
    out = cli("reprocess")
    assert re.fullmatch(r"\d+ learners rebuilt \(\d+ marks processed\)\n", out)
    assert stored_state(services) == before
    out = cli("reprocess", "--learner", SANNE.upper())
    assert out == "1 learner rebuilt (1 mark processed)\n"
    assert "Error: no learner with e-mail address nobody@noordwind.nl in tenant default\n" in \
        cli("reprocess", "--learner", "nobody@noordwind.nl", expect=1)
    assert "no tenant called 'elsewhere'" in cli("reprocess", "--tenant", "elsewhere",
                                                  expect=1)


def test_alerts_scan_as_at_a_later_moment_opens_the_alerts_time_brings(cli, services):
    def open_kinds() -> set:
        return {(a["kind"], a["subject"]) for a in json.loads(cli("alerts", "list", "--json"))
                if a["learner_email"] == SANNE}

    skills_scan = ("overdue", "development-customer-service/skills-scan")
    assert skills_scan not in open_kinds()
    # The skills scan is due six months after she took up her role (2026-01-05).
    out = cli("alerts", "scan", "--now", "2026-07-06")
    assert out.endswith("checked as at 2026-07-06T00:00:00+00:00\n")
    assert skills_scan in open_kinds()
    assert "is not an ISO 8601 date" in cli("alerts", "scan", "--now", "next week", expect=2)


def test_a_second_worker_on_one_sqlite_database_is_refused(cli, services):
    from lrs_bridge.store.engine import worker_lock

    if services.engine.dialect.name != "sqlite":
        cli("worker", "--once")  # PostgreSQL takes any number of workers
        return
    with worker_lock(services.engine):  # as `serve`'s worker holds it
        out = cli("worker", "--once", expect=1)
    assert "another lrs-bridge worker (or `serve`, which runs one) is running on " in out
    assert "one worker is enough on SQLite" in out
    cli("worker", "--once")  # once it is gone, a worker may start


def test_the_two_parts_of_a_worker_run_apart_as_serve_runs_them(cli, services):
    from lrs_bridge.store.engine import worker_lock

    store(services, said(SANNE, "passed", PRIVACY, "2026-01-25T09:00:00Z", score=0.9))
    with worker_lock(services.engine, ("delivery",)):  # `serve`'s delivering process
        out = cli("worker", "--once", "--only", "progress")
        assert re.fullmatch(r"1 mark processed, alerts of \d+ learners checked\n", out)
        if services.engine.dialect.name == "sqlite":
            assert "one worker is enough on SQLite" in cli("worker", "--once", expect=1)
            assert "one worker is enough on SQLite" in cli("worker", "--once", "--only",
                                                           "delivery", expect=1)
    assert report(services, SANNE, NOW)["paths"][0]["steps"][2]["status"] == "passed"
    assert cli("worker", "--once", "--only", "delivery") == "0 events handed to connectors\n"
    assert "'folding' is not one of 'progress', 'delivery'" in cli(
        "worker", "--only", "folding", expect=2)


def test_a_worker_without_a_mappings_folder_runs_and_one_broken_is_refused(
        database_url, services, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from lrs_bridge.cli import main

    def run(folder: Path, *args: str):
        return CliRunner().invoke(main, ["worker", "--once", *args], env={
            "LRS_BRIDGE_DATABASE_URL": database_url, "LRS_BRIDGE_MAPPINGS": str(folder)})

    store(services, said(SANNE, "completed", WELCOME, "2026-01-06T09:00:00Z"))
    missing = run(tmp_path / "none")
    assert missing.exit_code == 0, missing.output
    assert missing.stdout.startswith("0 marks processed")  # the statement waits, unmapped
    assert f"no mappings folder at {tmp_path / 'none'}: statements wait" in missing.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "phases.yaml").write_text("phases: [\n")
    refused = run(broken)
    assert refused.exit_code == 1 and "fix them first" in refused.stderr
    # As `serve` starts it: a folder broken since the server checked it does not stop it
    # (it would be started again every few seconds); the marks wait for a working mapping.
    monkeypatch.setattr("os.nice", lambda _increment: 0)  # not this test process's priority
    assert run(broken, "--background").exit_code == 0
    assert run(broken, "--background", "--only", "delivery").exit_code == 0

"""`roster import` and `learner show` on SQLite and PostgreSQL, through the CLI."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from lrs_bridge.cli import main
from lrs_bridge.store.tables import learner_identifiers, learner_roles, learners, tenants

FIXTURES = Path(__file__).parents[1] / "fixtures"
SAMPLE = Path(__file__).parents[2] / "mappings"
NOORDWIND = FIXTURES / "roster" / "noordwind.csv"
HEAD = "email,name,role,team,start_date,role_start_date"


@pytest.fixture
def cli(database_url, services, tmp_path):
    runner = CliRunner()
    folder = tmp_path / "mappings"
    shutil.copytree(SAMPLE, folder)

    def run(*args, expect=0, mappings=folder, stderr=False):
        result = runner.invoke(main, list(args), env={"LRS_BRIDGE_DATABASE_URL": database_url,
                                                      "LRS_BRIDGE_MAPPINGS": str(mappings)})
        assert result.exit_code == expect, result.output
        assert "Traceback" not in result.output
        return result.stderr if stderr else result.stdout

    return run


@pytest.fixture
def roster(tmp_path):
    def write(*rows: str, head: str = HEAD) -> str:
        path = tmp_path / "roster.csv"
        path.write_text("\n".join((head, *rows)) + "\n", encoding="utf-8")
        return str(path)

    return write


def _count(services, table) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_the_sample_roster_imports_and_a_second_import_changes_nothing(cli, services):
    assert cli("roster", "import", str(NOORDWIND)).endswith(
        "12 added, 0 changed, 0 unchanged\n")
    assert cli("roster", "import", str(NOORDWIND)).endswith(
        "0 added, 0 changed, 12 unchanged\n")
    assert _count(services, learners) == 12
    # Every e-mail gives an mbox and an mbox_sha1sum key; three people have an account too.
    assert _count(services, learner_identifiers) == 11 * 2 + 3


def test_learner_show_prints_the_directory_entry(cli):
    cli("roster", "import", str(NOORDWIND))
    out = cli("learner", "show", "Sanne.DeVries@noordwind.nl")
    assert out.splitlines()[:5] == [
        "name:         Sanne de Vries",
        "e-mail:       sanne.devries@noordwind.nl",
        "identifiers:  account:https://hr.noordwind.nl|E1002",
        "              mbox:mailto:sanne.devries@noordwind.nl",
        "              mbox_sha1sum:0b0f3bb46967d520cde74d7a166aeb9498eb0bb5",
    ]
    assert "role:         customer-service-agent since 2026-01-05" in out
    assert "extra paths:  mobility-team-lead" in out
    assert "leave date" not in out  # no placeholders for what is not known
    entry = json.loads(cli("learner", "show", "eva.smit@noordwind.nl", "--json"))
    assert (entry["status"], entry["leave_date"], entry["team"]) == (
        "leaver", "2026-12-31", "Buitendienst")
    assert "retention-safety-refresher" in [path["id"] for path in entry["paths"]]


def test_reimport_counts_added_changed_unchanged(cli, roster):
    cli("roster", "import", roster("jan@x.nl,Jan,team-lead,A,2026-01-05,",
                                   "piet@x.nl,Piet,team-lead,A,2026-01-05,"))
    out = cli("roster", "import", roster("jan@x.nl,Jan,team-lead,A,2026-01-05,",
                                         "piet@x.nl,Piet,team-lead,B,2026-01-05,",
                                         "kees@x.nl,Kees,team-lead,A,2026-01-05,"))
    assert out.endswith("1 added, 1 changed, 1 unchanged\n")


def test_a_column_left_out_keeps_its_value(cli, roster):
    cli("roster", "import", roster("jan@x.nl,Jan,team-lead,A,2026-01-05,"))
    cli("roster", "import", roster("jan@x.nl,team-lead,2026-01-05",
                                   head="email,role,start_date"))
    assert json.loads(cli("learner", "show", "jan@x.nl", "--json"))["team"] == "A"


def test_a_role_change_keeps_the_history(cli, roster, services):
    cli("roster", "import", roster("jan@x.nl,Jan,customer-service-agent,A,2026-01-05,"))
    out = cli("roster", "import", roster("jan@x.nl,Jan,team-lead,A,2026-01-05,2026-06-01"))
    assert out.endswith("0 added, 1 changed, 0 unchanged\n")
    entry = json.loads(cli("learner", "show", "jan@x.nl", "--json"))
    assert entry["roles"] == [{"role": "customer-service-agent", "since": "2026-01-05"},
                              {"role": "team-lead", "since": "2026-06-01"}]
    followed = [path["id"] for path in entry["paths"]]
    assert "onboarding-team-lead" in followed and "onboarding-customer-service" not in followed
    assert _count(services, learner_roles) == 2


def test_dry_run_reports_the_counts_and_writes_nothing(cli, roster, services):
    out = cli("roster", "import", str(NOORDWIND), "--tenant", "acme", "--dry-run")
    assert out.endswith("12 added, 0 changed, 0 unchanged (dry run: nothing written)\n")
    assert _count(services, learners) == 0
    with services.engine.connect() as conn:
        assert conn.execute(select(tenants.c.id).where(tenants.c.name == "acme")).first() is None


def test_a_file_with_errors_imports_nothing(cli, roster, services):
    path = roster("jan@x.nl,Jan,team-lead,A,2026-01-05,", "piet,Piet,pilot,A,2026-01-05,")
    out = cli("roster", "import", path, expect=1)
    assert cli("roster", "import", path, expect=1, stderr=True).endswith(
        f"Error: {path}: 2 problems; nothing imported (--skip-invalid imports the valid rows)\n")
    assert out == (f"{path}:3: email: 'piet' is not an e-mail address\n"
                   f"{path}:3: role: unknown role 'pilot'; known: customer-service-agent, "
                   f"energy-advisor, field-technician, team-lead\n")
    assert _count(services, learners) == 0


def test_skip_invalid_imports_only_the_good_rows(cli, roster, services):
    path = roster("jan@x.nl,Jan,team-lead,A,2026-01-05,", "piet,Piet,team-lead,A,2026-01-05,")
    out = cli("roster", "import", path, "--skip-invalid")
    assert out.endswith("1 added, 0 changed, 0 unchanged, 1 problem skipped\n")
    assert _count(services, learners) == 1


def test_a_row_naming_two_learners_is_refused_and_names_both(cli, roster, services):
    cli("roster", "import", str(NOORDWIND))
    path = roster("lars.jansen@noordwind.nl,https://hr.noordwind.nl,E1002,team-lead,2026-01-01",
                  "new@x.nl,,,team-lead,2026-01-01",
                  head="email,account_homepage,account_name,role,start_date")
    out = cli("roster", "import", path, expect=1)
    assert out == (f"{path}:2: email: its identifiers belong to two learners: "
                   f"lars.jansen@noordwind.nl and sanne.devries@noordwind.nl\n")
    assert _count(services, learners) == 12  # the good row of the file was not imported


def test_an_account_row_adds_an_email_to_the_learner_it_names(cli, roster):
    cli("roster", "import", str(NOORDWIND))
    path = roster(",https://hr.noordwind.nl,E1009,pieter@noordwind.nl,field-technician,"
                  "2025-11-03", head="email,account_homepage,account_name,email,role,start_date")
    cli("roster", "import", path, expect=1)  # email named twice in the header
    path = roster("pieter@noordwind.nl,https://hr.noordwind.nl,E1009,field-technician,"
                  "2025-11-03", head="email,account_homepage,account_name,role,start_date")
    assert cli("roster", "import", path).endswith("0 added, 1 changed, 0 unchanged\n")
    assert json.loads(cli("learner", "show", "pieter@noordwind.nl", "--json"))["name"] == \
        "Pieter de Groot"


def test_a_missing_or_broken_mappings_folder_is_a_clear_error(cli, tmp_path):
    nowhere = tmp_path / "nowhere"
    err = cli("roster", "import", str(NOORDWIND), mappings=nowhere, expect=1, stderr=True)
    assert err == (f"Error: the mappings in {nowhere} have 1 problem; fix them first "
                   f"(`lrs-bridge mappings check {nowhere}`):\n{nowhere}: not a folder\n")
    broken = tmp_path / "mappings"
    (broken / "roles.yaml").write_text("roles: [{id: agent}]\n")
    err = cli("roster", "import", str(NOORDWIND), mappings=broken, expect=1, stderr=True)
    assert "roles.yaml:1: roles[agent].name: " in err


def test_learner_show_of_an_unknown_address_says_so(cli):
    cli("roster", "import", str(NOORDWIND))
    err = cli("learner", "show", "nobody@x.nl", expect=1, stderr=True)
    assert err.endswith("Error: no learner with e-mail address nobody@x.nl in tenant default\n")


def test_a_file_that_is_not_utf8_imports_nothing_and_names_the_file(cli, tmp_path, services):
    path = tmp_path / "latin1.csv"
    path.write_bytes("email,role,start_date\njosé@x.nl,team-lead,2026-01-01\n".encode("latin-1"))
    out = cli("roster", "import", str(path), expect=1)
    assert out == f"{path}:2: not UTF-8 text (byte 0xe9); save the file as CSV UTF-8\n"
    assert _count(services, learners) == 0


def test_tenants_keep_their_own_directories(cli):
    cli("roster", "import", str(NOORDWIND), "--tenant", "acme")
    cli("learner", "show", "eva.smit@noordwind.nl", "--tenant", "acme")
    cli("learner", "show", "eva.smit@noordwind.nl", expect=1)


def test_two_rows_naming_one_learner_are_refused(cli, roster):
    cli("roster", "import", str(NOORDWIND))
    path = roster("sanne.devries@noordwind.nl,,,team-lead,2026-01-01",
                  ",https://hr.noordwind.nl,E1002,customer-service-agent,2026-01-01",
                  head="email,account_homepage,account_name,role,start_date")
    out = cli("roster", "import", path, expect=1)
    assert out == (f"{path}:3: account_name: the same learner as line 2 "
                   f"(sanne.devries@noordwind.nl)\n")
    entry = json.loads(cli("learner", "show", "sanne.devries@noordwind.nl", "--json"))
    assert entry["role"] == "customer-service-agent"  # nothing of the file was imported

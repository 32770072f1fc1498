"""The author's tools (`lrs-bridge mappings …`) and GET /api/v1/mappings."""

import json
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lrs_bridge.cli import main
from tests.integration.statements_helpers import make_statement

MINIMAL = Path(__file__).parents[1] / "fixtures" / "mappings" / "minimal"
SAMPLE = Path(__file__).parents[2] / "mappings"
PRIVACY = "https://learning.example.nl/modules/privacy-basics"


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "mappings"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture
def cli(database_url, services, folder):
    runner = CliRunner()

    def run(*args, expect=0, stdout_only=False):
        result = runner.invoke(main, list(args), env={"LRS_BRIDGE_DATABASE_URL": database_url,
                                                      "LRS_BRIDGE_MAPPINGS": str(folder)})
        assert result.exit_code == expect, result.output
        return result.stdout if stdout_only else result.output

    return run


def test_the_sample_organisation_passes_check(cli):
    out = cli("mappings", "check", str(SAMPLE))
    assert out.rstrip().endswith("no problems")


def test_check_lists_every_problem_as_file_line_field_and_fails(cli, folder):
    text = (folder / "modules.yaml").read_text().replace("phase: onboarding", "phase: intro", 1)
    (folder / "modules.yaml").write_text(text)
    out = cli("mappings", "check", expect=1)
    assert out == (f"{folder}/modules.yaml:6: modules[privacy-basics].phase: unknown phase "
                   f"'intro'\n{folder}: 1 problem\n")


def test_check_counts_in_singular_and_plural(cli, folder):
    assert cli("mappings", "check").startswith(
        f"{folder}: 6 phases, 2 skills, 1 role, 2 modules, 1 path, ")


def test_check_of_a_missing_folder_just_says_so(cli, tmp_path):
    out = cli("mappings", "check", str(tmp_path / "nowhere"), expect=1)
    assert out == (f"Error: the mappings folder {tmp_path / 'nowhere'} does not exist (give the "
                   f"folder, or set LRS_BRIDGE_MAPPINGS or LRS_BRIDGE_HOME)\n")


def test_untagged_lists_activities_no_module_matches(cli, xapi):
    xapi.post("/xapi/statements", json=[
        make_statement(activity=PRIVACY),
        make_statement(activity="https://example.com/unknown-course", actor="a@example.com"),
        make_statement(activity="https://example.com/unknown-course", actor="b@example.com"),
    ])
    rows = json.loads(cli("mappings", "untagged", "--json", stdout_only=True))
    assert [(r["activity"], r["statements"], r["learners"], r["name"]) for r in rows] == [
        ("https://example.com/unknown-course", 2, 2, "Privacy basics")]
    assert rows[0]["last_seen"].endswith("Z")
    table = cli("mappings", "untagged")
    assert "https://example.com/unknown-course" in table and PRIVACY not in table


def test_untagged_refuses_to_run_on_broken_mappings(cli, folder):
    (folder / "paths.yaml").write_text("paths: nope\n")
    assert f"have 1 problem; fix them first (`lrs-bridge mappings check {folder}`):\n" \
        f"{folder}/paths.yaml:1: paths: must be a list of paths" in cli("mappings", "untagged",
                                                                     expect=1)


def test_explain_a_stored_statement_and_a_file(cli, xapi, tmp_path):
    statement = make_statement(activity=PRIVACY, verb="passed",
                               result={"score": {"scaled": 0.9}})
    xapi.post("/xapi/statements", json=statement)
    out = cli("mappings", "explain", statement["id"])
    assert "module:   privacy-basics (Privacy basics), matched exactly" in out
    assert "skill:    gives privacy level 2: on passed" in out
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(make_statement(activity="https://example.com/x")))
    assert "module:   none" in cli("mappings", "explain", str(path))


def test_explain_errors_name_what_is_wrong(cli, tmp_path):
    missing = "0b8d2c4e-6f1a-4b3c-9d8e-7f6a5b4c3d2e"
    assert f"no statement with id {missing}" in cli("mappings", "explain", missing, expect=1)
    bad = tmp_path / "bad.json"
    bad.write_text('{"actor": {"mbox": "anna"}}')
    assert "not a valid statement" in cli("mappings", "explain", str(bad), expect=1)


# --- the running server ------------------------------------------------------------------------

@pytest.fixture
def api_app(services, folder):
    from dataclasses import replace

    from lrs_bridge.mapping_files.holder import MappingHolder
    from lrs_bridge.web.app import create_app

    holder = MappingHolder(folder, check_seconds=0)
    app = create_app(services=replace(services, mappings=holder))
    app.config["TESTING"] = True
    return app


def _api_client(app, services, *scopes):
    from tests.integration.conftest import XAPIClient

    key, secret = services.credentials.add(f"api-{'-'.join(scopes)}-{time.time_ns()}",
                                           list(scopes))
    return XAPIClient(app.test_client(), key, secret)


def test_api_shows_the_loaded_mapping(api_app, services):
    client = _api_client(api_app, services, "all/read")
    body = client.get("/api/v1/mappings").get_json()
    assert body["refused"] is None and body["version"]
    modules = {m["id"]: m for m in body["mapping"]["modules"]}
    assert modules["privacy-basics"]["duration"] == "PT20M"
    assert body["mapping"]["paths"][0]["steps"][1]["due"] == "P30D"


def test_api_needs_credentials_and_a_scope(api_app, services):
    assert api_app.test_client().get("/api/v1/mappings").status_code == 401
    writer = _api_client(api_app, services, "statements/write")
    assert writer.get("/api/v1/mappings").status_code == 403


def test_changed_files_are_picked_up_and_broken_ones_refused(api_app, services, folder):
    client = _api_client(api_app, services, "all")
    first = client.get("/api/v1/mappings").get_json()
    skills = folder / "skills.yaml"
    skills.write_text(skills.read_text().replace("CRM use", "CRM basics"))
    second = client.get("/api/v1/mappings").get_json()
    assert second["version"] != first["version"]
    assert second["mapping"]["skills"][1]["name"]["en"] == "CRM basics"
    skills.write_text("skills: [")  # broken: the working mapping stays
    third = client.get("/api/v1/mappings").get_json()
    assert third["version"] == second["version"]
    assert third["mapping"]["skills"][1]["name"]["en"] == "CRM basics"
    assert third["refused"]["problems"][0].startswith(f"{folder}/skills.yaml:")


def test_serve_says_which_mappings_it_uses(folder, tmp_path):
    from lrs_bridge.cli import _mappings_state
    from lrs_bridge.cli_support import mapping_problems
    from lrs_bridge.mapping_files.holder import MappingHolder, content_version

    assert _mappings_state(MappingHolder(folder).current(), str(folder)).startswith(
        f"mappings from {folder} (version {content_version(folder)}): 2 modules, 1 path")
    missing = tmp_path / "none"
    assert "no mappings folder" in _mappings_state(MappingHolder(missing).current(), str(missing))
    (folder / "roles.yaml").write_text("roles: [")
    refused = MappingHolder(folder).current().refused_problems
    assert mapping_problems(folder, refused).message.startswith(
        f"the mappings in {folder} have 1 problem; fix them first")


def test_a_loader_crash_is_refused_and_looked_at_again(folder, monkeypatch):
    from lrs_bridge.mapping_files import holder as holder_module

    working = holder_module.MappingHolder(folder, check_seconds=0)
    before = working.current().mapping
    assert [m.id for m in before.modules] == ["privacy-basics", "crm-course"]
    (folder / "skills.yaml").write_text((folder / "skills.yaml").read_text() + "\n")

    def explode(_folder):
        raise RuntimeError("loader bug")

    monkeypatch.setattr(holder_module, "load_mapping", explode)
    snapshot = working.current()
    assert snapshot.mapping is before  # the working mapping stays
    assert "could not be loaded" in str(snapshot.refused_problems[0])


def test_api_keeps_a_skill_called_origin(api_app, services, folder):
    roles = (folder / "roles.yaml").read_text().replace("{privacy: 2, crm: 1}",
                                                        "{privacy: 2, crm: 1, origin: 1}")
    skills = (folder / "skills.yaml").read_text() + (
        "  - id: origin\n    name: {en: Origin, nl: Herkomst}\n")
    modules = (folder / "modules.yaml").read_text() + (
        "      - {skill: origin, level: 1}\n")
    (folder / "roles.yaml").write_text(roles)
    (folder / "skills.yaml").write_text(skills)
    (folder / "modules.yaml").write_text(modules)
    body = _api_client(api_app, services, "all").get("/api/v1/mappings").get_json()
    assert body["refused"] is None, body["refused"]
    assert body["mapping"]["roles"][0]["skills"] == {"privacy": 2, "crm": 1, "origin": 1}
    assert "origin" not in body["mapping"]["modules"][0]


def test_check_names_an_lms_part_of_a_connector_kind_that_is_not_installed(cli, folder):
    modules = folder / "modules.yaml"
    modules.write_text(modules.read_text().replace(
        "    duration: PT20M\n",
        "    duration: PT20M\n    lms:\n      moodel: {cmid: 42}\n", 1))
    out = cli("mappings", "check", str(folder), expect=1)
    assert "modules.yaml:9: modules[privacy-basics].lms.moodel: no connector of kind " \
           "'moodel' is installed (installed: " in out
    assert out.rstrip().endswith(": 1 problem")


def test_the_lms_parts_of_a_mapping_reach_the_model(folder):
    from lrs_bridge.mapping_files.loader import load_mapping

    modules = folder / "modules.yaml"
    modules.write_text(modules.read_text().replace(
        "    duration: PT20M\n", "    duration: PT20M\n    lms:\n      webhook: {topic: x}\n", 1))
    loaded = load_mapping(folder)
    assert not loaded.problems
    assert next(m for m in loaded.mapping.modules if m.id == "privacy-basics").lms == {
        "webhook": {"topic": "x"}}

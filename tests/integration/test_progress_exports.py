"""GET /api/v1/progress.csv and /api/v1/matrix/{paths,skills}.csv on SQLite and PostgreSQL:
the feed's entries and each learner's paths and skills as CSV, worked out by hand from
feed_helpers' organisation, with formula injection defused."""

import csv
import io
from dataclasses import replace

import pytest

from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.web.app import create_app
from tests.integration.conftest import XAPIClient
from tests.integration.feed_helpers import ANNA, ROWS, T1, at, get, third_batch
from tests.integration.progress_helpers import import_roster

PROGRESS_CSV, PATHS, SKILLS = ("/api/v1/progress.csv", "/api/v1/matrix/paths.csv",
                               "/api/v1/matrix/skills.csv")
WHO = ["learner_id", "email", "name", "role", "team", "manager_email", "status", "phase"]


def table(client, url: str, **params) -> list[list[str]]:
    """The CSV answer's rows, the header first."""
    response = get(client, url, **params)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def ids(client) -> dict[str, str]:
    """Learner ids by first name, as CSV cells."""
    found = get(client, "/api/v1/learners").get_json()["learners"]
    return {entry["name"].split()[0]: str(entry["id"]) for entry in found}


# --- progress.csv ------------------------------------------------------------------------------

def test_progress_csv_holds_the_feeds_entries_as_rows(feed_reader):
    rows = table(feed_reader, PROGRESS_CSV)
    entries = get(feed_reader, "/api/v1/progress").get_json()["entries"]
    assert rows[0][:12] == ["id", "at", "type", "learner_id", "learner_email", "learner_name",
                            "learner_role", "learner_team", "learner_manager_email", "path",
                            "step", "module"]
    assert [row[0] for row in rows[1:]] == [e["id"] for e in entries]  # the same 12, in order
    first = dict(zip(rows[0], rows[1], strict=True))
    anna = ids(feed_reader)["Anna"]
    assert first == {
        "id": entries[0]["id"], "at": at(T1), "type": "step.changed", "learner_id": anna,
        "learner_email": ANNA, "learner_name": "Anna de Boer",
        "learner_role": "customer-service-agent", "learner_team": "Klantenservice",
        "learner_manager_email": "lead@noordwind.nl", "path": "onboarding-general",
        "step": "2", "module": "welcome-noordwind", "skill": "", "status": "completed",
        "progress": "", "outcome": "completed", "optional": "false", "due": "2026-03-09",
        "completed_at": "2026-03-04T09:00:00+00:00",
        "completed_by": entries[0]["change"]["completed_by"], "score": "", "attempts": "1",
        "failures": "0", "level": "", "target": "", "gap": "", "attained": "", "expires": ""}
    skill = dict(zip(rows[0], rows[12], strict=True))  # Carla's crm-systems
    assert (skill["skill"], skill["level"], skill["target"], skill["gap"], skill["path"]) == (
        "crm-systems", "1", "3", "2", "")


def test_progress_csv_takes_the_feeds_filters_and_cursor(feed_org, feed_reader):
    rows = table(feed_reader, PROGRESS_CSV, team="Klantenservice", type="path.changed")
    assert [(r[4], r[9], r[13], r[14]) for r in rows[1:]] == [
        (ANNA, "onboarding-general", "in_progress", "0.2"),
        ("carla@noordwind.nl", "onboarding-customer-service", "in_progress",
         str(1 / 3))]
    page = get(feed_reader, "/api/v1/progress", limit=4).get_json()
    after = page["next"].split("after=")[1]
    rest = table(feed_reader, PROGRESS_CSV, after=after)
    assert len(rest) == 1 + 8  # the header and entries 5 to 12
    # The Link header says where the next export starts: after every entry of this one.
    later = get(feed_reader, PROGRESS_CSV).headers["Link"]
    third_batch(feed_org)
    next_url = later[1:later.index(">")]
    assert [(r[2], r[11]) for r in table(feed_reader, next_url)[1:]] == [
        ("step.changed", "first-working-day"), ("path.changed", "")]


def test_progress_csv_of_another_tenant_and_without_credentials(feed_api):
    rows = table(feed_api("progress/read", tenant="other"), PROGRESS_CSV)
    assert [r[4] for r in rows[1:]] == ["dirk@other.nl"] * 3
    assert feed_api.app.test_client().get(PROGRESS_CSV).status_code == 401
    assert feed_api("statements/write").get(PROGRESS_CSV).status_code == 403


# --- matrices ----------------------------------------------------------------------------------

def test_paths_matrix_gives_each_learners_status_and_progress_per_path(feed_reader):
    n = ids(feed_reader)
    assert table(feed_reader, PATHS, path="onboarding-general") == [
        WHO + ["onboarding-general status", "onboarding-general progress"],
        [n["Anna"], ANNA, "Anna de Boer", "customer-service-agent", "Klantenservice",
         "lead@noordwind.nl", "active", "onboarding", "in_progress", "0.2"],
        [n["Bert"], "bert@noordwind.nl", "Bert Smit", "field-technician", "Buitendienst",
         "Lead@Noordwind.nl", "active", "development", "not_started", "0.0"],
        [n["Carla"], "carla@noordwind.nl", "Carla Kok", "customer-service-agent",
         "Klantenservice", "boss@noordwind.nl", "active", "onboarding", "not_started", "0.0"]]


def test_paths_matrix_of_a_phase_leaves_paths_a_learner_does_not_follow_empty(feed_reader):
    rows = table(feed_reader, PATHS, phase="development")
    assert rows[0][8:] == [f"development-{r} {what}" for r in (
        "customer-service", "field-technician", "energy-advisor", "team-lead")
        for what in ("status", "progress")]
    assert [row[8:] for row in rows[1:]] == [
        ["not_started", "0.0", "", "", "", "", "", ""],  # Anna, customer service
        ["", "", "in_progress", "0.25", "", "", "", ""],  # Bert: the skills scan, 1 of 4
        ["not_started", "0.0", "", "", "", "", "", ""]]  # Carla
    bert = table(feed_reader, PATHS, phase="onboarding", role="field-technician")
    assert [row[8:] for row in bert[1:]] == [
        ["not_started", "0.0", "", "", "in_progress", "0.2", "", "", "", ""]]


def test_skills_matrix_gives_level_target_and_gap(feed_reader):
    rows = table(feed_reader, SKILLS, skill="crm-systems")
    assert rows[0][8:] == ["crm-systems level", "crm-systems target", "crm-systems gap"]
    assert [row[8:] for row in rows[1:]] == [
        ["", "3", "3"],  # Anna: no evidence, her role needs 3
        ["", "", ""],  # Bert: a technician's role asks nothing of it
        ["1", "3", "2"]]  # Carla: the CRM micro gives level 1
    bert = table(feed_reader, SKILLS, learner="bert@noordwind.nl")
    cells = dict(zip(bert[0], bert[1], strict=True))
    assert [cells[f"work-order-app {w}"] for w in ("level", "target", "gap")] == ["1", "2", "1"]
    assert [cells[f"company-culture {w}"] for w in ("level", "target", "gap")] == ["", "2", "2"]
    assert [cells[f"crm-systems {w}"] for w in ("level", "target", "gap")] == ["", "", ""]


@pytest.mark.parametrize(("params", "names"), [
    ({"team": "Klantenservice"}, ["Anna", "Carla"]),
    ({"manager": "lead@NOORDWIND.nl"}, ["Anna", "Bert"]),
    ({"learner": "carla@noordwind.nl"}, ["Carla"]),
    ({"status": "alumni"}, []),
    ({"role": "customer-service-agent", "team": "Buitendienst"}, []),
])
def test_matrix_learner_filters(feed_reader, params, names):
    n = ids(feed_reader)
    for url in (PATHS, SKILLS):
        assert [row[0] for row in table(feed_reader, url, **params)[1:]] == [
            n[name] for name in names]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_text(feed_org, feed_reader):
    import_roster(feed_org, f'{ANNA},"=HYPERLINK(""http://x.example"",""Anna"")",'
                            f'customer-service-agent,lead@noordwind.nl,+31 Klantenservice,'
                            f'2026-03-02', *ROWS[1:2],
                  "carla@noordwind.nl,@Carla,customer-service-agent,boss@noordwind.nl,"
                  "-Klantenservice,2026-03-02")
    rows = table(feed_reader, PATHS, path="onboarding-general")
    assert [row[2:5:2] for row in rows[1:]] == [
        ['\'=HYPERLINK("http://x.example","Anna")', "'+31 Klantenservice"],
        ["Bert Smit", "Buitendienst"],
        ["'@Carla", "'-Klantenservice"]]
    feed = table(feed_reader, PROGRESS_CSV, learner=ANNA)
    assert {row[5] for row in feed[1:]} == {'\'=HYPERLINK("http://x.example","Anna")'}


# --- refusals ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "query", "message"), [
    (PROGRESS_CSV, "limit=10", "limit: not a parameter of GET /api/v1/progress.csv"),
    (PROGRESS_CSV, "type=alert", "type: unknown type 'alert'"),
    (PROGRESS_CSV, "after=0", "after: not a cursor this API gave"),
    (PATHS, "path=nowhere", "path: unknown path 'nowhere'; one of onboarding-general"),
    (PATHS, "skill=crm-systems", "skill: not a parameter of GET /api/v1/matrix/paths.csv"),
    (SKILLS, "skill=crm", "skill: unknown skill 'crm'; one of "),
    (SKILLS, "phase=growth", "phase: unknown phase 'growth'"),
    (SKILLS, "status=gone", "status: unknown status 'gone'; one of active, leaver, alumni"),
    (SKILLS, "at=tomorrow", "at: 'tomorrow' is not an ISO 8601 date"),
    (SKILLS, "learner=bert", "learner: give a learner id or an e-mail address"),
])
def test_a_bad_parameter_is_a_400_before_any_csv(feed_reader, url, query, message):
    response = get(feed_reader, f"{url}?{query}", 400)
    assert response.get_json()["error"].startswith(message)


def test_matrices_need_a_working_mapping_and_credentials(feed_org, feed_api, tmp_path):
    app = create_app(services=replace(feed_org, mappings=MappingHolder(tmp_path / "none")))
    key, secret = feed_org.credentials.add("no-mapping", ["progress/read"])
    client = XAPIClient(app.test_client(), key, secret)
    for url in (PATHS, SKILLS):
        assert get(client, url, 503).get_json()["error"].startswith(
            "no working mapping is loaded")
        assert feed_api.app.test_client().get(url).status_code == 401
        assert feed_api("statements/read").get(url).status_code == 403
    assert get(client, PROGRESS_CSV).status_code == 200  # the feed needs none

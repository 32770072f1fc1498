"""GET /api/v1/learners, /learners/<id>, /alerts and /status on SQLite and PostgreSQL: shapes,
filters, paging, scopes, tenants and bad parameters."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import update

from lrs_bridge.clock import Clock
from lrs_bridge.journey.alert_rules import KINDS
from lrs_bridge.journey.roster import parse_roster
from lrs_bridge.store.credentials import find_tenant
from lrs_bridge.store.tables import progress_learners
from lrs_bridge.web.app import create_app
from tests.integration.conftest import XAPIClient
from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    import_roster,
    report,
    said,
    store,
    worker,
)

NOW = "2026-03-20T12:00:00"
ANNA, BERT, CARLA = "anna@noordwind.nl", "bert@noordwind.nl", "carla@noordwind.nl"
ROWS = (f"{ANNA},Anna de Boer,customer-service-agent,Lead@Noordwind.nl,Klantenservice,2026-03-02",
        f"{BERT},Bert Smit,field-technician,lead@noordwind.nl,Buitendienst,2026-02-02",
        f"{CARLA},Carla Kok,customer-service-agent,boss@noordwind.nl,Klantenservice,2026-03-02")
DIRK = "dirk@other.nl"  # of tenant "other"
LEARNERS, ALERTS, STATUS = "/api/v1/learners", "/api/v1/alerts", "/api/v1/status"


@pytest.fixture
def seeded(services):
    """Three learners of tenant default and one of tenant other, folded at NOW; Anna passed
    privacy after it fell overdue, so she has a resolved alert."""
    import_roster(services, *ROWS)
    import_roster(services, f"{DIRK},Dirk,team-lead,x@other.nl,Klantenservice,2026-03-02",
                  tenant="other")
    other = find_tenant(services.engine, "other")
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(ANNA, "failed", PRIVACY, "2026-03-05T09:00:00Z", score=0.5))
    store(services, said(DIRK, "completed", WELCOME, "2026-03-04T09:00:00Z"), tenant_id=other)
    worker(services, "2026-03-18T12:00:00").drain()
    store(services, said(ANNA, "passed", PRIVACY, "2026-03-19T09:00:00Z", score=0.9))
    worker(services, NOW).drain()
    return services


@pytest.fixture
def api(seeded):
    """A client factory on an app whose clock says NOW."""
    app = create_app(services=replace(seeded, clock=Clock(_at(NOW))))
    app.config["TESTING"] = True

    def make(*scopes: str, tenant: str = "default") -> XAPIClient:
        key, secret = seeded.credentials.add(f"api-{uuid.uuid4().hex[:8]}", list(scopes),
                                             tenant=tenant)
        return XAPIClient(app.test_client(), key, secret)

    make.app = app
    return make


@pytest.fixture
def reader(api) -> XAPIClient:
    return api("progress/read")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _get(client: XAPIClient, path: str, expect: int = 200, **params) -> dict:
    response = client.get(f"{path}?{urlencode(params)}" if params else path)
    assert response.status_code == expect, response.get_data(as_text=True)
    return response.get_json()


def _emails(body: dict) -> list[str]:
    return [entry["email"] for entry in body["learners"]]


def _id(client: XAPIClient, email: str) -> int:
    return _get(client, LEARNERS, email=email)["learners"][0]["id"]


# --- learners ----------------------------------------------------------------------------------

def test_learners_lists_the_tenants_learners_with_where_they_stand(reader):
    body = _get(reader, LEARNERS)
    assert _emails(body) == [ANNA, BERT, CARLA] and body["more"] is None
    anna = body["learners"][0]
    assert (anna["name"], anna["role"], anna["team"], anna["phase"]) == (
        "Anna de Boer", "customer-service-agent", "Klantenservice", "onboarding")
    assert anna["last_activity"] == "2026-03-19T09:00:00+00:00"
    general = next(p for p in anna["paths"] if p["id"] == "onboarding-general")
    assert general["status"] == "in_progress" and 0 < general["progress"] < 1
    assert anna["open_alerts"] == len(_get(reader, ALERTS, learner=anna["id"])["alerts"]) > 0
    assert body["learners"][1]["phase"] is None  # Bert has done nothing yet


@pytest.mark.parametrize(("params", "expected"), [
    ({"email": "ANNA@Noordwind.nl"}, [ANNA]),
    ({"team": "Klantenservice"}, [ANNA, CARLA]),
    ({"manager": "LEAD@noordwind.nl"}, [ANNA, BERT]),
    ({"role": "field-technician"}, [BERT]),
    ({"status": "active", "team": "Klantenservice", "manager": "boss@noordwind.nl"}, [CARLA]),
    ({"team": "Directie"}, []),
    ({"email": DIRK}, []),  # another tenant's
])
def test_learners_filters_combine(reader, params, expected):
    assert _emails(_get(reader, LEARNERS, **params)) == expected


def test_learners_filter_by_the_role_held_on_the_day(seeded, reader):
    data = (f"email,role,start_date,role_start_date\n"
            f"{BERT},team-lead,2026-02-02,2026-04-01\n").encode()
    mapping = seeded.mappings.current().mapping
    parsed = parse_roster(data, "r.csv", {r.id for r in mapping.roles},
                          {p.id for p in mapping.paths})
    seeded.learners.import_roster("default", parsed, "r.csv")
    assert _emails(_get(reader, LEARNERS, role="team-lead")) == []
    assert _emails(_get(reader, LEARNERS, role="team-lead", at="2026-04-01")) == [BERT]
    assert _emails(_get(reader, LEARNERS, role="field-technician", at="2026-04-01")) == []


def test_learners_pages_by_id_keeping_the_filters(reader):
    first = _get(reader, LEARNERS, team="Klantenservice", limit=1)
    assert _emails(first) == [ANNA] and "team=Klantenservice" in first["more"]
    second = _get(reader, first["more"])
    assert _emails(second) == [CARLA] and second["more"] is None
    everyone, page = [], {"more": f"{LEARNERS}?limit=2"}
    while page["more"]:
        page = _get(reader, page["more"])
        everyone += _emails(page)
    assert everyone == [ANNA, BERT, CARLA]


def test_a_learner_is_their_report_at_the_servers_time_or_at(seeded, reader):
    anna = _id(reader, ANNA)
    assert _get(reader, f"{LEARNERS}/{anna}") == report(seeded, ANNA, NOW)
    earlier = _get(reader, f"{LEARNERS}/{anna}", at="2026-03-10T00:00:00Z")
    assert earlier["at"] == "2026-03-10T00:00:00+00:00"
    steps = {s["module"]: s for p in earlier["paths"] for s in p["steps"]}
    # privacy-basics falls due on 2026-03-16: not overdue yet on the 10th.
    assert steps["privacy-basics"]["overdue"] is False
    assert steps["privacy-basics"]["status"] == "passed"  # the state read is today's


def test_a_learner_of_another_tenant_or_unknown_is_not_found(api, reader):
    dirk = _id(api("all/read", tenant="other"), DIRK)
    assert _get(reader, f"{LEARNERS}/{dirk}", 404)["error"] == f"no learner {dirk}"
    assert reader.get(f"{LEARNERS}/999999").status_code == 404
    assert reader.get(f"{LEARNERS}/{2 ** 63}").status_code == 404
    assert reader.get(f"{LEARNERS}/anna").status_code == 404


@pytest.mark.parametrize(("path", "query", "message"), [
    (LEARNERS, "teams=A", "teams: not a parameter of GET /api/v1/learners; known: after, "),
    (LEARNERS, "limit=0", "limit: must be a whole number from 1 to 500"),
    (LEARNERS, "limit=501", "limit: must be a whole number from 1 to 500"),
    (LEARNERS, "limit=ten", "limit: must be a whole number from 1 to 500"),
    (LEARNERS, "status=gone", "status: unknown status 'gone'; one of active, leaver, alumni"),
    (LEARNERS, "at=yesterday", "at: 'yesterday' is not an ISO 8601 date or date and time"),
    (LEARNERS, "team=A&team=B", "team: given more than once"),
    (LEARNERS, "team=", "team: empty"),
    (LEARNERS, "after=x", "after: not a cursor this API gave"),
    (f"{LEARNERS}/1", "limit=1", "limit: not a parameter of GET /api/v1/learners/1"),
    (ALERTS, "kind=late", "kind: unknown kind 'late'; one of " + ", ".join(KINDS)),
    (ALERTS, "status=closed", "status: unknown status 'closed'; one of open, resolved, all"),
    (ALERTS, "since=2026-02-30", "since: '2026-02-30' is not an ISO 8601 date"),
    (ALERTS, "learner=anna", "learner: give a learner id or an e-mail address"),
    (ALERTS, f"learner={2 ** 63}", "learner: give a learner id or an e-mail address"),
    (ALERTS, "after=12", "after: not a cursor this API gave"),
    (STATUS, "verbose=1", "verbose: not a parameter of GET /api/v1/status"),
])
def test_bad_parameters_are_a_400_that_says_why(reader, path, query, message):
    assert _get(reader, f"{path}?{query}", 400)["error"].startswith(message)


# --- alerts ------------------------------------------------------------------------------------

def test_alerts_are_open_ones_newest_first_by_default(seeded, reader):
    body = _get(reader, ALERTS)
    alerts = body["alerts"]
    assert alerts and {a["status"] for a in alerts} == {"open"} and body["more"] is None
    assert [(a["opened"], a["id"]) for a in alerts] == sorted(
        ((a["opened"], a["id"]) for a in alerts), reverse=True)
    assert {a["learner_email"] for a in alerts} == {ANNA, BERT, CARLA}  # never Dirk's


def test_alert_filters(seeded, reader):
    anna, bert = _id(reader, ANNA), _id(reader, BERT)
    resolved = _get(reader, ALERTS, status="resolved")["alerts"]
    # Passing privacy on the 19th cleared both alerts it had caused.
    assert sorted((a["learner"], a["kind"], a["subject"], a["resolved_reason"])
                  for a in resolved) == [
        (anna, "overdue", "onboarding-general/privacy-basics", "passed"),
        (anna, "skill_gap", "privacy-gdpr", "evidence")]
    every = _get(reader, ALERTS, status="all", limit=500)["alerts"]
    assert len(every) == len(_get(reader, ALERTS, limit=500)["alerts"]) + 2
    assert {a["learner"] for a in _get(reader, ALERTS, learner=bert)["alerts"]} == {bert}
    assert {a["learner"] for a in _get(reader, ALERTS, learner="Bert@Noordwind.nl")["alerts"]} \
        == {bert}
    assert _get(reader, ALERTS, learner="nobody@noordwind.nl")["alerts"] == []
    assert {a["learner_email"] for a in _get(reader, ALERTS, manager="LEAD@noordwind.nl")[
        "alerts"]} == {ANNA, BERT}
    assert {a["learner_email"] for a in _get(reader, ALERTS, team="Buitendienst")["alerts"]} \
        == {BERT}
    assert {a["kind"] for a in _get(reader, ALERTS, kind="skill_gap")["alerts"]} == {"skill_gap"}
    assert {a["phase"] for a in _get(reader, ALERTS, phase="onboarding")["alerts"]} == {
        "onboarding"}
    # The first fold (the 18th) opened the resolved alerts, the second one (the 20th) none.
    assert _get(reader, ALERTS, status="resolved", since="2026-03-19")["alerts"] == []
    assert len(_get(reader, ALERTS, status="resolved", since="2026-03-18")["alerts"]) == 2


def test_alerts_page_through_every_alert_once(reader):
    whole = _get(reader, ALERTS, status="all", limit=500)["alerts"]
    seen, page = [], {"more": f"{ALERTS}?status=all&limit=3"}
    while page["more"]:
        page = _get(reader, page["more"])
        assert len(page["alerts"]) <= 3
        seen += page["alerts"]
    assert seen == whole and len(whole) > 3


# --- status ------------------------------------------------------------------------------------

def test_status_counts_the_tenants_statements_marks_outbox_and_unknown_actors(seeded, api):
    store(seeded, said("zed@noordwind.nl", "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said("zed@noordwind.nl", "completed", PRIVACY, "2026-03-04T10:00:00Z"))
    worker(seeded, NOW).drain()
    store(seeded, said(ANNA, "completed", WELCOME, "2026-03-20T09:00:00Z"))  # waits
    with seeded.engine.begin() as conn:
        conn.execute(update(progress_learners).where(progress_learners.c.learner_id == 2)
                     .values(mapping_version="older"))
    version = seeded.mappings.current().version
    later = datetime.now(UTC) + timedelta(seconds=60)
    app = create_app(services=replace(seeded, clock=Clock(later)))
    key, secret = seeded.credentials.add("status", ["all/read"])
    body = _get(XAPIClient(app.test_client(), key, secret), STATUS)
    assert body["at"] == later.isoformat()
    assert body["statements"] == {"stored": 6, "voided": 0, "processed": 5}
    assert (body["lag"]["statements"], body["lag"]["learners"]) == (1, 0)
    assert 59 <= body["lag"]["seconds"] <= 120
    assert body["outbox"]["size"] > 0 and body["learners"] == 3
    assert body["mapping"] == {"version": version, "learners_behind": 1}
    assert body["unknown_actors"] == {"people": 1, "statements": 2}


def test_status_of_a_tenant_counts_only_its_own(api):
    body = _get(api("progress/read", tenant="other"), STATUS)
    assert body["statements"] == {"stored": 1, "voided": 0, "processed": 1}
    assert body["lag"] == {"statements": 0, "learners": 0, "seconds": 0.0}
    assert body["learners"] == 1 and body["unknown_actors"] == {"people": 0, "statements": 0}
    assert body["delivery"] == {"connectors": [], "totals": {
        "pending": 0, "due": 0, "done": 0, "dead": 0, "dead_last_24h": 0,
        "oldest_pending_seconds": None, "healthy": True}}


# --- credentials -------------------------------------------------------------------------------

ROUTES = (LEARNERS, f"{LEARNERS}/1", ALERTS, STATUS)


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_needs_credentials_and_a_reading_scope(api, path):
    assert api.app.test_client().get(path).status_code == 401
    for scopes in (("statements/write",), ("statements/read", "define", "state", "profile")):
        response = api(*scopes).get(path)
        assert response.status_code == 403
        assert response.get_json()["error"] == \
            "the credential's scopes do not allow progress/read"
    for scope in ("progress/read", "all/read", "all"):
        assert api(scope).get(path).status_code == 200


def test_progress_read_opens_nothing_under_xapi_nor_the_mapping(reader):
    for path in ("/xapi/statements", "/xapi/activities/state?activityId=https://x.nl/a&agent="
                 '{"mbox":"mailto:a@x.nl"}&stateId=s', "/xapi/agents?agent="
                 '{"mbox":"mailto:a@x.nl"}', "/api/v1/mappings"):
        assert reader.get(path).status_code == 403, path
    assert reader.post("/xapi/statements", json=said(ANNA, "completed", WELCOME,
                                                     "2026-03-20T09:00:00Z")).status_code == 403


def test_without_a_working_mapping_learners_are_unavailable_but_alerts_are_not(seeded, tmp_path):
    from lrs_bridge.mapping_files.holder import MappingHolder

    app = create_app(services=replace(seeded, mappings=MappingHolder(tmp_path / "none")))
    key, secret = seeded.credentials.add("no-mapping", ["progress/read"])
    client = XAPIClient(app.test_client(), key, secret)
    assert _get(client, LEARNERS, 503)["error"].startswith("no working mapping is loaded")
    assert _get(client, ALERTS)["alerts"]
    assert _get(client, STATUS)["mapping"] == {"version": None, "learners_behind": None}

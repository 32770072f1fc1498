"""GET /api/v1/metrics/journey on SQLite and PostgreSQL: a small organisation whose every
figure is worked out by hand in the comments, the filters, tenants, and bad parameters."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs_bridge.clock import Clock
from lrs_bridge.store.credentials import find_tenant
from lrs_bridge.web.app import create_app
from tests.integration.conftest import XAPIClient
from tests.integration.progress_helpers import import_roster, said, store, worker

URL = "/api/v1/metrics/journey"
HEAD = "email,name,role,manager_email,team,start_date,leave_date,status"
LEREN, HR = "https://leren.noordwind.example/", "https://hr.noordwind.example/"
FIRST_DAY = HR + "touchpoints/eerste-werkdag"
WELCOME = LEREN + "courses/welkom-bij-noordwind/les-1"
PRIVACY = LEREN + "modules/privacy-avg-basis"
BUDDY = HR + "programmas/buddyprogramma"
TALK = HR + "touchpoints/onboardinggesprek"
CRM_MICRO = LEREN + "micro/crm-klantdossier"
SHADOWING = HR + "onboarding/meeluisteren"
ENERGY = LEREN + "courses/energiecontracten-basis/les-1"
WORK_ORDER_MICRO = LEREN + "micro/werkorder-app"
EXIT_SURVEY = HR + "surveys/exit"
HALF_YEAR = {"from": "2026-01-01", "to": "2026-06-30"}

# Anna (customer service, 5 January 2026) completes both her onboarding paths by 3 February;
# Bert (field technician, 2 February) and Carla (customer service, 2 March, left 29 May) only
# begin theirs; Dirk (customer service since September 2025) passed privacy in September
# 2025; Eef (customer service, December 2024) did two onboarding modules then. Zoë is
# another tenant's.
ROSTER = ("anna@nw.nl,Anna,customer-service-agent,,Klantenservice,2026-01-05,,",
          "bert@nw.nl,Bert,field-technician,,Buitendienst,2026-02-02,,",
          "carla@nw.nl,Carla,customer-service-agent,,Klantenservice,2026-03-02,2026-05-29,leaver",
          "dirk@nw.nl,Dirk,customer-service-agent,,Klantenservice,2025-09-01,,",
          "eef@nw.nl,Eef,customer-service-agent,,Archief,2024-12-02,,")
STATEMENTS = (
    ("anna", "completed", FIRST_DAY, "2026-01-05"), ("anna", "completed", CRM_MICRO, "2026-01-07"),
    ("anna", "completed", WELCOME, "2026-01-08"), ("anna", "passed", PRIVACY, "2026-01-15", 0.9),
    ("anna", "completed", SHADOWING, "2026-01-20"), ("anna", "passed", ENERGY, "2026-01-26", 0.9),
    ("anna", "completed", BUDDY, "2026-01-30"), ("anna", "completed", TALK, "2026-02-03"),
    ("anna", "completed", CRM_MICRO, "2026-03-10"),
    ("bert", "completed", FIRST_DAY, "2026-02-02"),
    ("bert", "completed", WORK_ORDER_MICRO, "2026-02-04"),
    ("carla", "completed", FIRST_DAY, "2026-03-02"),
    ("carla", "responded", EXIT_SURVEY, "2026-05-25", 0.6),
    ("carla", "completed", EXIT_SURVEY, "2026-05-26", 0.8),
    ("dirk", "passed", PRIVACY, "2025-09-10", 0.9),
    ("eef", "completed", FIRST_DAY, "2024-12-02"), ("eef", "completed", WELCOME, "2025-01-06"),
)
NOW = "2027-01-15T12:00:00"


@pytest.fixture
def seeded(services):
    """The roster and statements above, folded by the worker."""
    return seed(services, ROSTER)


def seed(services, roster: tuple[str, ...]):
    """`roster` (ROSTER or the same people with other columns), Zoë of tenant other and the
    statements above, folded by the worker."""
    import_roster(services, *roster, head=HEAD)
    import_roster(services, "zoe@other.nl,Zoë,customer-service-agent,,Klantenservice,"
                            "2026-01-05,,", head=HEAD, tenant="other")
    statements = [said(f"{who}@nw.nl", verb, activity, f"{day}T09:00:00Z", score=score)
                  for who, verb, activity, day, *rest in STATEMENTS
                  for score in [rest[0] if rest else None]]
    store(services, *statements)
    store(services, said("zoe@other.nl", "completed", FIRST_DAY, "2026-01-05T09:00:00Z"),
          tenant_id=find_tenant(services.engine, "other"))
    worker(services, NOW).drain()
    return services


@pytest.fixture
def api(seeded):
    app = create_app(services=replace(
        seeded, clock=Clock(datetime.fromisoformat(NOW).replace(tzinfo=UTC))))
    app.config["TESTING"] = True

    def make(*scopes: str, tenant: str = "default") -> XAPIClient:
        key, secret = seeded.credentials.add(f"api-{uuid.uuid4().hex[:8]}", list(scopes),
                                             tenant=tenant)
        return XAPIClient(app.test_client(), key, secret)

    return make


@pytest.fixture
def reader(api) -> XAPIClient:
    return api("progress/read")


def get(client: XAPIClient, expect: int = 200, **params) -> dict:
    response = client.get(f"{URL}?{urlencode(params)}" if params else URL)
    assert response.status_code == expect, response.get_data(as_text=True)
    return response.get_json()


def by(items: list[dict], key: str) -> dict:
    return {item[key]: item for item in items}


def test_participation_per_phase_and_month(reader):
    body = get(reader, metrics="participation", **HALF_YEAR)
    assert body["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    phases = by(body["participation"]["phases"], "phase")
    # Onboarding windows: Anna 5 Jan-4 Feb, Bert 2 Feb-4 Mar, Carla 2 Mar-1 Apr (30 days);
    # each was active in onboarding in a month of their window (Anna also in March, outside).
    onboarding = phases["onboarding"]
    assert (onboarding["audience"], onboarding["participants"], onboarding["rate"],
            onboarding["active"]) == (3, 3, 1.0, 3)
    assert [(m["month"], m["audience"], m["participants"]) for m in onboarding["months"]] == [
        ("2026-01", 1, 1), ("2026-02", 2, 2), ("2026-03", 2, 1), ("2026-04", 1, 0),
        ("2026-05", 0, 0), ("2026-06", 0, 0)]
    # Development (a year from the start; Carla's ends when she leaves): Anna, Dirk from
    # January, Bert from February, Carla March to May; nobody active.
    assert [m["audience"] for m in phases["development"]["months"]] == [2, 3, 4, 4, 4, 3]
    assert (phases["development"]["participants"], phases["development"]["rate"]) == (0, 0.0)
    # Retention (18 months from the start): the same and Eef, whose window ends 2 June.
    assert phases["retention"]["audience"] == 5
    assert [m["audience"] for m in phases["retention"]["months"]] == [3, 4, 5, 5, 5, 4]
    # Offboarding: Carla, 29 May to 12 June; her exit survey answers in May.
    assert [(m["audience"], m["participants"]) for m in phases["offboarding"]["months"]][4:] \
        == [(1, 1), (1, 0)]
    assert phases["attract"] == {"phase": "attract", "audience": 0, "participants": 0,
                                 "rate": None, "active": 0, "months": [
                                     {"month": f"2026-0{n}", "audience": 0, "participants": 0,
                                      "rate": None} for n in range(1, 7)]}


def test_participation_over_two_blocks_of_months_counts_each_learner_once(reader):
    # Eef's onboarding window, 2 December 2024 to 1 January 2025, spans the blocks that meet
    # in January 2025; she was active in both months.
    body = get(reader, metrics="participation", **{"from": "2024-12-01", "to": "2025-01-31"})
    onboarding = by(body["participation"]["phases"], "phase")["onboarding"]
    assert (onboarding["audience"], onboarding["participants"], onboarding["active"]) == (1, 1, 1)
    assert [(m["month"], m["audience"], m["participants"]) for m in onboarding["months"]] == [
        ("2024-12", 1, 1), ("2025-01", 1, 1)]


def test_path_completion(reader):
    paths = by(get(reader, metrics="paths", **HALF_YEAR)["paths"], "path")
    # Everyone follows general onboarding; only Anna completed it (3 February); Bert, Carla,
    # Dirk and Eef are past its last due date.
    assert paths["onboarding-general"] == {
        "path": "onboarding-general", "phase": "onboarding", "following": 5, "completed": 1,
        "rate": 0.2, "completed_in_period": 1, "overdue": 4}
    assert (paths["onboarding-customer-service"]["following"],
            paths["onboarding-customer-service"]["completed"],
            paths["onboarding-customer-service"]["overdue"]) == (4, 1, 3)
    # Eef's development path was due on 2 December 2025; the others' are not due yet.
    assert (paths["development-customer-service"]["following"],
            paths["development-customer-service"]["overdue"]) == (4, 1)
    assert (paths["offboarding"]["following"], paths["offboarding"]["overdue"]) == (1, 1)
    assert paths["onboarding-team-lead"]["following"] == 0
    assert paths["onboarding-team-lead"]["rate"] is None
    # Before Anna completed it, in 2025, nobody had; Anna and Bert had not started then.
    earlier = by(get(reader, metrics="paths", **{"from": "2025-01-01", "to": "2025-12-31"})[
        "paths"], "path")
    assert (earlier["onboarding-general"]["following"],
            earlier["onboarding-general"]["completed"]) == (2, 0)


def test_skill_gap_matrix_as_at_the_end_of_the_period(reader):
    gaps = get(reader, metrics="skill_gaps", **HALF_YEAR)["skill_gaps"]
    assert gaps["roles"] == ["customer-service-agent", "field-technician", "energy-advisor",
                             "team-lead"]
    cells = {(c["role"], c["skill"]): c for c in gaps["cells"]}
    # Customer service on 30 June: Anna, Dirk and Eef (Carla has left). Culture: Anna 2
    # (buddy programme), Eef 1 (welcome), Dirk 0; target 2.
    assert cells[("customer-service-agent", "company-culture")] == {
        "role": "customer-service-agent", "skill": "company-culture", "target": 2,
        "learners": 3, "below_target": 2, "share_below": 0.6667, "mean_gap": 1.0}
    # CRM: Anna 1 (the 10-minute moment), the others 0; target 3: gaps 2 + 3 + 3.
    assert (cells[("customer-service-agent", "crm-systems")]["below_target"],
            cells[("customer-service-agent", "crm-systems")]["mean_gap"]) == (3, 2.6667)
    # Privacy: Anna and Dirk 2, Eef 0.
    assert cells[("customer-service-agent", "privacy-gdpr")]["mean_gap"] == 0.6667
    # Bert: the work-order moment gives level 1 of 2.
    assert cells[("field-technician", "work-order-app")]["mean_gap"] == 1.0
    assert cells[("team-lead", "coaching-leadership")]["learners"] == 0


def test_skill_decay_of_skills_that_expire(reader):
    decay = get(reader, metrics="skill_decay", expiring_within="90", **HALF_YEAR)["skill_decay"]
    skills = by(decay["skills"], "skill")
    assert [s["skill"] for s in decay["skills"]] == ["privacy-gdpr", "safety-vca",
                                                    "electrical-safety"]
    # Dirk's privacy evidence of 10 September 2025 expires on 10 September 2026, within 90
    # days of 30 June; Anna's lasts to January 2027; Bert and Eef never had any.
    assert skills["privacy-gdpr"] == {"skill": "privacy-gdpr", "valid_for": "P1Y",
                                      "learners": 4, "held": 2, "expiring": 1, "expired": 0,
                                      "never": 2}
    assert get(reader, metrics="skill_decay", **HALF_YEAR)["skill_decay"]["within_days"] == 30
    # As at 30 September 2026 Dirk's has expired.
    later = get(reader, metrics="skill_decay", **{"from": "2026-07-01", "to": "2026-09-30"})
    assert by(later["skill_decay"]["skills"], "skill")["privacy-gdpr"]["expired"] == 1


def test_time_to_productivity_and_retention(reader):
    body = get(reader, metrics="time_to_productivity,retention", **HALF_YEAR)
    # Anna, Bert and Carla started in the period; Anna completed onboarding 29 days after
    # her start (week 5).
    ttp = body["time_to_productivity"]
    assert {k: v for k, v in ttp.items() if k != "weeks"} == {
        "onboarding_phase": "onboarding", "started": 3, "without_onboarding_path": 0,
        "completed": 1, "not_completed": 2, "median_days": 29}
    assert [w["learners"] for w in ttp["weeks"]] == [0, 0, 0, 0, 1] + [0] * 8
    # Dirk's six-month day (1 March 2026) is the only one in the period; he stayed.
    assert body["retention"]["learners"] == 1 and body["retention"]["rate"] == 1.0
    # Six-month days in the second half of 2026: Anna (onboarded, stayed), Bert (stayed, not
    # onboarded) and Carla (left in May).
    second = get(reader, metrics="retention", **{"from": "2026-07-01", "to": "2026-12-31"})
    assert second["retention"] == {
        "months": 6, "learners": 3, "retained": 2, "rate": 0.6667,
        "onboarding_completed": {"learners": 1, "retained": 1, "rate": 1.0},
        "onboarding_not_completed": {"learners": 2, "retained": 1, "rate": 0.5}}


def test_microlearning_and_exit_feedback(reader):
    body = get(reader, metrics="microlearning,exit_feedback", **HALF_YEAR)
    micro = body["microlearning"]
    # Three completions of 10-minute moments (Anna 7 January and 10 March, Bert 4 February)
    # by two of the five learners employed in the 181 days (25.857 weeks): 3 / (5 x 25.857).
    assert (micro["learners"], micro["active_learners"], micro["completions"],
            micro["per_learner_per_week"]) == (5, 2, 3, 0.0232)
    weeks = by(micro["by_week"], "week")
    assert micro["by_week"][0] == {"week": "2025-12-29", "days": 4, "completions": 0,
                                   "per_learner": 0.0}
    assert (weeks["2026-01-05"]["completions"], weeks["2026-03-09"]["per_learner"]) == (1, 0.2)
    assert len(micro["by_week"]) == 27
    # Carla, the period's one leaver, answered the exit survey twice: 0.6 and 0.8.
    feedback = body["exit_feedback"]
    assert {k: v for k, v in feedback.items() if k not in ("scores", "by_module")} == {
        "modules": ["exit-survey"], "leavers": 1, "respondents": 1, "response_rate": 1.0,
        "responses": 2, "scored": 2, "mean_score": 0.7, "below_zero": 0}
    assert [s["responses"] for s in feedback["scores"]] == [0, 0, 0, 1, 1]


def test_coverage_names_phases_without_activity(reader):
    coverage = get(reader, metrics="coverage", **HALF_YEAR)["coverage"]
    assert coverage["without_content"] == []
    assert coverage["without_activity"] == ["attract", "apply", "development", "retention"]
    assert by(coverage["phases"], "phase")["onboarding"]["active"] == 3


def test_filters_by_team_role_and_phase(reader):
    team = get(reader, team="Klantenservice", metrics="participation,paths", **HALF_YEAR)
    onboarding = by(team["participation"]["phases"], "phase")["onboarding"]
    assert (onboarding["audience"], onboarding["participants"]) == (2, 2)  # Anna, Carla
    assert by(team["paths"], "path")["onboarding-general"]["following"] == 3  # + Dirk
    role = get(reader, role="field-technician", metrics="paths,skill_gaps", **HALF_YEAR)
    assert by(role["paths"], "path")["onboarding-general"]["following"] == 1  # Bert
    assert role["skill_gaps"]["roles"] == ["field-technician"]
    phase = get(reader, phase="offboarding", **HALF_YEAR)
    assert [p["phase"] for p in phase["participation"]["phases"]] == ["offboarding"]
    assert [p["path"] for p in phase["paths"]] == ["offboarding"]
    assert phase["time_to_productivity"] is None and phase["retention"] is None
    assert phase["exit_feedback"]["responses"] == 2
    assert phase["skill_gaps"]["skills"] == []  # knowledge transfer: no role needs it
    onboarding_only = get(reader, phase="onboarding", **HALF_YEAR)
    assert onboarding_only["exit_feedback"]["modules"] == []
    assert onboarding_only["microlearning"]["short_modules"] == [
        "crm-customer-file-micro", "work-order-app-micro", "absence-talk-micro"]
    assert onboarding_only["time_to_productivity"]["started"] == 3


def test_a_tenant_sees_only_its_own_learners(api):
    other = get(api("progress/read", tenant="other"), metrics="paths,participation",
                **HALF_YEAR)
    assert by(other["paths"], "path")["onboarding-general"]["following"] == 1  # Zoë
    assert by(other["participation"]["phases"], "phase")["onboarding"]["participants"] == 1


def test_the_default_period_is_twelve_months_up_to_today(reader):
    body = get(reader, metrics="coverage")
    assert body["period"] == {"from": "2026-02-01", "to": "2027-01-15"}
    assert set(get(reader)) == {"period", "filters", "participation", "paths", "skill_gaps",
                                "skill_decay", "time_to_productivity", "retention",
                                "microlearning", "exit_feedback", "coverage"}


@pytest.mark.parametrize(("params", "named"), [
    ({"from": "2026-13-01"}, "from"), ({"to": "2026-02-30"}, "to"),
    ({"from": "2026-03-01T10:00:00"}, "from"), ({"to": "yesterday"}, "to"),
    ({"from": "2026-06-01", "to": "2026-05-01"}, "to"),
    ({"from": "2020-01-01", "to": "2026-01-01"}, "to"), ({"from": "1800-01-01"}, "from"),
    ({"from": "2027-02-01"}, "from"), ({"from": "2020-01-01"}, "from"),  # today: 2027-01-15
    ({"phase": "growth"}, "phase"), ({"role": "astronaut"}, "role"), ({"team": " "}, "team"),
    ({"team": "Klanten\x00service"}, "team"),
    ({"metrics": "participation,happiness"}, "metrics"),
    ({"expiring_within": "-1"}, "expiring_within"), ({"expiring_within": "5000"},
                                                      "expiring_within"),
    ({"colour": "red"}, "colour"),
])
def test_bad_parameters_are_a_400_naming_them(reader, params, named):
    error = get(reader, 400, **params)["error"]
    assert error.startswith(f"{named}: "), error


def test_a_parameter_given_twice_is_a_400(reader):
    response = reader.get(f"{URL}?phase=onboarding&phase=offboarding")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("phase: ")


def test_credentials_and_the_scope_are_required(api, app):
    assert app.test_client().get(URL).status_code == 401
    assert api("statements/read").get(URL).status_code == 403
    assert api("all/read").get(f"{URL}?metrics=coverage").status_code == 200


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["from", "to", "phase", "role", "team", "metrics",
                                        "expiring_within"]),
                       st.text(max_size=12) | st.dates().map(str) | st.sampled_from(
                           ["onboarding", "team-lead", "paths,coverage", "0", "3650"]),
                       max_size=4))
def test_any_parameters_get_a_200_or_a_400_never_a_500(reader, params):
    response = reader.get(f"{URL}?{urlencode(params)}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)

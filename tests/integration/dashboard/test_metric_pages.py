"""The journey overview, paths and skill-gap pages on SQLite and PostgreSQL: the journey
metrics' figures of a small organisation, worked out by hand, with the filters, CSV, bad
filters, and a manager seeing only their team.

The organisation is the one of test_journey_metrics_api (its statements; whose figures are
explained there), with managers: Lead manages Anna and Carla (Klantenservice), Boss manages
Bert (Buitendienst), Dirk (Klantenservice) and Eef (Archief). The period is the first half
of 2026 unless a test says otherwise; the clock stands at 15 January 2027.

Per phase, "following" counts the learners whose anchor date of one of the phase's paths
had come by 30 June 2026, and "completed" those of them who had completed every one they
follow: onboarding (general, and the role's onboarding path) is followed by all five and
completed by Anna alone; development (the role's path) and retention (retention-growth, the
mobility paths, Bert's safety refresher) by all five, completed by nobody; offboarding by
Carla alone (her leave date), not completed; attract and apply have no paths."""

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from lrs_bridge.clock import Clock
from lrs_bridge.web.app import create_app
from tests.integration.dashboard.conftest import PASSWORD, Browser
from tests.integration.dashboard.html_tables import rows_by_name, table
from tests.integration.progress_helpers import import_roster, said, store, worker
from tests.integration.test_journey_metrics_api import STATEMENTS

NOW = "2027-01-15T12:00:00"
HEAD = "email,name,role,manager_email,team,start_date,leave_date,status"
ROSTER = (
    "anna@nw.nl,Anna,customer-service-agent,lead@nw.nl,Klantenservice,2026-01-05,,",
    "bert@nw.nl,Bert,field-technician,boss@nw.nl,Buitendienst,2026-02-02,,",
    "carla@nw.nl,Carla,customer-service-agent,Lead@NW.nl,Klantenservice,2026-03-02,"
    "2026-05-29,leaver",
    "dirk@nw.nl,Dirk,customer-service-agent,boss@nw.nl,Klantenservice,2025-09-01,,",
    "eef@nw.nl,Eef,customer-service-agent,boss@nw.nl,Archief,2024-12-02,,")
ADMIN, LD, LEAD, BOSS = "admin@nw.nl", "ld@nw.nl", "lead@nw.nl", "boss@nw.nl"
HALF_YEAR = "from=2026-01-01&to=2026-06-30"
PAGES = ("/dashboard/overview", "/dashboard/paths", "/dashboard/skill-gaps")
FUNNEL_HEAD = ["In the audience", "Taking part", "Participation", "Following its paths",
               "Completed", "Completion"]


@pytest.fixture
def metrics_app(services):
    """The organisation folded at NOW, its dashboard users, and the app at NOW."""
    import_roster(services, *ROSTER, head=HEAD)
    import_roster(services, "zoe@other.nl,Zoë,field-technician,lead@nw.nl,Klantenservice,"
                            "2026-01-05,,", head=HEAD, tenant="other")
    store(services, *[said(f"{who}@nw.nl", verb, activity, f"{day}T09:00:00Z",
                           score=rest[0] if rest else None)
                      for who, verb, activity, day, *rest in STATEMENTS])
    worker(services, NOW).drain()
    for email, role in ((ADMIN, "admin"), (LD, "ld"), (LEAD, "manager"), (BOSS, "manager")):
        services.dashboard_users.add(email, role, PASSWORD)
    app = create_app(services=replace(
        services, clock=Clock(datetime.fromisoformat(NOW).replace(tzinfo=UTC))))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def signed_in(metrics_app):
    """`signed_in(email, language="en")`: a client signed in as `email`."""

    def make(email: str, language: str = "en") -> Browser:
        made = Browser(metrics_app, language)
        assert made.sign_in(email).status_code == 302
        return made

    return make


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_funnel_counts_each_phase_of_the_mapping_in_order(signed_in):
    page = signed_in(LD).text(f"/dashboard/overview?{HALF_YEAR}")
    rows = table(page, "funnel")
    assert rows[0] == ["Phase", *FUNNEL_HEAD]
    # Audience and taking part as the participation metric gives them (onboarding: Anna,
    # Bert and Carla, each active in their window; development: Anna, Dirk, Bert, Carla;
    # retention: the five; offboarding: Carla, who answered the exit survey in May).
    assert rows[1:] == [
        ["Attract and first contact", "0", "0", "—", "0", "0", "—"],
        ["Application and selection", "0", "0", "—", "0", "0", "—"],
        ["Onboarding and introduction", "3", "3", "100%", "5", "1", "20%"],
        ["Development and performance", "4", "0", "0%", "5", "0", "0%"],
        ["Retention and growth", "5", "0", "0%", "5", "0", "0%"],
        ["Departure and alumni", "1", "1", "100%", "1", "0", "0%"]]
    assert "From Jan 1, 2026 to Jun 30, 2026." in page
    # The bars: the largest number (5) is the full width; onboarding's completed is 1 of 5.
    assert 'class="hbar done" style="width: 20.0%"' in page


def test_the_funnel_filters_by_role_and_team(signed_in):
    admin = signed_in(ADMIN)
    bert = rows_by_name(admin.text(f"/dashboard/overview?{HALF_YEAR}&role=field-technician"),
                        "funnel")
    assert bert["Onboarding and introduction"] == ["1", "1", "100%", "1", "0", "0%"]
    assert bert["Departure and alumni"] == ["0", "0", "—", "0", "0", "—"]
    # Klantenservice: Anna and Carla in the onboarding audience (Dirk started in 2025);
    # Anna, Carla and Dirk follow its paths, Anna completed them.
    team = rows_by_name(admin.text(f"/dashboard/overview?{HALF_YEAR}&team=Klantenservice"),
                        "funnel")
    assert team["Onboarding and introduction"] == ["2", "2", "100%", "3", "1", "33%"]
    # An empty field of the form means any.
    assert rows_by_name(admin.text(f"/dashboard/overview?{HALF_YEAR}&role=&team="), "funnel")[
        "Onboarding and introduction"] == ["3", "3", "100%", "5", "1", "20%"]


def test_the_period_defaults_to_the_twelve_months_up_to_today(signed_in):
    page = signed_in(LD).text("/dashboard/overview")
    assert 'name="from" value="2026-02-01"' in page and 'name="to" value="2027-01-15"' in page
    # From February 2026: Anna's onboarding window (to 4 February) still touches it.
    assert rows_by_name(page, "funnel")["Onboarding and introduction"][:2] == ["3", "3"]


def test_the_overview_csv_has_the_funnels_numbers(signed_in):
    admin = signed_in(ADMIN)
    page = admin.text(f"/dashboard/overview?{HALF_YEAR}&team=Klantenservice")
    link = "/dashboard/overview.csv?team=Klantenservice&amp;from=2026-01-01&amp;to=2026-06-30"
    assert f'href="{link}"' in page
    response = admin.get(link.replace("&amp;", "&"))
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="journey-overview-2026-01-01-to-2026-06-30.csv"'
    rows = _csv(response.get_data(as_text=True))
    assert [r["phase"] for r in rows] == ["attract", "apply", "onboarding", "development",
                                          "retention", "offboarding"]
    assert rows[2] == {"from": "2026-01-01", "to": "2026-06-30", "phase": "onboarding",
                       "phase_name": "Onboarding and introduction", "audience": "2",
                       "taking_part": "2", "participation_rate": "1.0", "following": "3",
                       "completed": "1", "completion_rate": "0.3333"}


def test_the_paths_page_lists_every_path_with_its_completion(signed_in):
    page = signed_in(LD).text(f"/dashboard/paths?{HALF_YEAR}")
    rows = rows_by_name(page, "paths")
    assert table(page, "paths")[0] == ["Path", "Phase", "Learners on it", "Completed",
                                       "Completion rate", "Completed in the period",
                                       "Past the due date"]
    assert len(rows) == 14  # every path of the sample mapping, followed or not
    # General onboarding: all five follow it, Anna completed it on 3 February; the four
    # others are past its last due date (30 days).
    assert rows["General onboarding: your first month"] == [
        "Onboarding and introduction", "5", "1", "20%", "1", "4"]
    assert rows["Onboarding customer service"] == [
        "Onboarding and introduction", "4", "1", "25%", "1", "3"]
    assert rows["Development path customer service"][1:3] == ["4", "0"]
    assert rows["Onboarding team leads"] == ["Onboarding and introduction", "0", "0", "—",
                                             "0", "0"]
    assert "/dashboard/learners" not in page  # no list of a path's learners to link to


def test_the_paths_page_filters_by_role_and_its_csv_follows(signed_in):
    admin = signed_in(ADMIN)
    rows = rows_by_name(admin.text(f"/dashboard/paths?{HALF_YEAR}&role=field-technician"),
                        "paths")
    assert rows["General onboarding: your first month"][1:3] == ["1", "0"]  # Bert
    assert rows["Onboarding customer service"][1] == "0"
    found = _csv(admin.text(f"/dashboard/paths.csv?{HALF_YEAR}&team=Archief"))
    eef = {r["path"]: r for r in found}["onboarding-general"]
    assert (eef["following"], eef["completed"], eef["completion_rate"], eef["overdue"]) == (
        "1", "0", "0.0", "1")
    assert eef["path_name"] == "General onboarding: your first month"


def _heat_map(page: str) -> dict[tuple[str, str], str]:
    """(role, skill) -> the cell as shown, of the heat map (a row per skill)."""
    head, *body = table(page, "heatmap")
    return {(role, row[0]): cell for row in body
            for role, cell in zip(head[1:], row[1:], strict=True)}


def test_the_heat_map_shows_the_share_below_target_and_the_mean_gap(signed_in):
    page = signed_in(LD).text(f"/dashboard/skill-gaps?{HALF_YEAR}")
    assert table(page, "heatmap")[0] == ["Skill", "Customer service agent",
                                         "Field service technician", "Energy advisor",
                                         "Team lead"]
    cells = _heat_map(page)
    service = {skill: cell for (role, skill), cell in cells.items()
               if role == "Customer service agent"}
    # As at 30 June: Anna, Dirk and Eef (Carla has left). Culture: Anna 2, Eef 1, Dirk 0 of
    # target 2; CRM: Anna 1, the others 0 of 3; privacy: Anna and Dirk 2, Eef 0 of 2.
    assert service["Noordwind culture and core values"] == "67% gap 1.0 2 of 3 below · target 2"
    assert service["Working in the customer system (CRM)"] == \
        "100% gap 2.67 3 of 3 below · target 3"
    assert service["Privacy and customer data (GDPR)"] == "33% gap 0.67 1 of 3 below · target 2"
    assert service["Safe working (VCA)"] == "no target"  # the role asks nothing of it
    # Bert: the work-order moment gave level 1 of 2.
    assert cells[("Field service technician", "Using the work-order app")] == \
        "100% gap 1.0 1 of 1 below · target 2"
    assert cells[("Team lead", "Coaching leadership")] == "no learners · target 3"
    # The colour grows with the share (0.06 + 0.79 x share), the number printed in it.
    assert 'class="light" style="background-color: rgba(164, 64, 11, 0.587)"' in page  # 2/3
    assert 'class="dark" style="background-color: rgba(164, 64, 11, 0.85)"' in page  # all


def test_the_heat_map_filters_by_team_and_phase(signed_in):
    admin = signed_in(ADMIN)
    archief = admin.text(f"/dashboard/skill-gaps?{HALF_YEAR}&team=Archief")
    assert _heat_map(archief)[("Customer service agent", "Noordwind culture and core values")] \
        == "100% gap 1.0 1 of 1 below · target 2"
    # Knowledge transfer, the offboarding phase's skill, is no role's target.
    offboarding = admin.text(f"/dashboard/skill-gaps?{HALF_YEAR}&phase=offboarding")
    assert "No role targets a skill here." in offboarding and 'class="heatmap"' not in offboarding
    rows = _csv(admin.text(f"/dashboard/skill-gaps.csv?{HALF_YEAR}&team=Archief"))
    culture = {(r["role"], r["skill"]): r for r in rows}[
        ("customer-service-agent", "company-culture")]
    assert culture == {"as_at": "2026-06-30", "role": "customer-service-agent",
                       "role_name": "Customer service agent", "skill": "company-culture",
                       "skill_name": "Noordwind culture and core values", "target": "2",
                       "learners": "1", "below_target": "1", "share_below": "1.0",
                       "mean_gap": "1.0"}
    assert ("field-technician", "crm-systems") not in {(r["role"], r["skill"]) for r in rows}


def test_a_manager_sees_the_figures_of_their_own_team_only(signed_in):
    lead = signed_in(LEAD)
    page = lead.text(f"/dashboard/overview?{HALF_YEAR}")
    assert "Your team only." in page
    funnel = rows_by_name(page, "funnel")
    # Anna and Carla (Carla's roster row names Lead in another case).
    assert funnel["Onboarding and introduction"] == ["2", "2", "100%", "2", "1", "50%"]
    assert funnel["Departure and alumni"] == ["1", "1", "100%", "1", "0", "0%"]
    boss = rows_by_name(signed_in(BOSS).text(f"/dashboard/overview?{HALF_YEAR}"), "funnel")
    # Bert in his onboarding window, Dirk and Eef long before; none completed.
    assert boss["Onboarding and introduction"] == ["1", "1", "100%", "3", "0", "0%"]
    assert boss["Retention and growth"] == ["3", "0", "0%", "3", "0", "0%"]
    paths = rows_by_name(lead.text(f"/dashboard/paths?{HALF_YEAR}"), "paths")
    assert paths["General onboarding: your first month"] == [
        "Onboarding and introduction", "2", "1", "50%", "1", "1"]
    # As at 30 June Lead's one customer service agent is Anna (culture 2, CRM 1).
    gaps = _csv(lead.text(f"/dashboard/skill-gaps.csv?{HALF_YEAR}"))
    cells = {(r["role"], r["skill"]): (r["learners"], r["below_target"]) for r in gaps}
    assert cells[("customer-service-agent", "company-culture")] == ("1", "0")
    assert cells[("customer-service-agent", "crm-systems")] == ("1", "1")
    assert cells[("field-technician", "work-order-app")] == ("0", "0")
    # The team choices are their team's only, and another team is refused, not shown as
    # zeros (Buitendienst is Bert's, Boss's team).
    assert '<option value="Buitendienst"' not in page
    assert '<option value="Klantenservice"' in page
    for path in ("/dashboard/overview", "/dashboard/skill-gaps.csv"):
        assert "There is no team “Buitendienst” among the learners you see." in lead.text(
            f"{path}?{HALF_YEAR}&team=Buitendienst", expect=400)


def test_the_pages_are_in_the_navigation_in_order_first_of_all(signed_in):
    page = signed_in(LEAD).text("/")
    assert page.index('href="/dashboard/overview">Journey') < page.index(
        'href="/dashboard/paths">Paths') < page.index(
        'href="/dashboard/skill-gaps">Skill gaps') < page.index('href="/dashboard/alerts"')


@pytest.mark.parametrize(("query", "message"), [
    ("role=astronaut", "There is no role “astronaut” in the mapping."),
    ("team=Nowhere", "There is no team “Nowhere” among the learners you see."),
    ("team=Klanten%01service", "There is no team “Klanten\x01service”"),
    ("from=2026-13-01", "From: “2026-13-01” is not a date (YYYY-MM-DD, e.g. 2026-03-01)."),
    ("to=yesterday", "To: “yesterday” is not a date"),
    ("from=2026-06-01&to=2026-05-01",
     "The period ends (May 1, 2026) before it begins (Jun 1, 2026)."),
    ("from=2020-01-01&to=2026-01-01", "A period may span at most five years."),
    # `to` left out is today, 15 January 2027
    ("from=2027-02-01", "The period ends (Jan 15, 2027) before it begins (Feb 1, 2027)."),
    ("to=0999-01-01", "To: a date between 1900-01-01 and 9998-12-31, please."),
])
def test_a_bad_filter_is_a_400_page_saying_what_is_wrong(signed_in, query, message):
    admin = signed_in(ADMIN)
    for path in ("/dashboard/overview", "/dashboard/paths.csv"):
        page = admin.text(f"{path}?{query}", expect=400)
        assert "Bad request (400)" in page and message in page


def test_the_400_page_is_in_the_readers_language(signed_in):
    dutch = signed_in(ADMIN, language="nl")
    assert "De mapping kent geen functie „astronaut”." in dutch.text(
        "/dashboard/paths?role=astronaut", expect=400)
    assert "Tot en met: „gisteren” is geen datum" in dutch.text(
        "/dashboard/skill-gaps?to=gisteren", expect=400)


def test_the_heat_map_takes_a_phase_and_no_role(signed_in):
    admin = signed_in(ADMIN)
    assert "There is no phase “growth” in the mapping." in admin.text(
        "/dashboard/skill-gaps?phase=growth", expect=400)
    # The overview has no phase filter and the heat map no role filter: they are not read.
    assert admin.get("/dashboard/skill-gaps?role=astronaut").status_code == 200
    assert admin.get("/dashboard/overview?phase=growth").status_code == 200


@pytest.mark.parametrize("path", [*PAGES, *(f"{p}.csv" for p in PAGES)])
def test_signing_in_comes_first(metrics_app, path):
    response = metrics_app.test_client().get(path)
    assert response.status_code == 302
    assert response.location == f"/dashboard/login?next={path}"


def test_the_pages_are_in_dutch(signed_in):
    dutch = signed_in(LD, language="nl")
    page = dutch.text(f"/dashboard/overview?{HALF_YEAR}")
    assert table(page, "funnel")[0] == ["Fase", "In de doelgroep", "Doet mee", "Deelname",
                                        "Volgt de leerpaden", "Afgerond", "Afronding"]
    assert rows_by_name(page, "funnel")["Onboarding en introductie"] == [
        "3", "3", "100%", "5", "1", "20%"]
    assert "Van 1 jan 2026 tot 30 jun 2026." in page
    gaps = _heat_map(dutch.text(f"/dashboard/skill-gaps?{HALF_YEAR}"))
    assert gaps[("Klantenservicemedewerker", "Cultuur en kernwaarden van Noordwind")] == \
        "67% tekort 1,0 2 van 3 eronder · doel 2"
    assert gaps[("Teamleider", "Coachend leidinggeven")] == "geen medewerkers · doel 3"

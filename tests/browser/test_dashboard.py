"""The dashboard in a real browser: headless Chromium (Debian's, driven by Playwright; no
browser download) against a real `lrs-bridge serve`. An administrator signs in, opens every
page (the journey overview, paths and skill-gap heat map with a filter), follows an alert to
its learner, filters the metrics and downloads a chart's CSV, and switches to Dutch; a manager
cannot open a learner of another team and sees their team's metrics. A screenshot of each page
is saved under the test's tmp_path.

Needs /usr/bin/chromium and the `playwright` package (the `test` extra). Without them the tests
are skipped, unless LRS_BRIDGE_REQUIRE_BROWSER=1 (as in CI), where they fail.
"""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from tests.e2e.polling import eventually
from tests.live_server import live_server, run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
MAPPINGS = Path(__file__).parents[2] / "mappings"
ADL = "http://adlnet.gov/expapi/verbs/"
WELCOME = "https://leren.noordwind.example/courses/welkom-bij-noordwind/les-1"
PRIVACY = "https://leren.noordwind.example/modules/privacy-avg-basis"
PASSWORD = "browser-test-password"
ADMIN, LEAD = "admin@noordwind.nl", "lead@noordwind.nl"
ANNA, CARLA = "anna@noordwind.nl", "carla@noordwind.nl"
START_DAYS_AGO = 40  # the first onboarding steps are weeks past due


@dataclass(frozen=True)
class Site:
    """The running server: its root URL and the ids of two learners."""

    root: str
    anna: int
    carla: int


def _playwright():
    """Playwright's sync API, or a skip (a failure with LRS_BRIDGE_REQUIRE_BROWSER=1)."""
    missing = [] if CHROMIUM.exists() else [f"{CHROMIUM} (apt-get install chromium)"]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("the playwright package (pip install -e '.[test]')")
        sync_playwright = None
    if missing:
        message = "the dashboard browser test needs " + " and ".join(missing)
        if os.environ.get("LRS_BRIDGE_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; LRS_BRIDGE_REQUIRE_BROWSER=1 forbids skipping")
        pytest.skip(message)
    return sync_playwright


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """A server on the sample mappings with three new hires, two dashboard users and the
    alerts of the first weeks."""
    _playwright()
    workdir = tmp_path_factory.mktemp("dashboard")
    env = {**os.environ, "LRS_BRIDGE_DATABASE_URL": f"sqlite:///{workdir / 'lrs.db'}",
           "LRS_BRIDGE_MAPPINGS": str(MAPPINGS), "DASHBOARD_PW": PASSWORD}
    with live_server(workdir, database_url=env["LRS_BRIDGE_DATABASE_URL"],
                     extra_env={"LRS_BRIDGE_MAPPINGS": str(MAPPINGS)}) as server:
        start = datetime.now(UTC).date() - timedelta(days=START_DAYS_AGO)
        roster = workdir / "roster.csv"
        roster.write_text(
            "email,name,role,manager_email,team,start_date\n"
            f"{ANNA},Anna de Boer,customer-service-agent,{LEAD},Klantenservice,{start}\n"
            f"bert@noordwind.nl,Bert Smit,field-technician,{LEAD},Buitendienst,{start}\n"
            f"{CARLA},Carla Kok,customer-service-agent,boss@noordwind.nl,Klantenservice,"
            f"{start}\n", encoding="utf-8")
        run_cli(env, "roster", "import", str(roster))
        run_cli(env, "users", "add", ADMIN, "--role", "admin", "--name", "Ada Admin",
                "--password-env", "DASHBOARD_PW")
        run_cli(env, "users", "add", LEAD, "--role", "manager", "--password-env",
                "DASHBOARD_PW")
        moment = datetime.combine(start + timedelta(days=2), datetime.min.time(), tzinfo=UTC)
        _store(server, _said(ANNA, "completed", WELCOME, moment),
               _said(ANNA, "failed", PRIVACY, moment + timedelta(days=1), 0.5))
        run_cli(env, "alerts", "scan")
        reader = (server.key, server.secret)
        api = server.endpoint.replace("/xapi/", "/api/v1/")

        def overdue(email: str) -> bool:
            found = requests.get(api + "alerts", params={"learner": email, "kind": "overdue"},
                                 auth=reader, timeout=10).json()["alerts"]
            return bool(found)

        eventually(lambda: overdue(ANNA) and overdue(CARLA), True, 60)
        ids = {person["email"]: person["id"] for person in requests.get(
            api + "learners", auth=reader, timeout=10).json()["learners"]}
        yield Site(server.endpoint.replace("/xapi/", ""), ids[ANNA], ids[CARLA])


def _said(email: str, verb: str, activity: str, when: datetime, score=None) -> dict:
    statement = {"id": str(uuid.uuid4()), "actor": {"mbox": f"mailto:{email}"},
                 "verb": {"id": ADL + verb}, "object": {"id": activity},
                 "timestamp": when.isoformat()}
    if score is not None:
        statement["result"] = {"score": {"scaled": score}, "success": False}
    return statement


def _store(server, *statements: dict) -> None:
    response = requests.post(server.endpoint + "statements", json=list(statements),
                             auth=(server.key, server.secret), timeout=10,
                             headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 200, response.text


@pytest.fixture
def page(site):
    """A fresh browser page (its own cookies) in headless Chromium."""
    with _playwright()() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(locale="en-GB", viewport={"width": 1280,
                                                                     "height": 900})
            yield context.new_page()
        finally:
            browser.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000, name


def _sign_in(page, site: Site, email: str, password: str = PASSWORD) -> None:
    page.goto(site.root + "/")
    page.get_by_role("link", name="Sign in to the dashboard").click()
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_administrator_opens_every_page_and_follows_an_alert(page, site, tmp_path):
    _sign_in(page, site, ADMIN, password="not-the-password")
    assert page.get_by_role("alert").inner_text() == "Wrong e-mail address or password."
    _shot(page, tmp_path, "sign-in-refused")
    _sign_in(page, site, ADMIN)
    assert page.locator("h1").inner_text() == "Learning and development dashboard"
    assert "Tenant default: 3 learners" in page.locator("main").inner_text()
    _shot(page, tmp_path, "landing")
    _journey_pages(page, tmp_path)

    page.get_by_role("navigation").get_by_role("link", name="Alerts").click()
    assert page.locator("h1").inner_text() == "Open alerts"
    _shot(page, tmp_path, "alerts")
    page.get_by_role("link", name="Overdue step").click()
    assert "kind=overdue" in page.url
    kinds = page.locator("table.alerts tbody tr td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"Overdue step"}
    page.locator("table.alerts").get_by_role("link", name="Anna de Boer").first.click()
    assert page.url.endswith(f"/dashboard/learners/{site.anna}")
    assert page.locator("h1").inner_text() == "Anna de Boer"
    assert "Statement: failed" in page.locator("table.timeline").inner_text()
    _shot(page, tmp_path, "learner")

    page.get_by_role("navigation").get_by_role("link", name="Team").click()
    page.get_by_label("Manager").select_option(LEAD)
    page.get_by_role("button", name="Show team").click()
    assert page.locator("h1").inner_text() == f"Team of {LEAD}"
    assert page.locator("table.team tbody tr").count() == 2
    _shot(page, tmp_path, "team")

    _metrics(page, tmp_path)

    page.get_by_role("navigation").get_by_role("link", name="Users").click()
    assert page.locator("h1").inner_text() == "Dashboard users"
    _shot(page, tmp_path, "users")

    page.get_by_role("button", name="Nederlands").click()
    assert page.locator("h1").inner_text() == "Dashboardgebruikers"
    page.get_by_role("navigation").get_by_role("link", name="Signalen").click()
    assert page.locator("h1").inner_text() == "Openstaande signalen"
    assert page.locator("html").get_attribute("lang") == "nl"
    _shot(page, tmp_path, "alerts-nl")
    page.get_by_role("navigation").get_by_role("link", name="Cijfers").click()
    assert page.locator("h1").inner_text() == "Cijfers over de employee journey"
    assert page.get_by_role("img", name="Deelname per fase").is_visible()
    _shot(page, tmp_path, "metrics-nl")
    page.get_by_role("navigation").get_by_role("link", name="Leertraject").click()
    assert page.locator("h1").inner_text() == "Overzicht van het leertraject"
    assert _funnel_row(page, "Onboarding en introductie")[:2] == ["3", "1"]
    _shot(page, tmp_path, "overview-nl")
    page.get_by_role("button", name="Uitloggen").click()
    assert page.locator("h1").inner_text() == "Inloggen op het dashboard"


def _metrics(page, tmp_path: Path) -> None:
    """The metrics page: three new hires, 40 days ago, none through onboarding yet; Anna took
    part in onboarding, the team filter, and a chart's CSV."""
    page.get_by_role("navigation").get_by_role("link", name="Metrics").click()
    assert page.locator("h1").inner_text() == "Journey metrics"
    main = page.locator("main").inner_text()
    assert "3 started in the period: 0 completed onboarding, 3 not yet" in main
    assert "Nobody who started in this period has completed onboarding yet." in main
    chart = page.get_by_role("img", name="Participation per phase")
    assert chart.is_visible() and chart.locator("polyline").count() >= 1
    assert page.locator("#participation table").is_visible()
    _shot(page, tmp_path, "metrics")
    page.get_by_label("Team", exact=True).select_option("Klantenservice")
    page.get_by_role("button", name="Show").click()
    assert "team=Klantenservice" in page.url
    assert "2 started in the period" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.locator("#participation").get_by_role("link", name="Download CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "month,phase,audience,participants,rate" and len(lines) > 6


def _funnel_row(page, phase: str) -> list[str]:
    """The numbers of the funnel's row of `phase`, as shown."""
    row = page.locator("table.funnel tbody tr").filter(has=page.get_by_role(
        "rowheader", name=phase))
    return [cell.strip() for cell in row.locator("td.number").all_inner_texts()]


def _journey_pages(page, tmp_path: Path) -> None:
    """The overview (the three hires started 40 days ago: in onboarding's audience, Anna
    active in it, none through its paths), its role filter, the paths and the heat map."""
    page.get_by_role("link", name="Open the journey overview").click()
    assert page.locator("h1").inner_text() == "Journey overview"
    assert _funnel_row(page, "Onboarding and introduction") == ["3", "1", "33%", "3", "0",
                                                                 "0%"]
    _shot(page, tmp_path, "overview")
    page.get_by_label("Role").select_option(label="Field service technician")
    page.get_by_role("button", name="Show").click()
    assert "role=field-technician" in page.url
    assert _funnel_row(page, "Onboarding and introduction")[:2] == ["1", "0"]

    page.get_by_role("navigation").get_by_role("link", name="Paths").click()
    assert page.locator("h1").inner_text() == "Learning paths"
    general = page.locator("table.paths tbody tr").filter(has=page.get_by_role(
        "rowheader", name="General onboarding: your first month"))
    assert general.locator("td.number").first.inner_text() == "3"
    _shot(page, tmp_path, "paths")

    page.get_by_role("navigation").get_by_role("link", name="Skill gaps").click()
    assert page.locator("h1").inner_text() == "Skill gaps by role"
    assert page.locator("table.heatmap thead th").count() == 5  # skill, and the four roles
    assert page.get_by_role("link", name="Download CSV").get_attribute("href").startswith(
        "/dashboard/skill-gaps.csv?")
    _shot(page, tmp_path, "skill-gaps")


def test_a_manager_sees_their_team_and_not_another_learner(page, site, tmp_path):
    _sign_in(page, site, LEAD)
    page.get_by_role("navigation").get_by_role("link", name="Team").click()
    assert page.locator("h1").inner_text() == f"Team of {LEAD}"
    assert "Carla" not in page.locator("main").inner_text()
    _shot(page, tmp_path, "manager-team")
    response = page.goto(f"{site.root}/dashboard/learners/{site.carla}")
    assert response.status == 403
    assert "This learner is not in your team." in page.locator("main").inner_text()
    _shot(page, tmp_path, "manager-forbidden")
    assert page.goto(f"{site.root}/dashboard/learners/{site.anna}").status == 200
    page.goto(f"{site.root}/dashboard/metrics")
    main = page.locator("main").inner_text()
    assert "Your team only." in main and "2 started in the period" in main  # Anna and Bert
    _shot(page, tmp_path, "manager-metrics")

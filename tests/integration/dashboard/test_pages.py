"""The alerts, learner and team pages on SQLite and PostgreSQL: what each role sees, the
counts, the links, the CSV beside each table, and 403 outside a manager's team.

The open alerts at NOW (20 March), worked out by hand from the sample mappings: Carla started
on 2 March and did nothing, so five required steps due by then are overdue (first working
day 2 Mar, customer-file micro 7 Mar, welcome 9 Mar, privacy 16 Mar, call shadowing 16 Mar),
the four role skills whose steps fell due are gaps (culture, CRM, communication, privacy)
and she is stalled: 10. Anna, same start, met welcome and privacy (privacy-gdpr at level 2)
and was active on 19 March: 3 overdue and 3 gaps. Bert (field technician since 2 February):
10 overdue, 7 gaps and stalled: 18. All: 18 overdue, 14 gaps, 2 stalled."""

import csv
import io
import re

from tests.integration.dashboard.conftest import (
    ADMIN,
    ANNA,
    BERT,
    BOSS,
    CARLA,
    DIRK,
    LD,
    LEAD,
    OTHER_ADMIN,
    learner_id,
)


def _counts(page: str) -> dict[str, int]:
    return {label: int(count) for label, count in re.findall(
        r'<td><a href="/dashboard/alerts\?kind=\w+">([^<]+)</a></td><td class="number">(\d+)',
        page)}


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_alerts_page_counts_open_alerts_by_kind(browser):
    page = browser(LD).text("/dashboard/alerts")
    assert _counts(page) == {"Overdue step": 18, "Skill gap": 14, "Stalled": 2,
                             "Repeated failure": 0, "Skill expiring": 0, "Skill expired": 0,
                             "Milestone": 0}
    assert "34 open alerts of the learners you see." in page


def test_a_manager_counts_and_lists_only_their_team(browser, organisation):
    lead = browser(LEAD).text("/dashboard/alerts")
    assert _counts(lead)["Overdue step"] == 13 and _counts(lead)["Skill gap"] == 10
    assert _counts(lead)["Stalled"] == 1
    assert "Carla" not in lead
    boss = browser(BOSS)
    assert _counts(boss.text("/dashboard/alerts")) == {
        "Overdue step": 5, "Skill gap": 4, "Stalled": 1, "Repeated failure": 0,
        "Skill expiring": 0, "Skill expired": 0, "Milestone": 0}
    rows = _rows(boss.text("/dashboard/alerts.csv"))
    assert {r["learner_email"] for r in rows} == {CARLA} and len(rows) == 10


def test_each_alert_links_to_its_learner_and_the_kind_filter_narrows_the_list(
        browser, organisation):
    page = browser(ADMIN).text("/dashboard/alerts?kind=stalled")
    links = re.findall(r'<td><a href="(/dashboard/learners/\d+)">([^<]+)</a>', page)
    assert sorted(links) == sorted([
        (f"/dashboard/learners/{learner_id(organisation, BERT)}", "Bert Smit"),
        (f"/dashboard/learners/{learner_id(organisation, CARLA)}", "Carla Kok")])
    assert "no activity since Mar 2, 2026" in page  # Carla, quiet since her start date
    assert 'href="/dashboard/alerts.csv?kind=stalled"' in page


def test_the_alerts_csv_has_every_open_alert_with_its_learner(browser, organisation):
    rows = _rows(browser(ADMIN).text("/dashboard/alerts.csv?kind=overdue"))
    assert len(rows) == 18
    anna = [r for r in rows if r["learner_email"] == ANNA]
    assert sorted(r["subject"] for r in anna) == [
        "onboarding-customer-service/call-shadowing",
        "onboarding-customer-service/crm-customer-file-micro",
        "onboarding-general/first-working-day"]
    shadowing = next(r for r in anna if r["subject"].endswith("call-shadowing"))
    assert shadowing["why"] == "due Mar 16, 2026"
    assert shadowing["learner_id"] == str(learner_id(organisation, ANNA))


def test_a_bad_kind_is_a_400_naming_the_parameter(browser):
    response = browser(ADMIN).get("/dashboard/alerts?kind=late")
    assert response.status_code == 400
    assert "kind: &#39;late&#39; is not one of overdue" in response.get_data(as_text=True)
    assert browser(ADMIN).get("/dashboard/alerts?after=x").status_code == 400


def test_the_alerts_list_pages_through_older_alerts(browser, organisation, monkeypatch):
    from lrs_bridge.web.dashboard import alerts_page

    monkeypatch.setattr(alerts_page, "PAGE_SIZE", 20)
    admin = browser(ADMIN)
    first = admin.text("/dashboard/alerts")
    more = re.search(r'<a href="([^"]+)">Older alerts', first).group(1).replace("&amp;", "&")
    second = admin.text(more)
    shown = re.findall(r'<td><a href="/dashboard/learners/\d+">', first + second)
    assert len(shown) == 34 and "Older alerts" not in second


def test_the_learner_page_shows_paths_skills_alerts_and_the_timeline(browser, organisation):
    page = browser(LEAD).text(f"/dashboard/learners/{learner_id(organisation, ANNA)}")
    assert "<h1>Anna de Boer</h1>" in page
    assert "General onboarding: your first month — 40%" in page
    assert "Privacy and the GDPR: the basics" in page
    timeline = page[page.index("<h2>Timeline</h2>"):]
    order = ["Alert resolved: Overdue step", "Skill level reached", "Step met",
             "Statement: passed", "Alert opened: Overdue step", "Statement: failed",
             "Statement: completed"]
    places = [timeline.index(what) for what in order]
    assert places == sorted(places)
    assert "Privacy and customer data (GDPR): level 2" in timeline


def test_the_learner_timeline_csv_holds_every_event(browser, organisation):
    anna = learner_id(organisation, ANNA)
    rows = _rows(browser(ADMIN).text(f"/dashboard/learners/{anna}/timeline.csv"))
    statements = [r for r in rows if r["event"] == "statement"]
    assert [(r["meaning"], r["score"], r["module"]) for r in statements] == [
        ("passed", "0.9", "privacy-basics"), ("failed", "0.5", "privacy-basics"),
        ("completed", "", "welcome-noordwind")]
    # Eight alerts were opened on 18 March; two were resolved when she passed privacy.
    assert len([r for r in rows if r["event"] == "alert_opened"]) == 8
    assert sorted(r["subject"] for r in rows if r["event"] == "alert_resolved") == [
        "onboarding-general/privacy-basics", "privacy-gdpr"]
    assert {(r["path"], r["module"]) for r in rows if r["event"] == "step"} == {
        ("onboarding-general", "welcome-noordwind"), ("onboarding-general", "privacy-basics")}


def test_a_manager_cannot_open_a_learner_of_another_team(browser, organisation):
    carla = learner_id(organisation, CARLA)
    lead = browser(LEAD)
    response = lead.get(f"/dashboard/learners/{carla}")
    assert response.status_code == 403
    assert "This learner is not in your team." in response.get_data(as_text=True)
    assert lead.get(f"/dashboard/learners/{carla}/timeline.csv").status_code == 403
    assert browser(BOSS).get(f"/dashboard/learners/{carla}").status_code == 200
    assert browser(ADMIN).get(f"/dashboard/learners/{carla}").status_code == 200


def test_a_learner_of_another_tenant_is_not_found(browser, organisation):
    dirk = learner_id(organisation, DIRK)
    assert browser(ADMIN).get(f"/dashboard/learners/{dirk}").status_code == 404
    assert browser(OTHER_ADMIN).get(f"/dashboard/learners/{dirk}").status_code == 200
    assert browser(ADMIN).get(f"/dashboard/learners/{2 ** 63}").status_code == 404


def test_a_learner_is_found_by_e_mail_among_those_one_sees(browser, organisation):
    lead = browser(LEAD)
    response = lead.get("/dashboard/learners?email=ANNA@noordwind.nl")
    assert response.status_code == 302
    assert response.location == f"/dashboard/learners/{learner_id(organisation, ANNA)}"
    assert lead.get(f"/dashboard/learners?email={CARLA}").status_code == 404
    assert lead.get("/dashboard/learners?email=").status_code == 400


def test_a_manager_sees_their_own_team(browser):
    lead = browser(LEAD)
    page = lead.text("/dashboard/team")
    assert "Team of lead@noordwind.nl" in page and "2 learners" in page
    assert "Anna de Boer" in page and "Bert Smit" in page and "Carla" not in page
    assert "<select" not in page  # no other teams to choose
    rows = _rows(lead.text("/dashboard/team.csv"))
    onboarding = {(r["email"], r["path"]): r for r in rows}
    anna = onboarding[(ANNA, "onboarding-general")]
    # 2 of the path's 5 required steps met (welcome, privacy); 1 overdue (first day).
    assert (anna["path_status"], anna["progress"], anna["overdue_steps"]) == (
        "in_progress", "0.4", "1")
    assert anna["open_alerts"] == "6" and onboarding[(BERT, "onboarding-general")][
        "open_alerts"] == "18"


def test_a_manager_asking_for_another_team_gets_403(browser):
    lead = browser(LEAD)
    assert lead.get("/dashboard/team?manager=boss@noordwind.nl").status_code == 403
    assert lead.get("/dashboard/team.csv?manager=boss@noordwind.nl").status_code == 403
    assert lead.get("/dashboard/team?manager=LEAD@noordwind.nl").status_code == 200


def test_admin_and_ld_choose_any_team_by_manager(browser):
    ld = browser(LD)
    chooser = ld.text("/dashboard/team")
    assert re.findall(r'<option value="([^"]+)"', chooser) == [BOSS, LEAD]
    page = ld.text("/dashboard/team?manager=boss@noordwind.nl")
    assert "Carla Kok" in page and "Anna" not in page
    rows = _rows(ld.text("/dashboard/team.csv?manager=boss@noordwind.nl"))
    assert {r["email"] for r in rows} == {CARLA}


def test_only_an_admin_opens_the_users_page(browser):
    page = browser(ADMIN).text("/dashboard/users")
    assert LEAD in page and "Lotte L&amp;D" in page and OTHER_ADMIN not in page
    assert browser(LD).get("/dashboard/users").status_code == 403
    assert browser(LEAD).get("/dashboard/users").status_code == 403
    assert 'href="/dashboard/users"' not in browser(LD).text("/")


def test_parameters_with_control_characters_are_a_400_naming_them(browser):
    admin = browser(ADMIN)
    for path, name in (("/dashboard/learners?email=a%00@b.nl", "email"),
                       ("/dashboard/team?manager=x%00@y.nl", "manager"),
                       ("/dashboard/team.csv?manager=x%00@y.nl", "manager")):
        response = admin.get(path)
        assert response.status_code == 400, path
        assert f"{name}: not a value this page can look up" in response.get_data(as_text=True)

"""The metrics page on SQLite and PostgreSQL: the charts and tables of time to productivity,
retention at six months and participation per phase, on the small organisation of the
journey metrics API's tests (tests/integration/test_journey_metrics_api.py, whose comments
work out every figure), now with two managers: Lars Lead has Anna and Carla, Bob Boss has
Bert, Dirk and Eef. Filters, bad values, the CSVs, a manager's own figures, a new tenant."""

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs_bridge.clock import Clock
from lrs_bridge.web.app import create_app
from tests.integration.dashboard.conftest import PASSWORD, Browser
from tests.integration.test_journey_metrics_api import NOW, ROSTER, seed

ADMIN, LD, LEAD, BOSS = "admin@nw.nl", "ld@nw.nl", "lead@nw.nl", "boss@nw.nl"
NEWCOMER = "admin@new.nl"  # the administrator of a tenant without learners
MANAGERS = {"anna": LEAD, "carla": LEAD, "bert": BOSS, "dirk": BOSS, "eef": BOSS}
FIRST_HALF = {"from": "2026-01-01", "to": "2026-06-30"}
SECOND_HALF = {"from": "2026-07-01", "to": "2026-12-31"}


@pytest.fixture
def people(services):
    """The API tests' people, each with a manager, folded at NOW; dashboard users of each
    role, and an administrator of a tenant without learners."""
    seed(services, tuple(line.replace(",,", f",{MANAGERS[line.split('@')[0]]},", 1)
                         for line in ROSTER))
    services.credentials.add("new-tenant", ["statements/write"], tenant="new")
    for email, role, tenant in ((ADMIN, "admin", "default"), (LD, "ld", "default"),
                                (LEAD, "manager", "default"), (BOSS, "manager", "default"),
                                (NEWCOMER, "admin", "new")):
        services.dashboard_users.add(email, role, PASSWORD, tenant=tenant)
    return services


@pytest.fixture
def visit(people):
    """`visit(email, language="en")`: a browser signed in as `email` (None: not signed in)."""
    app = create_app(services=replace(
        people, clock=Clock(datetime.fromisoformat(NOW).replace(tzinfo=UTC))))
    app.config["TESTING"] = True

    def make(email: str | None, language: str = "en") -> Browser:
        made = Browser(app, language)
        if email:
            assert made.sign_in(email).status_code == 302
        return made

    return make


def page_of(person: Browser, expect: int = 200, **params) -> str:
    return person.text(f"/dashboard/metrics?{urlencode(params)}", expect)


def section(page: str, key: str) -> str:
    """The part of the page about chart `key`."""
    return re.search(rf'<section class="metric" id="{key}".*?</section>', page, re.S).group(0)


def table(page: str, key: str) -> list[list[str]]:
    """The rows of the table beside chart `key`, as the cells' texts."""
    body = re.search(r"<tbody>(.*?)</tbody>", section(page, key), re.S)
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)] if body else []


def csv_rows(person: Browser, chart: str, **params) -> list[dict]:
    response = person.get(f"/dashboard/metrics/{chart}.csv?{urlencode(params)}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def column(rows: list[list[str]], n: int) -> list[str]:
    return [row[n] for row in rows]


def test_the_three_charts_of_the_first_half_of_2026(visit):
    page = page_of(visit(ADMIN), **FIRST_HALF)
    # Anna, Bert and Carla started; Anna completed onboarding 29 days after her start
    # (week 5: days 28 to 34); the median of one is hers.
    ttp = section(page, "time-to-productivity")
    assert ("3 started in the period: 1 completed onboarding, 2 not yet, 0 follow no "
            "onboarding path.") in ttp and "Median: 29 days." in ttp
    assert table(page, "time-to-productivity") == [
        [str(n), "1" if n == 5 else "0"] for n in range(1, 13)] + [["13+", "0"]]
    assert ttp.count('<rect class="column"') == 13 and ">median 29 days</text>" in ttp
    assert 'role="img" aria-labelledby="chart-ttp-title chart-ttp-desc"' in ttp
    assert '<title id="chart-ttp-title">Time to productivity</title>' in ttp
    # Dirk's six-month day (1 March) is the only one: he stayed, without onboarding completed.
    assert table(page, "retention") == [["Completed", "0", "0", "–"],
                                        ["Not completed", "1", "1", "100%"],
                                        ["All", "1", "1", "100%"]]
    assert ">100% (1 of 1)</text>" in section(page, "retention")
    # Participation: taking part of the audience, per month (the API test works them out).
    rows = table(page, "participation")
    assert column(rows, 0) == ["January 2026", "February 2026", "March 2026", "April 2026",
                               "May 2026", "June 2026"]
    assert column(rows, 3) == ["1 of 1", "2 of 2", "1 of 2", "0 of 1", "0 of 0", "0 of 0"]
    assert column(rows, 4) == ["0 of 2", "0 of 3", "0 of 4", "0 of 4", "0 of 4", "0 of 3"]
    assert column(rows, 6)[4:] == ["1 of 1", "0 of 1"]
    assert column(rows, 1) == ["0 of 0"] * 6  # attract: no line drawn, in the table
    lines = section(page, "participation")
    assert lines.count("<polyline") == 4  # onboarding, development, retention, offboarding
    assert "<title>Onboarding and introduction, Feb: 2</title>" in lines


def test_retention_by_onboarding_in_the_second_half_in_dutch(visit):
    page = page_of(visit(LD, "nl"), **SECOND_HALF)
    # Anna (onboarded) stayed; Bert stayed and Carla left, neither onboarded.
    assert table(page, "retention") == [["Afgerond", "1", "1", "100%"],
                                        ["Niet afgerond", "2", "1", "50%"],
                                        ["Allemaal", "3", "2", "66,7%"]]
    retention = section(page, "retention")
    assert "Behoud na zes maanden" in retention and ">50% (1 van 2)</text>" in retention
    assert "Onboarding op de dag van zes maanden" in retention  # the x axis
    # Nobody started in the second half of 2026.
    assert "Niemand begon in deze periode." in section(page, "time-to-productivity")
    assert column(table(page, "participation"), 0)[0] == "juli 2026"
    assert ">jul</tspan>" in page and ">2026</tspan>" in page


def test_each_chart_has_a_csv_with_the_same_numbers(visit):
    admin = visit(ADMIN)
    assert csv_rows(admin, "retention", **SECOND_HALF) == [
        {"group": "onboarding_completed", "learners": "1", "retained": "1", "rate": "1.0"},
        {"group": "onboarding_not_completed", "learners": "2", "retained": "1",
         "rate": "0.5"},
        {"group": "all", "learners": "3", "retained": "2", "rate": "0.6667"}]
    weeks = csv_rows(admin, "time-to-productivity", **FIRST_HALF)
    assert weeks[4] == {"week": "5", "days_from": "28", "days_to": "34", "learners": "1"}
    assert weeks[12] == {"week": "13", "days_from": "84", "days_to": "", "learners": "0"}
    onboarding = [r for r in csv_rows(admin, "participation", **FIRST_HALF)
                  if r["phase"] == "onboarding"]
    assert [(r["month"], r["audience"], r["participants"], r["rate"]) for r in onboarding] \
        == [("2026-01", "1", "1", "1.0"), ("2026-02", "2", "2", "1.0"),
            ("2026-03", "2", "1", "0.5"), ("2026-04", "1", "0", "0.0"),
            ("2026-05", "0", "0", ""), ("2026-06", "0", "0", "")]
    page = page_of(admin, team="Klantenservice", **FIRST_HALF)
    assert ('href="/dashboard/metrics/retention.csv?team=Klantenservice&amp;from=2026-01-01'
            '&amp;to=2026-06-30"') in page
    response = admin.get("/dashboard/metrics/retention.csv?from=2026-07-01&to=2026-12-31")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="retention-2026-07-01-to-2026-12-31.csv"'
    assert admin.get("/dashboard/metrics/happiness.csv").status_code == 404


def test_the_default_period_is_twelve_months_up_to_today(visit):
    page = page_of(visit(ADMIN))
    assert "From Feb 1, 2026 to Jan 15, 2027" in page
    assert len(table(page, "participation")) == 12
    assert 'name="from" value="2026-02-01"' in page and 'name="to" value="2027-01-15"' in page


def test_filters_by_team_role_and_phase(visit):
    admin = visit(ADMIN)
    # Klantenservice: Anna and Carla started (Dirk in 2025); onboarding month by month.
    team = page_of(admin, team="Klantenservice", **FIRST_HALF)
    assert "2 started in the period: 1 completed onboarding, 1 not yet" in team
    assert column(table(team, "participation"), 3)[:4] == ["1 of 1", "1 of 1", "1 of 1",
                                                           "0 of 1"]
    assert '<option value="Klantenservice" selected>' in team
    # Field technicians: Bert, who has not completed onboarding.
    role = page_of(admin, role="field-technician", **FIRST_HALF)
    assert "1 started in the period: 0 completed onboarding, 1 not yet" in role
    assert "Nobody who started in this period has completed onboarding yet." in role
    assert "<svg" not in section(role, "time-to-productivity")
    # Offboarding: no onboarding to speak of; Carla's exit survey in May.
    phase = page_of(admin, phase="offboarding", **FIRST_HALF)
    assert "the phase filter leaves it out" in section(phase, "time-to-productivity")
    assert "the phase filter leaves onboarding out" in section(phase, "retention")
    assert [row[1:] for row in table(phase, "participation")][4:] == [["1 of 1"], ["0 of 1"]]
    assert '<option value="offboarding" selected>' in phase


def test_a_manager_sees_only_their_own_teams_figures(visit):
    lead = visit(LEAD)
    page = page_of(lead, **FIRST_HALF)
    # Lars Lead's team: Anna and Carla.
    assert "Your team only." in page
    assert "2 started in the period: 1 completed onboarding, 1 not yet" in page
    assert column(table(page, "participation"), 3) == ["1 of 1", "1 of 1", "1 of 1",
                                                       "0 of 1", "0 of 0", "0 of 0"]
    assert re.findall(r'<option value="([^"]+)"', page.split('name="team"')[1].split(
        "</select>")[0]) == ["Klantenservice"]
    # Anna stayed (onboarded), Carla left (not onboarded).
    assert table(page_of(lead, **SECOND_HALF), "retention") == [
        ["Completed", "1", "1", "100%"], ["Not completed", "1", "0", "0%"],
        ["All", "2", "1", "50%"]]
    assert [r["learners"] for r in csv_rows(lead, "retention", **SECOND_HALF)] == ["1", "1",
                                                                                   "2"]
    # Another team is not one of theirs.
    assert "There is no team “Buitendienst” among the learners you see." in page_of(
        lead, 400, team="Buitendienst")
    # Bob Boss: Bert started, and has not completed onboarding.
    boss = page_of(visit(BOSS), **FIRST_HALF)
    assert "1 started in the period: 0 completed onboarding, 1 not yet" in boss


def test_a_tenant_without_learners_sees_no_data_yet(visit):
    page = page_of(visit(NEWCOMER))
    assert "<svg" not in page
    assert "Nobody started in this period." in page
    assert "Nobody reached their six-month day in this period." in page
    assert "Nobody was in a phase&#39;s audience in this period." in page
    dutch = page_of(visit(NEWCOMER, "nl"))
    assert "In deze periode hoorde niemand bij de doelgroep van een fase." in dutch
    # And a period before anyone's start in a tenant with learners.
    assert "<svg" not in page_of(visit(ADMIN), **{"from": "1990-01-01", "to": "1990-12-31"})


@pytest.mark.parametrize(("params", "message"), [
    ({"phase": "growth"}, "There is no phase “growth” in the mapping."),
    ({"role": "astronaut"}, "There is no role “astronaut” in the mapping."),
    ({"team": "Nowhere"}, "There is no team “Nowhere” among the learners you see."),
    ({"team": "Klanten\x00service"}, "There is no team “Klanten\x00service”"),
    ({"from": "2026-13-01"}, "From: “2026-13-01” is not a date (YYYY-MM-DD"),
    ({"to": "yesterday"}, "To: “yesterday” is not a date"),
    ({"from": "2026-06-01", "to": "2026-05-01"},
     "The period ends (May 1, 2026) before it begins (Jun 1, 2026)."),
    ({"from": "2027-02-01"}, "The period ends (Jan 15, 2027) before it begins (Feb 1, 2027)."),
    ({"from": "2020-01-01", "to": "2026-01-01"}, "A period may span at most five years."),
    ({"from": "1800-01-01"}, "From: a date between 1900-01-01 and 9998-12-31, please."),
    ({"from": "<script>x</script>"}, "“&lt;script&gt;x&lt;/script&gt;” is not a date"),
])
def test_a_bad_filter_is_a_400_page_saying_what_is_wrong(visit, params, message):
    admin = visit(ADMIN)
    page = page_of(admin, 400, **params)
    assert "Bad request (400)" in page and message in page
    assert admin.get(f"/dashboard/metrics/participation.csv?{urlencode(params)}"
                     ).status_code == 400


def test_the_400_page_is_in_dutch_too(visit):
    page = page_of(visit(ADMIN, "nl"), 400, **{"from": "2026-06-01", "to": "2026-05-01"})
    assert "De periode eindigt (1 mei 2026) voordat ze begint (1 jun 2026)." in page


def test_a_stranger_is_sent_to_sign_in(visit):
    for path in ("/dashboard/metrics", "/dashboard/metrics/retention.csv"):
        response = visit(None).get(path)
        assert response.status_code == 302
        assert response.location == f"/dashboard/login?next={path}"


def test_every_role_has_the_page_in_its_navigation(visit):
    for email in (ADMIN, LD, LEAD):
        assert '<a href="/dashboard/metrics" aria-current="page">Metrics</a>' in page_of(
            visit(email))
    assert 'href="/dashboard/metrics"' in visit(LEAD).text("/")


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["from", "to", "phase", "role", "team"]),
                       st.text(max_size=12) | st.dates().map(str) | st.sampled_from(
                           ["onboarding", "team-lead", "Klantenservice", "2026-02-30"]),
                       max_size=4))
def test_any_filters_give_the_page_or_a_400_never_a_500(visit, params):
    response = visit(LEAD).get(f"/dashboard/metrics?{urlencode(params)}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:500]

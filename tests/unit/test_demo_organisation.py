"""The demo's people: teams with their leads, start dates in the past eighteen months,
leavers and alumni, ambition paths; a roster that `roster import` reads without a problem."""

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from lrs_bridge.demo.organisation import (
    DIRECTOR,
    EARLY_LEAVE_DAYS,
    HISTORY_DAYS,
    make_people,
    roster_csv,
)
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.roster import parse_roster, updated
from lrs_bridge.mapping_files.loader import load_mapping

SAMPLE = load_mapping(Path(__file__).parents[2] / "mappings").mapping
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def people():
    return make_people(SAMPLE, 200, 1, TODAY)


def test_the_same_seed_gives_the_same_people_and_another_seed_others(people):
    assert make_people(SAMPLE, 200, 1, TODAY) == people
    assert make_people(SAMPLE, 200, 2, TODAY) != people


def test_everyone_has_an_address_of_their_own_and_a_start_date_in_the_last_18_months(people):
    assert len(people) == 200
    assert len({p.email for p in people}) == 200
    assert all(TODAY - timedelta(days=HISTORY_DAYS + 2) <= p.start_date <= TODAY
               for p in people)


def test_teams_follow_the_role_weights_each_with_a_lead_who_manages_it(people):
    # 200 people in teams of about 13: 15 teams. The weights 9:7:4 give the three roles
    # 6.75, 5.25 and 3 teams: 6, 5 and 3, and the largest remainder (0.75) one more: 7, 5, 3.
    # 185 members besides the 15 leads: 12 a team and 5 left, one each to the first 5 teams
    # (customer service): 7 * 12 + 5 = 89, 5 * 12 = 60, 3 * 12 = 36.
    leads = [p for p in people if p.role == "team-lead"]
    assert len(leads) == 15
    assert Counter(p.role for p in people if p.role != "team-lead") == {
        "customer-service-agent": 89, "field-technician": 60, "energy-advisor": 36}
    teams = Counter(p.team for p in leads)
    assert len(teams) == 15 and set(teams.values()) == {1}
    by_team = {lead.team: lead.email for lead in leads}
    assert all(p.manager_email == by_team[p.team] for p in people if p.role != "team-lead")
    assert all(lead.manager_email == DIRECTOR for lead in leads)
    names = sorted(by_team)
    assert names[:3] == ["Buitendienst Midden", "Buitendienst Noord", "Buitendienst Oost"]
    assert sum(name.startswith("Klantenservice") for name in names) == 7


def test_some_leave_alumni_have_left_and_leavers_left_lately_or_serve_their_notice(people):
    alumni = [p for p in people if p.status == "alumni"]
    leavers = [p for p in people if p.status == "leaver"]
    assert alumni and leavers
    assert len(alumni) + len(leavers) < len(people) / 5
    assert all(p.leave_date is not None and p.start_date < p.leave_date < TODAY for p in alumni)
    assert all(p.leave_date is not None and p.leave_date.weekday() < 5 for p in leavers)
    assert any(p.leave_date < TODAY for p in leavers)


def test_some_alumni_left_before_their_six_month_mark(people):
    # The retention metric compares those who stay six months with those who do not.
    early = [p for p in people if p.status == "alumni"
             and (p.leave_date - p.start_date).days <= EARLY_LEAVE_DAYS]
    later = [p for p in people if p.status == "alumni" and p not in early]
    assert early and later
    assert all(30 <= (p.leave_date - p.start_date).days for p in early)
    assert all(p.leave_date is None for p in people if p.status == "active")


def test_a_few_aim_at_another_role_with_a_path_of_no_role(people):
    ambitious = [p for p in people if p.paths]
    assert 0 < len(ambitious) < 40
    of_roles = {path for role in SAMPLE.roles for path in role.paths}
    assert {path for p in ambitious for path in p.paths} <= \
        {"mobility-team-lead", "mobility-energy-advisor"} - of_roles
    assert all(p.role != "team-lead" for p in ambitious)


def test_the_roster_imports_without_a_problem_and_says_what_the_people_are(people):
    roster = parse_roster(roster_csv(people).encode(), "demo.csv",
                          {r.id for r in SAMPLE.roles}, {p.id for p in SAMPLE.paths})
    assert roster.problems == ()
    assert len(roster.rows) == 200
    first = updated(None, roster.rows[0], roster.columns)
    person = people[0]
    assert (first.email, first.name, first.role, first.team, first.manager_email,
            first.start_date, first.leave_date, first.status) == (
        person.email, person.name, person.role, person.team, person.manager_email,
        person.start_date, person.leave_date, person.status)


def test_a_small_organisation_still_has_a_team_of_each_role():
    small = make_people(SAMPLE, 30, 3, TODAY)
    assert len(small) == 30
    assert {p.role for p in small} == {r.id for r in SAMPLE.roles}


def test_a_mapping_without_a_lead_role_gives_teams_the_director_as_manager():
    roles = tuple(r for r in SAMPLE.roles if r.id != "team-lead")
    found = make_people(Mapping(roles=roles, paths=SAMPLE.paths), 20, 1, TODAY)
    assert len(found) == 20 and {p.manager_email for p in found} == {DIRECTOR}


def test_a_mapping_without_roles_is_refused():
    with pytest.raises(ValueError, match="no roles"):
        make_people(Mapping(), 5, 1, TODAY)

"""The demo's people: a roster of an invented organisation built on a mapping's roles, with
teams and their leads, start dates over the past eighteen months, leavers and alumni, and a
few people who aim at another role (an ambition path)."""

import csv
import io
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from lrs_bridge.journey.model import Mapping

DOMAIN = "noordwind.example"
DIRECTOR = f"directie@{DOMAIN}"
HISTORY_DAYS = 548  # eighteen months of hiring
TEAM_SIZE = 13  # a lead and about twelve people
# Leaving within this many days of the start date is leaving before the six-month mark the
# retention metric looks at.
EARLY_LEAVE_DAYS = 170
# How the sample organisation's roles divide its people, and its teams' names; another
# mapping's roles weigh the same and name their teams after the role.
ROLE_WEIGHTS = {"customer-service-agent": 9, "field-technician": 7, "energy-advisor": 4}
TEAM_NAMES = {"customer-service-agent": "Klantenservice", "field-technician": "Buitendienst",
              "energy-advisor": "Energieadvies"}
REGIONS = ("Noord", "Zuid", "Oost", "West", "Midden", "Kust", "Stad", "Haven", "Veen")
LEAD_ROLE = re.compile(r"lead|manager|leider|leidinggevende")
FIRST = ("Anna", "Bram", "Chloé", "Daan", "Emma", "Fatima", "Gijs", "Hanna", "Ilse", "Jesse",
         "Kim", "Lars", "Mila", "Noah", "Olivia", "Pieter", "Quinten", "Roos", "Sanne", "Thijs",
         "Umut", "Vera", "Wouter", "Yara", "Zoë", "Ahmed", "Bas", "Carmen", "Dewi", "Eline",
         "Finn", "Germaine", "Hamza", "Iris", "Joost", "Karin", "Luuk", "Maartje", "Nadia",
         "Oscar", "Priya", "Ruben", "Sofie", "Tom", "Wessel", "Yusuf", "Lotte", "Mehmet",
         "Naima", "Sem")
LAST = ("de Boer", "Bakker", "Visser", "Smit", "Meijer", "de Vries", "van Dijk", "Jansen",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Kok", "Yilmaz", "El Amrani", "Hoekstra", "Postma",
        "van der Meer", "Kramer", "Verhoeven", "Kaya", "Boukhari", "Wijaya", "Sanders",
        "van den Berg", "Koster", "Prins", "Huisman", "Kuipers")


@dataclass(frozen=True)
class Person:
    """One line of the roster; `paths` are ambition paths on top of the role's."""

    email: str
    name: str
    role: str
    team: str
    manager_email: str
    start_date: date
    leave_date: date | None = None
    status: str = "active"  # active, leaver or alumni
    paths: tuple[str, ...] = ()


def make_people(mapping: Mapping, count: int, seed: int, today: date) -> list[Person]:
    """`count` people in teams of about TEAM_SIZE, each team with its lead when the mapping
    has a lead role; the same arguments give the same people."""
    if count < 1:
        raise ValueError("count: at least one person")
    if not mapping.roles:
        raise ValueError("the mapping has no roles to give people")
    rng = random.Random(seed)  # noqa: S311 - made-up people, not secrets
    lead = next((r for r in mapping.roles if LEAD_ROLE.search(r.id)), None)
    staff = [r for r in mapping.roles if r is not lead] or list(mapping.roles)
    leads = lead is not None and lead not in staff
    teams = max(1, min(max(round(count / TEAM_SIZE), min(len(staff), count // 4)),
                       count // 2 if leads else count))
    roles_of_teams = _spread([r.id for r in staff], teams)
    names = _names(rng, count)
    people: list[Person] = []
    for number, (role, size) in enumerate(zip(roles_of_teams,
                                              _sizes(count - teams * leads, teams),
                                              strict=True)):
        team = _team_name(role, mapping, number, roles_of_teams)
        manager = DIRECTOR
        if leads:
            head = _person(rng, names, lead.id, team, DIRECTOR, today, earliest=True)
            people.append(head)
            manager = head.email
        people += [_departure(rng, _ambition(rng, _person(rng, names, role, team, manager,
                                                          today), mapping, today), today)
                   for _ in range(size)]
    return people


def roster_csv(people: list[Person]) -> str:
    """The people as a roster CSV that `lrs-bridge roster import` reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "role", "manager_email", "team", "start_date",
                     "leave_date", "status", "paths"])
    for p in people:
        writer.writerow([p.email, p.name, p.role, p.manager_email, p.team,
                         p.start_date.isoformat(), p.leave_date.isoformat() if p.leave_date
                         else "", p.status, ";".join(p.paths)])
    return out.getvalue()


def workday(day: date) -> date:
    """`day`, or the Monday after it when it falls in a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _workday_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _spread(roles: list[str], teams: int) -> list[str]:
    """The role of each team: the roles in proportion to their weights, each at least once
    when there are teams enough (largest remainders)."""
    weights = {r: ROLE_WEIGHTS.get(r, 5) for r in roles}
    total = sum(weights.values())
    shares = {r: teams * w / total for r, w in weights.items()}
    counts = {r: int(s) for r, s in shares.items()}
    for r in sorted(roles, key=lambda r: shares[r] - counts[r], reverse=True):
        if sum(counts.values()) >= teams:
            break
        counts[r] += 1
    return [r for r in roles for _ in range(counts[r])]


def _sizes(members: int, teams: int) -> list[int]:
    return [members // teams + (1 if n < members % teams else 0) for n in range(teams)]


def _team_name(role: str, mapping: Mapping, number: int, roles_of_teams: list[str]) -> str:
    base = TEAM_NAMES.get(role) or next(r.name.nl for r in mapping.roles if r.id == role)
    if roles_of_teams.count(role) == 1:
        return base
    index = roles_of_teams[:number].count(role)
    return f"{base} {REGIONS[index] if index < len(REGIONS) else index + 1}"


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Distinct names (and so distinct addresses) for `count` people."""
    pairs = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(pairs)
    found = [(f"{f} {last}", _address(f, last)) for f, last in pairs[:count]]
    for n in range(len(found), count):  # more people than names: number the rest
        f, last = pairs[n % len(pairs)]
        found.append((f"{f} {last}", _address(f, last, n)))
    return found


def _address(first: str, last: str, number: int | None = None) -> str:
    plain = unicodedata.normalize("NFKD", f"{first}.{last.replace(' ', '')}")
    local = plain.encode("ascii", "ignore").decode().lower()
    return f"{local}{'' if number is None else number}@{DOMAIN}"


def _person(rng: random.Random, names: list, role: str, team: str, manager: str, today: date,
            earliest: bool = False) -> Person:
    name, email = names.pop()
    # Leads were hired in the first months of the period, their teams all through it.
    back = rng.randint(HISTORY_DAYS - 150, HISTORY_DAYS) if earliest \
        else rng.randint(1, HISTORY_DAYS)
    start = min(workday(today - timedelta(days=back)), today)
    return Person(email, name, role, team, manager, start)


def _ambition(rng: random.Random, person: Person, mapping: Mapping, today: date) -> Person:
    """One in ten people a half year or more in the job aims at another role: they follow a
    path that no role has, whose audience takes their role."""
    followed_by_roles = {p for r in mapping.roles for p in r.paths}
    options = [p.id for p in mapping.paths if p.id not in followed_by_roles
               and (p.audience is None or person.role in p.audience)]
    if not options or (today - person.start_date).days < 180 or rng.random() >= 0.1:
        return person
    return Person(**{**person.__dict__, "paths": (rng.choice(options),)})


def _departure(rng: random.Random, person: Person, today: date) -> Person:
    """About one in eight leaves: alumni (some within their first six months, the others
    later), leavers who left in the last month, and leavers serving their notice (a last day
    still to come)."""
    tenure = (today - person.start_date).days
    draw = rng.random()
    if tenure < 90 or draw >= 0.13:
        return person
    if draw < 0.03 and tenure > EARLY_LEAVE_DAYS + 30:
        day = person.start_date + timedelta(days=rng.randint(30, EARLY_LEAVE_DAYS))
        status = "alumni"
    elif draw < 0.07 and tenure > 150:
        day = person.start_date + timedelta(days=rng.randint(90, tenure - 45))
        status = "alumni"
    elif draw < 0.10:
        day, status = today - timedelta(days=rng.randint(1, 30)), "leaver"
    else:
        day, status = today + timedelta(days=rng.randint(5, 35)), "leaver"
    day = workday(day) if day > today else _workday_before(min(day, today - timedelta(days=1)))
    return Person(**{**person.__dict__, "leave_date": day, "status": status})

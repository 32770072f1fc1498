"""The cells of one roster row: each checked on its own, then against each other."""

import re
from datetime import date

from lrs_bridge.journey.checks import Problem
from lrs_bridge.journey.learners import STATUSES

# Enough to catch a name or a typo in an address column; the mail server is the real check.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
_DATES = ("start_date", "role_start_date", "leave_date")
# Longest identifiers kept, so that every directory key fits its unique index.
_LONGEST = {"email": 254, "account_homepage": 300, "account_name": 200}


def check_row(cells: dict[str, str], file: str, line: int, roles: set[str],
              paths: set[str]) -> tuple[dict | None, list[Problem]]:
    """The row's values by field, or None, and its problems."""
    found: list[tuple[str, str]] = []
    values = {name: cells.get(name, "") for name in
              ("email", "account_homepage", "account_name", "name", "role", "manager_email",
               "team", "status")}
    _identifiers(values, found)
    _role_and_status(values, roles, found)
    if values["manager_email"] and not _EMAIL.fullmatch(values["manager_email"]):
        found.append(("manager_email", f"{values['manager_email']!r} is not an e-mail address"))
    for name in _DATES:
        values[name] = _date(cells.get(name, ""), name, found)
    values["paths"] = _paths(cells.get("paths", ""), paths, found)
    _date_order(values, found)
    problems = [Problem(file, line, column, message) for column, message in found]
    return (None if problems else values), problems


def _identifiers(values: dict, found: list) -> None:
    email, home, name = values["email"], values["account_homepage"], values["account_name"]
    if not (email or home or name):
        found.append(("email", "no identifier: give email or account_homepage and "
                               "account_name"))
    if email and not _EMAIL.fullmatch(email):
        found.append(("email", f"{email!r} is not an e-mail address"))
    if bool(home) != bool(name):
        found.append(("account_homepage" if name else "account_name",
                      "an account needs both account_homepage and account_name"))
    if home and not _IRI.fullmatch(home):
        found.append(("account_homepage", f"{home!r} is not an IRI (https://…)"))
    for column, longest in _LONGEST.items():
        if len(values[column]) > longest:
            found.append((column, f"longer than {longest} characters"))


def _role_and_status(values: dict, roles: set[str], found: list) -> None:
    if not values["role"]:
        found.append(("role", "empty; give a role id of the mappings"))
    elif values["role"] not in roles:
        found.append(("role", f"unknown role {values['role']!r}; known: "
                              + ", ".join(sorted(roles))))
    if values["status"] and values["status"] not in STATUSES:
        found.append(("status", f"{values['status']!r} is not one of " + ", ".join(STATUSES)))


def _date(text: str, column: str, found: list) -> date | None:
    if not text:
        if column == "start_date":
            found.append((column, "empty; give the first working day (2026-01-31)"))
        return None
    try:
        # fromisoformat alone also takes 20260131 and week dates; a roster spells them out.
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        found.append((column, f"{text!r} is not an ISO 8601 date (2026-01-31)"))
        return None


def _paths(text: str, known: set[str], found: list) -> tuple[str, ...]:
    ids = tuple(dict.fromkeys(part.strip() for part in text.split(";") if part.strip()))
    unknown = [path for path in ids if path not in known]
    if unknown:
        found.append(("paths", "unknown path " + ", ".join(map(repr, unknown))))
    return ids


def _date_order(values: dict, found: list) -> None:
    start, role_start, leave = (values[name] for name in _DATES)
    if start and role_start and role_start < start:
        found.append(("role_start_date", f"{role_start} is before start_date {start}"))
    if start and leave and leave < start:
        found.append(("leave_date", f"{leave} is before start_date {start}"))
    if values["status"] in ("leaver", "alumni") and not leave and not _failed(found, "leave_date"):
        found.append(("leave_date", f"empty; a {values['status']} needs a leave date"))


def _failed(found: list, column: str) -> bool:
    return any(name == column for name, _ in found)

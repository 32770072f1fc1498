"""Canvas users: a learner found by login id or e-mail address, and the account's users as
roster rows (lms-apis.md §2.4 a)."""

import logging
from urllib.parse import quote

from lrs_bridge_connectors.base import LmsUser, RosterPerson
from lrs_bridge_connectors.canvas.api import CanvasApi
from lrs_bridge_connectors.http_results import LmsFailure

log = logging.getLogger(__name__)


def find_user(api: CanvasApi, account: str, logins: list[str], email: str | None
              ) -> LmsUser | None:
    """The user with one of these login ids (`sis_login_id:`), else the one whose e-mail
    address or login id is exactly `email`; None when Canvas has no such user."""
    for login in logins:
        user = _by_login(api, login)
        if user is not None:
            return user
    if not email or len(email) < 3:  # Canvas searches on three characters or more
        return None
    return _by_email(api, account, email)


def _by_login(api: CanvasApi, login: str) -> LmsUser | None:
    try:
        found = api.json("GET", f"/api/v1/users/sis_login_id:{quote(login, safe='')}",
                         f"look up the user with login id {login}")
    except LmsFailure as err:
        if err.status == 404:
            return None
        raise
    return as_user(found)


def _by_email(api: CanvasApi, account: str, email: str) -> LmsUser | None:
    # The search also matches parts of names and addresses: keep the exact matches only.
    wanted = email.strip().lower()
    matches = {}
    for found in api.pages(f"/api/v1/accounts/{account}/users",
                           f"search account {account}'s users for {email}",
                           {"search_term": email.strip(), "include[]": "email"}):
        addresses = {str(found.get(k) or "").lower() for k in ("email", "login_id")}
        if wanted in addresses:
            matches[found["id"]] = found
    if len(matches) > 1:
        log.warning("canvas: %d users have the address %s: none chosen", len(matches), email)
        return None
    return as_user(next(iter(matches.values()))) if matches else None


def as_user(found: dict) -> LmsUser:
    """An LmsUser of a Canvas User object."""
    return LmsUser(id=str(found["id"]), email=found.get("email"),
                   username=found.get("login_id"), idnumber=found.get("sis_user_id"),
                   name=found.get("name"))


def roster(api: CanvasApi, account: str, homepage: str) -> list[RosterPerson]:
    """The account's users: e-mail address, name, and login id as an xAPI account on
    `homepage`. Canvas keeps no role, manager, team or dates for them."""
    people = []
    for found in api.pages(f"/api/v1/accounts/{account}/users",
                           f"list account {account}'s users", {"include[]": "email"}):
        login = found.get("login_id")
        people.append(RosterPerson(email=found.get("email") or None,
                                   account_homepage=homepage if login else None,
                                   account_name=login or None, name=found.get("name")))
    return people

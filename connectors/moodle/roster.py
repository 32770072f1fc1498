"""Moodle's users as roster rows: e-mail, name and account from the user record, team from
the department (or another field), role, manager and dates from custom profile fields whose
short names the connector's options give. Moodle core has no line-manager relation: the
manager's e-mail address is kept in a profile field."""

from datetime import UTC, datetime, timedelta

from lrs_bridge_connectors.base import Result, RosterPerson
from lrs_bridge_connectors.moodle.client import MoodleClient, MoodleError

# Roster column -> the option naming its Moodle field, and that option's default.
FIELDS = {
    "team": ("team_field", "department"),
    "role": ("role_field", "role"),
    "manager_email": ("manager_field", "manageremail"),
    "start_date": ("start_field", "startdate"),
    "role_start_date": ("role_start_field", "rolestartdate"),
    "leave_date": ("leave_field", "leavedate"),
}
DATES = ("start_date", "role_start_date", "leave_date")
STANDARD = ("department", "institution", "city", "country", "idnumber")


def fetch(client: MoodleClient, options: dict, account_field: str) -> list[RosterPerson]:
    """Every user the service user may see (deleted ones never appear), but the guest."""
    # core_user_get_users matches e-mail with LIKE: "%" is every address.
    answer = client.call("core_user_get_users", criteria=[{"key": "email", "value": "%"}])
    if answer.get("warnings"):
        raise MoodleError(Result.permanent(f"Moodle core_user_get_users: {answer['warnings']}"))
    return [_person(user, client.url, options, account_field)
            for user in answer.get("users", []) if user.get("username") != "guest"]


def _person(user: dict, site_url: str, options: dict, account_field: str) -> RosterPerson:
    custom = {field.get("shortname"): field.get("value")
              for field in user.get("customfields") or ()}
    values = {}
    for column, (option, default) in FIELDS.items():
        name = options.get(option, default)
        raw = user.get(name) if name in STANDARD else custom.get(name)
        text = str(raw).strip() if raw not in (None, "") else None
        values[column] = _date(text) if column in DATES else text
    account = user.get(account_field)
    account = str(account) if account not in (None, "") else None
    return RosterPerson(email=user.get("email") or None,
                        account_homepage=site_url if account else None, account_name=account,
                        name=user.get("fullname"), **values)


def _date(text: str | None) -> str | None:
    """A profile date as ISO 8601: a date-time field holds a Unix time (0: not set), a text
    field the date as typed (left for the roster import to judge)."""
    if text is None or not text.lstrip("-").isdigit():
        return text
    seconds = int(text)
    if seconds == 0:
        return None
    # A date field holds midnight in the user's time zone; noon UTC of that moment falls on
    # the same calendar day for any zone within twelve hours of UTC.
    return (datetime.fromtimestamp(seconds, UTC) + timedelta(hours=12)).date().isoformat()

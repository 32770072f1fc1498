"""Finding a learner's Moodle user: by e-mail address (exact, then in any case), else by an
xAPI account whose homePage is this Moodle; and checking that a known user still exists."""

from lrs_bridge_connectors.base import LmsUser, Result
from lrs_bridge_connectors.moodle.client import MoodleClient, MoodleError

ACCOUNT_FIELDS = ("id", "username", "idnumber")


def resolve(client: MoodleClient, learner: dict, account_field: str = "id") -> LmsUser | None:
    """The Moodle user of `learner` ({"email", "identifiers", …}); None when there is none.
    MoodleError when Moodle cannot be asked, or several users share the address."""
    email = (learner.get("email") or "").strip()
    by_email = _by_email(client, email) if email else []
    if len(by_email) == 1:
        return _found(client, by_email[0])
    for name in account_names(learner.get("identifiers") or (), client.url):
        if account_field == "id" and not name.isdigit():
            continue  # Moodle refuses a non-numeric id outright
        found = client.call("core_user_get_users_by_field", field=account_field, values=[name])
        if found:
            return _found(client, found[0])
    if by_email:
        ids = ", ".join(str(user["id"]) for user in by_email)
        raise MoodleError(Result.permanent(
            f"Moodle users {ids} all have the e-mail address {email}: give the learner an "
            f"account on {client.url} (account_homepage, account_name) to tell them apart"))
    return None


def _by_email(client: MoodleClient, email: str) -> list[dict]:
    found = client.call("core_user_get_users_by_field", field="email", values=[email])
    if found:
        return found
    # An exact match depends on the database's case rules (PostgreSQL: case-sensitive);
    # core_user_get_users compares e-mail addresses with a case-insensitive LIKE.
    answer = client.call("core_user_get_users", criteria=[{"key": "email", "value": email}])
    if answer.get("warnings"):
        # With a warning Moodle may have searched without the criterion: all users came back.
        raise MoodleError(Result.permanent(
            f"Moodle core_user_get_users: {_warning_text(answer['warnings'])}"))
    wanted = email.lower()
    # LIKE takes _ and % as wildcards: keep the addresses that are really equal.
    return [user for user in answer.get("users", [])
            if str(user.get("email", "")).lower() == wanted]


def account_names(identifiers, site_url: str) -> list[str]:
    """The names of the learner's xAPI accounts on this Moodle (homePage = the site's URL),
    from identifiers as the learner directory keys them: "account:<homePage>|<name>"."""
    names = []
    for key in identifiers:
        if not str(key).startswith("account:"):
            continue
        home_page, _, name = str(key)[len("account:"):].partition("|")
        if _same_site(home_page, site_url) and name:
            names.append(name)
    return names


def _same_site(home_page: str, site_url: str) -> bool:
    return home_page.rstrip("/").lower() == site_url.rstrip("/").lower()


def unusable(client: MoodleClient, user: LmsUser | None, what: str) -> Result | None:
    """Why `what` cannot be sent to `user` (permanent): there is none, or Moodle no longer
    has them (user_gone); None when they are there. Moodle accepts a completion for a user
    id that does not exist, so every write checks first, unless Moodle named or confirmed
    the user within the last minute (client.confirmed)."""
    if user is None:
        return Result.permanent(f"no Moodle user for the learner: {what} not sent")
    if not str(user.id).isdigit():
        return Result.permanent(f"{user.id!r} is not a Moodle user id", user_gone=True)
    if ("user", user.id) in client.confirmed:  # found or checked a moment ago
        return None
    if client.call("core_user_get_users_by_field", field="id", values=[int(user.id)]):
        client.confirmed.note(("user", user.id))
        return None
    return Result.permanent(f"Moodle has no user {user.id} any more (deleted?)", user_gone=True)


def _found(client: MoodleClient, record: dict) -> LmsUser:
    user = _lms_user(record)
    client.confirmed.note(("user", user.id))
    return user


def _lms_user(record: dict) -> LmsUser:
    return LmsUser(id=str(record["id"]), email=record.get("email"),
                   username=record.get("username"), idnumber=record.get("idnumber") or None,
                   name=record.get("fullname"))


def _warning_text(warnings: list) -> str:
    return "; ".join(f"{w.get('message', '')} ({w.get('warningcode', '')})" for w in warnings)

"""The Canvas connector: progress into assignment grades and custom gradebook columns,
alerts as conversations, users by login id or e-mail address (lms-apis.md §2). Where each
module, path and skill goes is its `lms.canvas` entry in the mapping (see `targets`)."""

import time
from collections.abc import Callable

import requests

from lrs_bridge_connectors.base import (
    Check,
    Connector,
    ConnectorConfig,
    LmsUser,
    Result,
    RosterPerson,
)
from lrs_bridge_connectors.canvas.api import CanvasApi
from lrs_bridge_connectors.canvas.health import health_checks
from lrs_bridge_connectors.canvas.messages import FOR_MANAGERS, alert_text
from lrs_bridge_connectors.canvas.targets import check_lms, course_ref, missing_column, value
from lrs_bridge_connectors.canvas.users import find_user, roster
from lrs_bridge_connectors.http_results import LmsFailure

# Event type -> (section of the LMS map, the event's key naming the object)
PROGRESS = {"step.changed": ("modules", "module"), "path.changed": ("paths", "path"),
            "skill.changed": ("skills", "skill")}


class CanvasConnector(Connector):
    """One Canvas, reached with a bearer token of a user allowed to grade and message."""

    kind = "canvas"
    options = {
        "account": "the account whose users are searched by e-mail address and read as the "
                   "roster (default: self, the token's root account)",
        "account_homepage": "the homePage of xAPI accounts whose name is a Canvas login id "
                            "(default: the connector's URL)",
        "notify_managers": "yes (default) or no: send skill_gap, overdue, stalled and "
                           "repeated_failure alerts to the learner's manager as well",
    }

    def __init__(self, config: ConnectorConfig, session: requests.Session, lms_map: dict,
                 sleep: Callable[[float], None] = time.sleep):
        super().__init__(config, session, lms_map)
        self.api = CanvasApi(config.url, config.token, session, config.timeout, sleep)
        self.account = str(config.options.get("account") or "self")
        self.homepage = (config.options.get("account_homepage") or config.url).rstrip("/")
        self._columns: dict[str, dict[str, int]] = {}  # course -> column title -> id
        self._managers: dict[str, LmsUser] = {}  # found ones only: a missing one may come

    @classmethod
    def check_lms(cls, kind: str, data) -> list[str]:
        """What is wrong with a module's, path's or skill's `lms.canvas` entry."""
        return check_lms(kind, data)

    def resolve_user(self, learner: dict) -> LmsUser | None:
        """The Canvas user with the login id of the learner's account on `account_homepage`,
        else with their e-mail address; raises LmsFailure when Canvas cannot answer."""
        logins = []
        for key in learner.get("identifiers") or ():
            home, _, name = key.removeprefix("account:").partition("|")
            if key.startswith("account:") and name and home.rstrip("/") == self.homepage:
                logins.append(name)
        return find_user(self.api, self.account, logins, learner.get("email"))

    @classmethod
    def wants(cls, event: dict, lms_map: dict) -> bool:
        """Progress of an object with a place in Canvas, and an alert opened."""
        if event.get("type") in PROGRESS:
            section, key = PROGRESS[event["type"]]
            target = (lms_map.get(section) or {}).get(event.get(key))
            return bool(target) and value(event, target) is not None
        return event.get("type") == "alert.opened"

    def deliver(self, event: dict, user: LmsUser | None) -> Result:
        """Write one event's progress, or send its alert, for the learner's Canvas user."""
        try:
            if event.get("type") in PROGRESS:
                return self._progress(event, user)
            if event.get("type") == "alert.opened":
                return self._alert(event, user)
        except LmsFailure as err:
            return err.result
        if event.get("type") == "alert.resolved":
            return Result.ok("nothing sent: a message once sent stays, and a resolved alert "
                             "needs no other")
        return Result.permanent(f"the Canvas connector has no use for {event.get('type')!r}")

    def health(self) -> list[Check]:
        """The token, the user search, and each mapped course, assignment and column."""
        return health_checks(self.api, self.account, self.lms_map)

    def fetch_roster(self) -> list[RosterPerson]:
        """The account's users (e-mail, name, login id); Canvas has no role or manager."""
        return roster(self.api, self.account, self.homepage)

    def _progress(self, event: dict, user: LmsUser | None) -> Result:
        section, key = PROGRESS[event["type"]]
        target = (self.lms_map.get(section) or {}).get(event.get(key))
        if not target:
            return Result.ok(f"nothing sent: the {key} {event.get(key)} has no place in Canvas")
        text = value(event, target)
        if text is None:
            return Result.ok(f"nothing sent: the step is {event.get('status')}, and a "
                             f"completion in Canvas is never taken back")
        if user is None:
            return _nobody(event)
        course = target["course"]
        if "assignment" in target:
            assignment = target["assignment"]
            self.api.json("PUT", f"/api/v1/courses/{course_ref(course)}/assignments/{assignment}/"
                                 f"submissions/{user.id}",
                          f"grade assignment {assignment} of course {course} for user {user.id}",
                          data={"submission[posted_grade]": text})
            return Result.ok(f"course {course}, assignment {assignment}, user {user.id}: {text}")
        column = self._column(course, target["column"])
        self.api.json("PUT", f"/api/v1/courses/{course_ref(course)}/custom_gradebook_columns/"
                             f"{column}/data/{user.id}",
                      f"fill column {target['column']!r} of course {course} for user {user.id}",
                      data={"column_data[content]": text})
        return Result.ok(f"course {course}, column {target['column']!r}, user {user.id}: "
                         f"{text or '(cleared)'}")

    def _alert(self, event: dict, user: LmsUser | None) -> Result:
        if user is None:
            return _nobody(event)
        recipients, said = [user.id], f"sent to user {user.id}"
        email = (event.get("learner") or {}).get("manager_email")
        if event.get("kind") in FOR_MANAGERS and email and self._notify_managers():
            manager = self._manager(email)
            if manager is None:
                said += f"; the manager {email} has no Canvas user"
            elif manager.id != user.id:
                recipients.append(manager.id)
                said += f" and to their manager, user {manager.id}"
        subject, body = alert_text(event)
        # group_conversation=false: each recipient gets a private conversation of their own.
        self.api.json("POST", "/api/v1/conversations",
                      f"send a message to user{'s' if len(recipients) > 1 else ''} "
                      f"{', '.join(recipients)}",
                      data=[*[("recipients[]", r) for r in recipients], ("subject", subject),
                            ("body", body), ("group_conversation", "false")])
        return Result.ok(f"{event.get('kind')} alert {said}")

    def _manager(self, email: str) -> LmsUser | None:
        if email not in self._managers:
            found = find_user(self.api, self.account, [], email)
            if found is None:
                return None
            self._managers[email] = found
        return self._managers[email]

    def _notify_managers(self) -> bool:
        return str(self.config.options.get("notify_managers", "yes")).lower() not in (
            "no", "false", "0", "off")

    def _column(self, course, column) -> int:
        """The id of a custom gradebook column given by id or title."""
        if isinstance(column, int):
            return column
        if column not in self._columns.get(course, {}):  # unknown, or added since
            found = self.api.pages(f"/api/v1/courses/{course_ref(course)}/custom_gradebook_columns",
                                   f"list the custom gradebook columns of course {course}",
                                   {"include_hidden": "true"})
            self._columns[course] = {c["title"]: c["id"] for c in found}
        if column not in self._columns[course]:
            raise LmsFailure(missing_column(course, [column]))
        return self._columns[course][column]


def _nobody(event: dict) -> Result:
    learner = event.get("learner") or {}
    who = learner.get("email") or f"learner {learner.get('id')}"
    return Result.permanent(f"{who} has no Canvas user")

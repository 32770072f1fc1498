"""The Moodle connector: outbox events to Moodle's REST web services (see shapes.py for what
the mapping's `lms.moodle` dicts hold)."""

from typing import ClassVar

import requests

from lrs_bridge_connectors.base import (
    Check,
    Connector,
    ConnectorConfig,
    LmsUser,
    Result,
    RosterPerson,
)
from lrs_bridge_connectors.moodle import health, roster, shapes, users
from lrs_bridge_connectors.moodle.client import MoodleClient, MoodleError
from lrs_bridge_connectors.moodle.competencies import CompetencyIds, deliver_skill
from lrs_bridge_connectors.moodle.completion import MET, deliver_step
from lrs_bridge_connectors.moodle.messages import deliver_alert

OPTIONS = {
    "account_field": "the Moodle user field an xAPI account on this Moodle names: id (as "
                     "Moodle's own xAPI does; default), username or idnumber",
    **{option: f"the user field or custom profile field (short name) holding the roster's "
               f"{column} (default {default})"
       for column, (option, default) in roster.FIELDS.items()},
}


class MoodleConnector(Connector):
    """Moodle 4.5 and later, through a token of a service user (not a site administrator)
    and a custom external service holding the functions `health` names."""

    kind: ClassVar[str] = "moodle"
    options: ClassVar[dict[str, str]] = OPTIONS
    lms_shapes: ClassVar[dict[str, str]] = shapes.SHAPES

    def __init__(self, config: ConnectorConfig, session: requests.Session, lms_map: dict):
        super().__init__(config, session, lms_map)
        self.client = MoodleClient(config.url, config.token, session, config.timeout)
        self.account_field = config.options.get("account_field", "id")
        self.competencies = CompetencyIds(self.client)

    @classmethod
    def check_lms(cls, kind_of_object: str, data: dict) -> list[str]:
        """The problems of `data` as the `lms.moodle` dict of a module, skill or path."""
        return shapes.problems(kind_of_object, data)

    def resolve_user(self, learner: dict) -> LmsUser | None:
        return users.resolve(self.client, learner, self.account_field)

    @classmethod
    def wants(cls, event: dict, lms_map: dict) -> bool:
        """A met step or a rated skill of a mapped object, and an alert opened."""
        kind = event.get("type")
        if kind == "step.changed":
            return event.get("status") in MET and (lms_map.get("modules") or {}).get(
                event.get("module")) is not None
        if kind == "skill.changed":
            target = (lms_map.get("skills") or {}).get(event.get("skill"))
            return target is not None and shapes.scale_value(target, event.get("level")) \
                is not None
        return kind == "alert.opened"

    def deliver(self, event: dict, user: LmsUser | None) -> Result:
        kind = event.get("type")
        lms = self.lms_map or {}
        try:
            if kind == "step.changed":
                return deliver_step(self.client, lms.get("modules") or {}, event, user)
            if kind == "skill.changed":
                return deliver_skill(self.client, self.competencies, lms.get("skills") or {},
                                     event, user)
            if kind == "alert.opened":
                return deliver_alert(self.client, event, user, self.account_field)
        except MoodleError as err:
            return err.result
        return Result.ok(f"{kind}: not sent to Moodle")

    def health(self) -> list[Check]:
        found = health.checks(self.client, self.lms_map or {}, self.competencies)
        if self.account_field not in users.ACCOUNT_FIELDS:
            found.append(Check("options", False, f"account_field must be one of "
                               f"{', '.join(users.ACCOUNT_FIELDS)}, not {self.account_field!r}"))
        return found

    def fetch_roster(self) -> list[RosterPerson]:
        return roster.fetch(self.client, self.config.options, self.account_field)

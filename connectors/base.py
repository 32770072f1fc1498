"""The interface of an LMS connector.

A connector turns outbox events (plain dicts, see the README's Outbox) into calls to one LMS
and answers what happened. It never touches the database and never retries: the delivery
worker does both, from what `deliver` answers. It gets its configuration and one
`requests.Session` from the worker, sets a timeout on every call, keeps TLS verification on,
and never logs its token.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

import requests

OK, RETRY, PERMANENT = "ok", "retry", "permanent"


@dataclass(frozen=True)
class Result:
    """What one delivery did: `ok`, `retry` (later, maybe after `retry_after` seconds) or
    `permanent` (retrying cannot help: dead-letter it). `message` is the LMS's own words."""

    status: str
    message: str = ""
    retry_after: float | None = None
    user_gone: bool = False  # the LMS says the user no longer exists: forget the cached id

    @classmethod
    def ok(cls, message: str = "") -> "Result":
        return cls(OK, message)

    @classmethod
    def retry(cls, message: str, retry_after: float | None = None) -> "Result":
        return cls(RETRY, message, retry_after)

    @classmethod
    def permanent(cls, message: str, *, user_gone: bool = False) -> "Result":
        return cls(PERMANENT, message, user_gone=user_gone)


class ConnectorError(Exception):
    """The LMS could not be asked (`resolve_user`, `fetch_roster`): `result` says whether
    to retry and the LMS's words, as `deliver` would have answered."""

    def __init__(self, result: Result):
        super().__init__(result.message)
        self.result = result


@dataclass(frozen=True)
class Check:
    """One thing `connector test` checked, said so an LMS administrator can act on it."""

    name: str
    ok: bool
    message: str


@dataclass(frozen=True)
class LmsUser:
    """A user of the LMS, as a connector found them."""

    id: str
    email: str | None = None
    username: str | None = None
    idnumber: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class RosterPerson:
    """A user of the LMS as a roster row: the columns of `roster import` (README: Roster)."""

    email: str | None = None
    account_homepage: str | None = None
    account_name: str | None = None
    name: str | None = None
    role: str | None = None
    manager_email: str | None = None
    team: str | None = None
    start_date: str | None = None
    role_start_date: str | None = None
    leave_date: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class ConnectorConfig:
    """A connector as `lrs-bridge connector add` made it."""

    name: str
    kind: str
    url: str
    token: str = field(repr=False, default="")  # never printed, never logged
    options: dict = field(default_factory=dict)
    timeout: float = 20.0


class Connector(ABC):
    """One configured LMS. Subclasses set `kind` and implement the abstract methods."""

    kind: ClassVar[str] = ""
    # The options `connector add --option k=v` accepts, with what each means.
    options: ClassVar[dict[str, str]] = {}

    def __init__(self, config: ConnectorConfig, session: requests.Session, lms_map: dict):
        self.config = config
        self.session = session
        # What the mapping says each module, path and skill is in this LMS (README:
        # Mappings), by object id: {"modules": {...}, "paths": {...}, "skills": {...}}.
        self.lms_map = lms_map

    @abstractmethod
    def resolve_user(self, learner: dict) -> LmsUser | None:
        """The LMS user of a learner as events name them ({"email", "identifiers", …});
        None when the LMS has no such user. ConnectorError when the LMS cannot be asked."""

    @classmethod
    def wants(cls, event: dict, lms_map: dict) -> bool:
        """Whether this kind sends anything for `event`, given the mapping's `lms_map`: the
        progress worker writes no delivery to a connector of this kind when it does not.
        Answer from the event and the map alone (no LMS call); True when in doubt."""
        return True

    def needs_user(self, event: dict) -> bool:
        """Whether delivering `event` needs the learner's LMS user: when it does and the LMS
        has none (yet), the worker retries the event later instead of delivering it. An
        event the connector sends nothing for should answer False."""
        return self.wants(event, self.lms_map or {})

    @abstractmethod
    def deliver(self, event: dict, user: LmsUser | None) -> Result:
        """Deliver one outbox event (its type, learner and payload) for the resolved user
        (None only when `needs_user` said no). The worker may call this from several
        threads at once, for different learners."""

    @abstractmethod
    def health(self) -> list[Check]:
        """Check the token, the permissions and the settings the connector needs."""

    def fetch_roster(self) -> list[RosterPerson]:
        """The LMS's users as roster rows; a connector that cannot read one says so."""
        raise NotImplementedError(f"the {self.kind} connector cannot read a roster")

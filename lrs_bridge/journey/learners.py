"""Learners: the people behind xAPI agents, as the roster describes them, and the paths they
follow on a given day."""

from dataclasses import dataclass, field
from datetime import date

from lrs_bridge.journey.model import Mapping

STATUSES = ("active", "leaver", "alumni")


@dataclass(frozen=True)
class RoleSpell:
    """The learner holds `role` from `since` until the next spell starts."""

    role: str
    since: date


@dataclass(frozen=True)
class Learner:
    """One person in the learner directory; `keys` are the directory keys of their IFIs."""

    keys: frozenset[str]
    roles: tuple[RoleSpell, ...]  # oldest first
    start_date: date
    name: str = ""
    email: str = ""
    manager_email: str = ""
    team: str = ""
    leave_date: date | None = None
    status: str = "active"
    paths: tuple[str, ...] = ()  # followed by ambition, on top of the role's
    id: int | None = field(default=None, compare=False)

    @property
    def role(self) -> str:
        """The learner's current role."""
        return self.roles[-1].role


def with_role(roles: tuple[RoleSpell, ...], role: str, since: date) -> tuple[RoleSpell, ...]:
    """The role history once the learner holds `role` from `since`."""
    # A spell starting on or after `since` is superseded: the roster now says what held then.
    kept = tuple(spell for spell in roles if spell.since < since)
    if kept and kept[-1].role == role:
        return kept
    return (*kept, RoleSpell(role, since))


def role_on(learner: Learner, day: date) -> str | None:
    """The role the learner held on `day`; None before their first role."""
    held = [spell.role for spell in learner.roles if spell.since <= day]
    return held[-1] if held else None


def paths_on(learner: Learner, mapping: Mapping, day: date) -> tuple[str, ...]:
    """The ids of the paths the learner follows on `day`, in the mapping's order."""
    role = role_on(learner, day)
    role_paths = next((r.paths for r in mapping.roles if r.id == role), ())
    followed = set(role_paths) | set(learner.paths)
    return tuple(path.id for path in mapping.paths
                 if path.id in followed or path.audience is None
                 or (role is not None and role in path.audience))

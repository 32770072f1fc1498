"""Who a phase and a path are for, and when: the windows in which a learner is in a phase's
audience, the paths they follow now, and the onboarding paths of their first day.

A path's window runs from the learner's anchor date of it to the last due date of its steps,
while the learner follows it (the role they hold then, or their extra paths) and, unless the
path is anchored on the leave date, until they leave. A self-paced path (no step with a due
date) has no window. All of it follows from the roster and the mapping alone.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from lrs_bridge.journey.dates import month_index, plus
from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.learners import paths_on
from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.markers import onboarding_phase
from lrs_bridge.journey.model import Mapping, Path


@dataclass(frozen=True)
class Window:
    """The learner is in the audience of `phase` through `path` from `since` to `until`
    (both included)."""

    phase: str
    path: str
    since: date
    until: date


@dataclass(frozen=True)
class Followed:
    """A path the learner follows: its anchor date and the last due date of its steps."""

    path: str
    phase: str
    anchor: date
    due: date | None  # None: a self-paced path


def spells(person: Person) -> list[tuple[date, date | None, date]]:
    """(from, to or None: on, role start) of each stretch with one role, from the start date;
    before the first role the start date stands in for the role's start."""
    found, first = [], person.roles[0].since if person.roles else None
    if first is None or first > person.start_date:
        found.append((person.start_date, first and first - timedelta(days=1), person.start_date))
    for number, spell in enumerate(person.roles):
        later = person.roles[number + 1].since if number + 1 < len(person.roles) else None
        found.append((spell.since, later and later - timedelta(days=1), spell.since))
    return found


def anchor_of(path: Path, person: Person, role_start: date) -> date | None:
    """The learner's anchor date of `path`; None when the roster has none (no leave date)."""
    return {"start_date": person.start_date, "role_start_date": role_start,
            "leave_date": person.leave_date}[path.anchor]


def last_due(path: Path, anchor: date) -> date | None:
    """The latest due date of the path's steps after `anchor`; None when no step is due."""
    dues = [plus(anchor, step.due) for step in path.steps if step.due is not None]
    return max(dues) if dues else None


def windows(person: Person, mapping: Mapping) -> list[Window]:
    """Every window of the learner's journey, in the order of their stretches and paths."""
    paths = lookups(mapping).paths
    found = []
    for since, until, role_start in spells(person):
        for path_id in paths_on(person, mapping, since):
            path = paths[path_id]
            anchor = anchor_of(path, person, role_start)
            end = last_due(path, anchor) if anchor is not None else None
            if end is None:
                continue
            first, last = max(anchor, since), end if until is None else min(end, until)
            if path.anchor != "leave_date" and person.leave_date is not None:
                last = min(last, person.leave_date)
            if first <= last:
                found.append(Window(path.phase, path.id, first, last))
    return found


def audience_months(person: Person, mapping: Mapping) -> dict[str, set[int]]:
    """For each phase, the months (month_index) with at least one day in one of its windows."""
    found: dict[str, set[int]] = {}
    for window in windows(person, mapping):
        found.setdefault(window.phase, set()).update(
            range(month_index(window.since), month_index(window.until) + 1))
    return found


def followed_now(person: Person, mapping: Mapping) -> list[Followed]:
    """The paths the learner follows in their latest role (and by ambition), each with its
    anchor date; a path whose anchor the roster lacks (no leave date yet) is left out."""
    role_start = person.roles[-1].since if person.roles else person.start_date
    return _followed(person, mapping, role_start)


def onboarding_paths(person: Person, mapping: Mapping) -> list[Followed]:
    """The paths of the onboarding phase the learner followed on their start date."""
    phase = onboarding_phase(mapping)
    first = [s for s in person.roles if s.since <= person.start_date]
    role_start = first[-1].since if first else person.start_date
    return [f for f in _followed(person, mapping, person.start_date, role_start)
            if f.phase == phase]


def _followed(person: Person, mapping: Mapping, day: date,
              role_start: date | None = None) -> list[Followed]:
    paths = lookups(mapping).paths
    found = []
    for path_id in paths_on(person, mapping, day):
        path = paths[path_id]
        anchor = anchor_of(path, person, role_start or day)
        if anchor is not None:
            found.append(Followed(path.id, path.phase, anchor, last_due(path, anchor)))
    return found

"""The author's to-do list: activities that statements arrive for and no module matches."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from lrs_bridge.journey.matching import ModuleIndex, object_activity
from lrs_bridge.journey.model import Mapping
from lrs_bridge.xapi.agents import ifi_key


@dataclass
class Untagged:
    """One activity IRI no module matches, and how much it is used."""

    activity: str
    name: str | None = None
    statements: int = 0
    learners: set[str] = field(default_factory=set)
    last_seen: int = 0  # `stored`, epoch ms


def find_untagged(mapping: Mapping, stored: Iterable[tuple[dict, int]],
                  names: dict[str, str] | None = None) -> list[Untagged]:
    """Untagged activities of `stored` (statement, stored ms) pairs, most statements first.

    `names` are canonical names by activity id; otherwise the name in the newest statement.
    """
    index = ModuleIndex(mapping.modules)
    found: dict[str, Untagged] = {}
    for statement, stored_ms in stored:
        activity = object_activity(statement)
        if not activity or index.match(activity):
            continue
        entry = found.setdefault(activity, Untagged(activity))
        entry.statements += 1
        learner = ifi_key(statement.get("actor") or {})
        if learner:
            entry.learners.add(learner)
        if stored_ms >= entry.last_seen:
            entry.last_seen = stored_ms
            entry.name = _name(statement) or entry.name
    for entry in found.values():
        entry.name = (names or {}).get(entry.activity) or entry.name
    return sorted(found.values(), key=lambda e: (-e.statements, e.activity))


def _name(statement: dict) -> str | None:
    definition = (statement.get("object") or {}).get("definition") or {}
    return preferred_name(definition.get("name") if isinstance(definition, dict) else None)


def preferred_name(names) -> str | None:
    """One entry of a language map for a list: English, else Dutch, else the first."""
    if not isinstance(names, dict) or not names:
        return None
    for preferred in ("en", "en-US", "en-GB", "nl", "nl-NL"):
        if preferred in names:
            return names[preferred]
    return next(iter(names.values()))

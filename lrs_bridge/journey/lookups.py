"""Indexes of a mapping that the progress views and alert rules read for every learner: built
once per mapping, not once per learner."""

from dataclasses import dataclass

import isodate

from lrs_bridge.journey.model import Mapping, Module, Path

_RECENT: list[tuple[Mapping, "Lookups"]] = []


@dataclass(frozen=True)
class Lookups:
    modules: dict[str, Module]
    paths: dict[str, Path]
    grants: dict[str, frozenset[str]]  # skill -> the modules that give it
    phase_of: dict[str, str]  # module -> its phase, when the mapping has that phase
    valid_for: dict[str, object]  # skill -> timedelta or isodate Duration (absent: forever)
    role_targets: dict[str, dict[str, int]]


def lookups(mapping: Mapping) -> Lookups:
    """The indexes of `mapping` (the same object gives the same indexes)."""
    for known, found in _RECENT:
        if known is mapping:
            return found
    phases = {phase.id for phase in mapping.phases}
    grants: dict[str, set[str]] = {}
    for module in mapping.modules:
        for grant in module.skills:
            grants.setdefault(grant.skill, set()).add(module.id)
    found = Lookups(
        modules={m.id: m for m in mapping.modules},
        paths={p.id: p for p in mapping.paths},
        grants={skill: frozenset(ids) for skill, ids in grants.items()},
        phase_of={m.id: m.phase for m in mapping.modules if m.phase in phases},
        valid_for={s.id: isodate.parse_duration(s.valid_for) if isinstance(s.valid_for, str)
                   else s.valid_for for s in mapping.skills if s.valid_for is not None},
        role_targets={r.id: r.skills for r in mapping.roles},
    )
    _RECENT.insert(0, (mapping, found))
    del _RECENT[4:]  # a few mappings at most are in use at once (reloads)
    return found

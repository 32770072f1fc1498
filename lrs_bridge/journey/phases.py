"""Which paths, modules and skills belong to a journey phase, as the mapping tags them.

A path and a module belong to the phase they name. A step belongs to the phase of its path and
to that of its module (a development module on a retention path is in both). A skill names no
phase: it belongs to the phases of the modules that give it.
"""

from dataclasses import dataclass

from lrs_bridge.journey.model import Mapping


@dataclass(frozen=True)
class PhaseMembers:
    """The ids of the paths, modules and skills of one phase."""

    paths: frozenset[str]
    modules: frozenset[str]
    skills: frozenset[str]

    def has_step(self, path: str, module: str) -> bool:
        """Whether a step (module `module` on path `path`) belongs to the phase."""
        return path in self.paths or module in self.modules


def phase_members(mapping: Mapping, phase: str) -> PhaseMembers:
    """The paths, modules and skills of `phase` (empty sets for a phase nothing names)."""
    modules = [m for m in mapping.modules if m.phase == phase]
    return PhaseMembers(
        paths=frozenset(p.id for p in mapping.paths if p.phase == phase),
        modules=frozenset(m.id for m in modules),
        skills=frozenset(grant.skill for m in modules for grant in m.skills))


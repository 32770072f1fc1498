"""Journey coverage: phases without tagged content, and phases nobody was active in during
the period (of the learners counted)."""

from dataclasses import dataclass

from lrs_bridge.journey.model import Mapping


@dataclass(frozen=True)
class PhaseCoverage:
    phase: str
    modules: int
    paths: int
    active: int

    def as_json(self) -> dict:
        return {"phase": self.phase, "modules": self.modules, "paths": self.paths,
                "active": self.active}


@dataclass(frozen=True)
class Coverage:
    phases: tuple[PhaseCoverage, ...]

    def as_json(self) -> dict:
        return {"phases": [p.as_json() for p in self.phases],
                "without_content": [p.phase for p in self.phases if not p.modules],
                "without_activity": [p.phase for p in self.phases if not p.active]}


def coverage(mapping: Mapping, phases: list[str], active: dict[str, int]) -> Coverage:
    """Each of `phases` with its modules and paths in `mapping` and its active learners."""
    return Coverage(tuple(
        PhaseCoverage(phase, sum(m.phase == phase for m in mapping.modules),
                      sum(p.phase == phase for p in mapping.paths), active.get(phase, 0))
        for phase in phases))

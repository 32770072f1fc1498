"""Skill gaps and skill decay, as at the end of the period, against the skill levels each
learner's role needs (their latest role in the roster).

Gap matrix: per role and skill, the learners of the role, how many are below the target
level, and the mean gap (target minus level, 0 when at or above it; no evidence counts as
level 0). Decay, for skills whose evidence expires (`valid_for`): how many learners hold the
skill, how many will lose their level within N days, how many had evidence that has all
expired, and how many never had any.
"""

from dataclasses import dataclass, field

from lrs_bridge.journey.metrics.period import ratio


@dataclass(frozen=True)
class LevelCount:
    """Learners of `role` at `level` of `skill`."""

    role: str
    skill: str
    level: int
    learners: int


@dataclass(frozen=True)
class GapCell:
    role: str
    skill: str
    target: int
    learners: int
    below: int
    gap_total: int

    def as_json(self) -> dict:
        return {"role": self.role, "skill": self.skill, "target": self.target,
                "learners": self.learners, "below_target": self.below,
                "share_below": ratio(self.below, self.learners),
                "mean_gap": ratio(self.gap_total, self.learners)}


@dataclass(frozen=True)
class GapMatrix:
    roles: tuple[str, ...]
    skills: tuple[str, ...]
    cells: tuple[GapCell, ...]

    def as_json(self) -> dict:
        return {"roles": list(self.roles), "skills": list(self.skills),
                "cells": [c.as_json() for c in self.cells]}


def gap_matrix(targets: dict[str, dict[str, int]], skills: list[str],
               counts: list[LevelCount]) -> GapMatrix:
    """A cell per role (in `targets`' order) and skill it targets (in `skills`' order)."""
    cells = []
    for role, needs in targets.items():
        for skill in [s for s in skills if s in needs]:
            mine = [c for c in counts if c.role == role and c.skill == skill]
            target = needs[skill]
            cells.append(GapCell(role, skill, target, sum(c.learners for c in mine),
                                 sum(c.learners for c in mine if c.level < target),
                                 sum(max(0, target - c.level) * c.learners for c in mine)))
    used = {c.skill for c in cells}
    return GapMatrix(tuple(targets), tuple(s for s in skills if s in used), tuple(cells))


@dataclass(frozen=True)
class DecayCounts:
    """Learners whose role needs `skill`, by the state of their evidence."""

    skill: str
    held: int = 0
    expiring: int = 0
    expired: int = 0
    never: int = 0


@dataclass(frozen=True)
class SkillDecay:
    within_days: int
    skills: tuple[DecayCounts, ...]
    valid_for: dict[str, str] = field(default_factory=dict, hash=False)

    def as_json(self) -> dict:
        return {"within_days": self.within_days, "skills": [
            {"skill": c.skill, "valid_for": self.valid_for.get(c.skill),
             "learners": c.held + c.expired + c.never, "held": c.held,
             "expiring": c.expiring, "expired": c.expired, "never": c.never}
            for c in self.skills]}


def skill_decay(skills: list[str], counts: list[DecayCounts], within_days: int,
                valid_for: dict[str, str]) -> SkillDecay:
    """Each of `skills` (those that expire, in order) with its counts (none: zeros)."""
    by_skill = {c.skill: c for c in counts}
    return SkillDecay(within_days, tuple(by_skill.get(s, DecayCounts(s)) for s in skills),
                      valid_for)

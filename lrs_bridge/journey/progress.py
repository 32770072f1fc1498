"""The progress engine's fold: what a statement contributes, and adding or retracting it.

The state is a function of the set of evidence: the same statements folded in any order, with
any of them added and retracted again, give equal states. A fold touches only the module and
skills the evidence names.
"""

from dataclasses import dataclass
from datetime import datetime

from lrs_bridge.journey.evidence import TagLimits
from lrs_bridge.journey.explain import explain
from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.matching import ModuleIndex, scaled_score
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress_state import (
    Evidence,
    LearnerProgress,
    ModuleChanged,
    SkillChanged,
    SkillProgress,
    changed_fields,
    extend,
    summarise,
)
from lrs_bridge.xapi.timestamps import parse_timestamp

Change = ModuleChanged | SkillChanged


def evidence_of(mapping: Mapping, statement: dict, *, trusted_tags: bool,
                index: ModuleIndex | None = None,
                limits: TagLimits | None = None) -> Evidence | None:
    """What one stored statement contributes; None when it names no module, phase or skill.

    The rules are those `mappings explain` shows. A statement is a failure when its verb
    means failed, or when it shows a completion without a pass and its result says
    success: false (a finished test that was not passed); an ignored verb counts for nothing.
    """
    explained = explain(mapping, statement, trusted_tags, index, limits)
    if explained.meaning == "ignored":
        return None
    skills: dict[str, int] = {}
    for effect in explained.skills:
        if effect.given:
            skills[effect.skill] = max(skills.get(effect.skill, effect.level), effect.level)
    # A self-tag may name any phase; only the mapping's phases can be shown on a journey.
    known = {phase.id for phase in mapping.phases}
    phases = tuple(dict.fromkeys(p for p, _ in explained.phases if p in known))
    module = explained.module.id if explained.module else None
    if module is None and not phases and not skills:
        return None
    shown = explained.outcomes
    result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
    failed = explained.meaning == "failed" or (
        "completed" in shown and "passed" not in shown and result.get("success") is False)
    return Evidence(statement_id(statement), moment_of(statement), module, explained.meaning,
                    shown, scaled_score(statement), failed, tuple(sorted(skills.items())),
                    phases)


def statement_id(statement: dict) -> str:
    """The id of a stored statement; ValueError when it has none."""
    value = statement.get("id")
    if not isinstance(value, str) or not value:
        raise ValueError("a stored statement needs an id")
    return value


def moment_of(statement: dict) -> datetime:
    """When the statement happened: its timestamp, else when it was stored (aware, UTC)."""
    for key in ("timestamp", "stored"):
        try:
            return parse_timestamp(statement.get(key))
        except ValueError:
            continue
    raise ValueError(f"statement {statement.get('id')!r} has neither a valid timestamp "
                     "nor a valid stored time")


def add(state: LearnerProgress, evidence: Evidence, mapping: Mapping,
        now: datetime) -> tuple[LearnerProgress, list[Change]]:
    """Fold in one statement's evidence (updating `state` in place); a known id is a no-op."""
    if evidence.statement_id in state.evidence:
        return state, []
    state.evidence[evidence.statement_id] = evidence
    return state, _refresh(state, evidence, mapping, now, adding=True)


def retract(state: LearnerProgress, statement_id: str, mapping: Mapping,
            now: datetime) -> tuple[LearnerProgress, list[Change]]:
    """Take back everything a (voided) statement contributed; an unknown id is a no-op."""
    evidence = state.evidence.pop(statement_id, None)
    if evidence is None:
        return state, []
    return state, _refresh(state, evidence, mapping, now, adding=False)


def _refresh(state: LearnerProgress, evidence: Evidence, mapping: Mapping, now: datetime,
             adding: bool) -> list[Change]:
    changes: list[Change] = []
    if evidence.module is not None:
        before = state.modules.pop(evidence.module, None)
        if adding:
            after = extend(before, evidence)
        else:  # a retraction may take away a first or a best: summarise what remains
            after = summarise(evidence.module, _edited(before.evidence, evidence.statement_id,
                                                       None))
        if after is not None:
            state.modules[evidence.module] = after
        names = changed_fields(before, after)
        if names:
            changes.append(ModuleChanged(evidence.module, names))
    for skill, level in evidence.skills:
        before = state.skills.pop(skill, None)
        items = _edited(before.evidence if before else {}, evidence.statement_id,
                        (level, evidence.timestamp) if adding else None)
        after = SkillProgress(skill, items) if items else None
        if after is not None:
            state.skills[skill] = after
        valid = valid_for(mapping, skill)
        old, new = skill_level(before, valid, now), skill_level(after, valid, now)
        if _standing(old) != _standing(new):
            changes.append(SkillChanged(skill, old and old.level, new and new.level,
                                        new and new.expires))
    return changes


def _standing(level: "SkillLevel | None") -> tuple | None:
    # More evidence of the same level is no news; a new level, date or expiry is.
    return level and (level.level, level.attained, level.expires)


def _edited(items: dict, key: str, value) -> dict:
    """A copy of `items` with `key` set to `value`, or removed when `value` is None."""
    copy = dict(items)
    if value is None:
        copy.pop(key, None)
    else:
        copy[key] = value
    return copy


@dataclass(frozen=True)
class SkillLevel:
    """A skill's attained level at a moment, since when, until when, and on what evidence."""

    skill: str
    level: int
    attained: datetime  # the earliest unexpired evidence of this level
    expires: datetime | None  # the latest-expiring evidence of this level; None: never
    evidence: tuple[str, ...]  # the unexpired statements of this level


def skill_level(progress: SkillProgress | None, valid_for, now: datetime) -> SkillLevel | None:
    """The highest level whose evidence has not expired at `now`; None when there is none."""
    if progress is None:
        return None
    # Evidence stops counting at the instant it expires (timestamp + valid_for).
    live = [(level, moment, sid) for sid, (level, moment) in progress.evidence.items()
            if valid_for is None or moment + valid_for > now]
    if not live:
        return None
    top = max(level for level, _, _ in live)
    best = sorted((moment, sid) for level, moment, sid in live if level == top)
    expires = best[-1][0] + valid_for if valid_for is not None else None
    return SkillLevel(progress.skill, top, best[0][0], expires,
                      tuple(sorted(sid for _, sid in best)))


def valid_for(mapping: Mapping, skill: str):
    """How long evidence of `skill` counts: a timedelta or isodate Duration, None: forever."""
    return lookups(mapping).valid_for.get(skill)

"""Why a statement counts for what it counts: module, phase, path steps, skills, verb meaning."""

from dataclasses import dataclass, field

from lrs_bridge.journey.matching import (
    ModuleIndex,
    object_activity,
    outcomes,
    scaled_score,
    self_tags,
    verb_meaning,
)
from lrs_bridge.journey.model import Mapping, Module


@dataclass(frozen=True)
class SkillEffect:
    """A skill level the statement gives, or would give if its outcome or score sufficed."""

    skill: str
    level: int | None
    given: bool
    reason: str


@dataclass(frozen=True)
class Explanation:
    """What the mapping makes of one statement."""

    activity: str | None
    verb: str | None
    meaning: str | None
    outcomes: frozenset[str]
    module: Module | None = None
    matched_by: str | None = None
    phases: tuple[tuple[str, str], ...] = ()  # (phase, why)
    steps: tuple[tuple[str, int, str], ...] = ()  # (path, step number, outcome needed)
    skills: tuple[SkillEffect, ...] = field(default_factory=tuple)


def explain(mapping: Mapping, statement: dict, index: ModuleIndex | None = None) -> Explanation:
    """Map one statement; `index` can be shared between calls for speed."""
    index = index or ModuleIndex(mapping.modules)
    activity = object_activity(statement)
    verb = statement.get("verb", {}).get("id") if isinstance(statement.get("verb"), dict) else None
    meaning = verb_meaning(mapping, statement)
    shown = frozenset(outcomes(meaning, statement.get("result")))
    found = index.match(activity) if activity else None
    module, matched_by = found if found else (None, None)
    tagged_phases, tagged_skills = self_tags(statement)
    phases = [(module.phase, f"module {module.id}")] if module else []
    phases += [(p, "the statement's own category tag") for p in tagged_phases]
    steps = tuple((path.id, number, step.outcome)
                  for path in mapping.paths
                  for number, step in enumerate(path.steps, start=1)
                  if module and step.module == module.id)
    effects = [_grant_effect(g, shown, scaled_score(statement)) for g in
               (module.skills if module else ())]
    effects += [SkillEffect(skill, level, bool(shown) and level is not None,
                            "the statement's own category tag"
                            + ("" if shown else ", but the statement shows no completion"))
                for skill, level in tagged_skills]
    return Explanation(activity, verb, meaning, shown, module, matched_by, tuple(phases),
                       steps, tuple(effects))


def _grant_effect(grant, shown: frozenset[str], score: float | None) -> SkillEffect:
    if grant.outcome not in shown:
        return SkillEffect(grant.skill, grant.level, False,
                           f"needs the outcome {grant.outcome}, the statement shows "
                           f"{', '.join(sorted(shown)) or 'none'}")
    if grant.min_score is not None and (score is None or score < grant.min_score):
        return SkillEffect(grant.skill, grant.level, False,
                           f"needs a scaled score of at least {grant.min_score}, "
                           f"the statement has {'none' if score is None else score}")
    return SkillEffect(grant.skill, grant.level, True, f"on {grant.outcome}")


def render(explanation: Explanation) -> list[str]:
    """The explanation as lines of text for the terminal."""
    e = explanation
    lines = [f"activity: {e.activity or '(the object is not an Activity)'}",
             f"verb:     {e.verb} means {e.meaning or 'nothing (not in verbs.yaml)'}"
             f"; outcomes shown: {', '.join(sorted(e.outcomes)) or 'none'}"]
    if e.module:
        how = "exactly" if e.matched_by == "activity" else \
            f"by activity_prefix {e.module.activity_prefix}"
        lines.append(f"module:   {e.module.id} ({e.module.title.en}), matched {how}")
    else:
        lines.append("module:   none: no module's activity or activity_prefix matches")
    lines += [f"phase:    {phase} (from {why})" for phase, why in e.phases] or \
        ["phase:    none"]
    lines += [f"path:     {path}, step {n} (needs {outcome})" for path, n, outcome in e.steps]
    for effect in e.skills:
        level = "" if effect.level is None else f" level {effect.level}"
        state = "gives" if effect.given else "does not give"
        lines.append(f"skill:    {state} {effect.skill}{level}: {effect.reason}")
    return lines

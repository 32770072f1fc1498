"""Why a statement counts for what it counts: module, phase, path steps, skills, verb meaning."""

from dataclasses import dataclass, field

from lrs_bridge.journey.evidence import (
    SkillEffect,
    StepVerdict,
    TagLimits,
    grant_effect,
    self_tag_effect,
    step_verdict,
)
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
class PathStep:
    """A step of a path that the statement's module is, and whether the statement meets it."""

    path: str
    number: int  # from 1
    outcome: str
    verdict: StepVerdict


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
    steps: tuple[PathStep, ...] = ()
    skills: tuple[SkillEffect, ...] = field(default_factory=tuple)


def explain(mapping: Mapping, statement: dict, trusted_tags: bool,
            index: ModuleIndex | None = None, limits: TagLimits | None = None) -> Explanation:
    """Map one statement; `trusted_tags`: it comes from a credential trusted with skill tags.

    `index` and `limits` can be shared between calls for speed.
    """
    index = index or ModuleIndex(mapping.modules)
    limits = limits or TagLimits.of(mapping)
    activity = object_activity(statement)
    verb = statement.get("verb", {}).get("id") if isinstance(statement.get("verb"), dict) else None
    meaning = verb_meaning(mapping, statement)
    shown = frozenset(outcomes(meaning, statement.get("result")))
    found = index.match(activity) if activity else None
    module, matched_by = found if found else (None, None)
    tagged_phases, tagged_skills = self_tags(statement)
    phases = [(module.phase, f"module {module.id}")] if module else []
    phases += [(p, "the statement's own category tag") for p in tagged_phases]
    steps = tuple(PathStep(path.id, number, step.outcome, step_verdict(step, meaning, shown))
                  for path in mapping.paths
                  for number, step in enumerate(path.steps, start=1)
                  if module and step.module == module.id)
    effects = [grant_effect(g, shown, scaled_score(statement)) for g in
               (module.skills if module else ())]
    effects += [self_tag_effect(limits, skill, level, shown, trusted_tags)
                for skill, level in tagged_skills]
    return Explanation(activity, verb, meaning, shown, module, matched_by, tuple(phases),
                       steps, tuple(effects))


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
    lines += [_step_line(step, e.module) for step in e.steps]
    for effect in e.skills:
        level = "" if effect.level is None else f" level {effect.level}"
        state = "gives" if effect.given else "does not give"
        lines.append(f"skill:    {state} {effect.skill}{level}: {effect.reason}")
    return lines


def _step_line(step: PathStep, module: Module) -> str:
    verdict = step.verdict
    line = (f"path:     {step.path}, step {step.number} (needs {step.outcome}): "
            f"{'satisfied' if verdict.satisfied else 'not satisfied'} — {verdict.reason}")
    scored = sorted({g.skill for g in module.skills if g.min_score is not None})
    if verdict.satisfied and scored:
        # Authors expect a min_score to hold back the step too; say that it does not.
        line += f" (a min_score holds back only the skill {', '.join(scored)}, not the step)"
    return line

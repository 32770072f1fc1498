"""What one statement counts for: the rules for skill grants, self-tagged skill levels and
path steps that `mappings explain` shows and the progress engine folds with."""

from dataclasses import dataclass

from lrs_bridge.journey.model import Mapping, Scale, SkillGrant, Step


@dataclass(frozen=True)
class SkillEffect:
    """A skill level the statement gives, or would give if its outcome or score sufficed."""

    skill: str
    level: int | None
    given: bool
    reason: str
    from_tag: bool = False  # from the statement's own category tag, not a module's grant


@dataclass(frozen=True)
class StepVerdict:
    """Whether a statement satisfies a path step, and why (not)."""

    satisfied: bool
    reason: str


@dataclass(frozen=True)
class TagLimits:
    """What a self-tag may claim: the mapping's skills, and the highest level modules give."""

    scales: dict[str, Scale]
    highest: dict[str, int]

    @classmethod
    def of(cls, mapping: Mapping) -> "TagLimits":
        """The limits of `mapping`; build once and share between statements."""
        highest: dict[str, int] = {}
        for module in mapping.modules:
            for grant in module.skills:
                highest[grant.skill] = max(highest.get(grant.skill, grant.level), grant.level)
        return cls({s.id: s.scale for s in mapping.skills}, highest)


def grant_effect(grant: SkillGrant, shown: frozenset[str], score: float | None) -> SkillEffect:
    """What a module's skill grant gives for a statement with these outcomes and score."""
    if grant.outcome not in shown:
        return SkillEffect(grant.skill, grant.level, False,
                           f"needs the outcome {grant.outcome}, the statement shows "
                           f"{', '.join(sorted(shown)) or 'none'}")
    if grant.min_score is not None and (score is None or score < grant.min_score):
        return SkillEffect(grant.skill, grant.level, False,
                           f"needs a scaled score of at least {grant.min_score}, "
                           f"the statement has {'none' if score is None else score}")
    return SkillEffect(grant.skill, grant.level, True, f"on {grant.outcome}")


def self_tag_effect(limits: TagLimits, skill: str, level: int | None, shown: frozenset[str],
                    trusted: bool) -> SkillEffect:
    """The level a self-tag counts for: trusted credentials only, capped by the modules."""
    def ignored(why: str) -> SkillEffect:
        return SkillEffect(skill, level, False, f"self-tag ignored: {why}", from_tag=True)

    if level is None:
        return SkillEffect(skill, None, False, "self-tag without a level: evidence of the "
                           "skill, no level", from_tag=True)
    # Any credential that may write statements can send any tag: a level is evidence only
    # when the administrator vouched for the credential.
    if not trusted:
        return ignored("the statement is not from a credential trusted with skill tags "
                       "(`credentials add --trust-skill-tags`)")
    scale = limits.scales.get(skill)
    if scale is None:
        return ignored(f"the mapping has no skill {skill!r}")
    if not shown:
        return ignored("the statement shows no completion")
    cap = limits.highest.get(skill)
    if cap is None:
        return ignored(f"no module of the mapping gives {skill}, so a self-tag gives no level")
    if level < scale.min:
        return ignored(f"level {level} is below the scale {scale.min}–{scale.max} of {skill}")
    if level > cap:
        return SkillEffect(skill, cap, True, f"self-tag of level {level}, capped at {cap} "
                           f"because that is the highest level the mapping's modules give "
                           f"{skill}", from_tag=True)
    return SkillEffect(skill, level, True, "self-tag from a trusted credential", from_tag=True)


def step_verdict(step: Step, meaning: str | None, shown: frozenset[str]) -> StepVerdict:
    """Whether one statement satisfies a step: it shows the step's outcome, nothing more."""
    # A module grant's min_score sets the bar for a skill level, not for the step: the
    # content's own pass or completion is what the path asks for.
    if step.outcome in shown:
        return StepVerdict(True, "the statement shows a "
                           + ("pass" if step.outcome == "passed" else "completion"))
    if meaning == "failed":
        why = "the statement shows a failure"
    elif meaning is None:
        why = "its verb means nothing to the mapping (not in verbs.yaml)"
    elif meaning == "ignored":
        why = "its verb is one the mapping ignores"
    elif shown:
        why = "the statement shows a completion, not a pass"
    else:
        why = f"the statement shows no completion (its verb means {meaning})"
    return StepVerdict(False, why)

"""The mapping model: what content authors say a statement means for the employee journey.

Every object remembers where it was written (`Origin`), so that a check can point the author
at the file, line and field of a problem.
"""

from dataclasses import dataclass, field
from datetime import timedelta

OUTCOMES = ("completed", "passed")
# What a phase can be marked as, for the metrics that are about one phase: onboarding (time to
# productivity, retention by onboarding) and offboarding (leavers' exit surveys).
PHASE_KINDS = ("onboarding", "offboarding")
MODULE_TYPES = ("e-learning", "microlearning", "assessment", "classroom", "mentoring", "survey",
                "on-the-job")
# What a verb can mean for progress; "ignored" verbs count for nothing.
VERB_MEANINGS = ("completed", "passed", "failed", "progressed", "attempted", "experienced",
                 "satisfied", "waived", "responded", "attended", "abandoned", "ignored")


@dataclass(frozen=True)
class Origin:
    """Where an object was written: its file, its line, and the line of each of its fields."""

    file: str = ""
    line: int = 0
    path: str = ""  # where in the file, e.g. "modules[2]"
    fields: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, name: str) -> int:
        """The line of field `name` (e.g. "skills[0].level"), else of the nearest enclosing
        field written there, else of the object."""
        while name:
            if name in self.fields:
                return self.fields[name]
            name = name[:max(name.rfind("."), name.rfind("["), 0)]
        return self.line


@dataclass(frozen=True)
class Text:
    """A name in English and Dutch."""

    en: str
    nl: str


@dataclass(frozen=True)
class Phase:
    id: str
    name: Text
    kind: str | None = None  # one of PHASE_KINDS, or None
    origin: Origin = Origin()


@dataclass(frozen=True)
class Scale:
    """The proficiency levels of a skill, min..max inclusive."""

    min: int = 0
    max: int = 5


@dataclass(frozen=True)
class Skill:
    id: str
    name: Text
    scale: Scale = Scale()
    uri: str | None = None  # ESCO, O*NET …
    # After this long, evidence of the skill no longer counts (skill decay, certificates).
    valid_for: timedelta | str | None = None
    origin: Origin = Origin()
    lms: dict = field(default_factory=dict, hash=False)  # connector kind -> its data


@dataclass(frozen=True)
class Role:
    """A role profile: the skill levels the role needs and the learning paths it follows."""

    id: str
    name: Text
    skills: dict[str, int] = field(default_factory=dict)
    paths: tuple[str, ...] = ()
    origin: Origin = Origin()


@dataclass(frozen=True)
class SkillGrant:
    """A module gives `skill` at `level` on an outcome, above an optional minimum scaled score."""

    skill: str
    level: int
    outcome: str = "completed"
    min_score: float | None = None
    origin: Origin = Origin()


@dataclass(frozen=True)
class Module:
    """A unit of content, matched by an exact activity IRI or by every IRI under a prefix."""

    id: str
    title: Text
    type: str
    phase: str
    activity: str | None = None
    activity_prefix: str | None = None
    duration: object = None  # an ISO 8601 duration (isodate: timedelta or Duration)
    skills: tuple[SkillGrant, ...] = ()
    origin: Origin = Origin()
    lms: dict = field(default_factory=dict, hash=False)  # connector kind -> its data


@dataclass(frozen=True)
class Step:
    """A module on a path, due `due` after the learner's anchor date."""

    module: str
    due: object = None
    outcome: str = "completed"
    optional: bool = False
    prerequisites: tuple[str, ...] = ()
    origin: Origin = Origin()


@dataclass(frozen=True)
class Path:
    """A learning path: ordered steps in one phase, for some roles or for everyone."""

    id: str
    name: Text
    phase: str
    audience: tuple[str, ...] | None  # None: everyone
    anchor: str
    steps: tuple[Step, ...]
    origin: Origin = Origin()
    lms: dict = field(default_factory=dict, hash=False)  # connector kind -> its data


@dataclass(frozen=True)
class AlertRules:
    """The thresholds of the alert rules."""

    stalled_after: object = timedelta(days=14)
    failures_before_alert: int = 3
    expiry_warning: object = timedelta(days=30)
    origin: Origin = Origin()


@dataclass(frozen=True)
class Mapping:
    """Everything the authors tagged, as loaded from one mappings folder."""

    phases: tuple[Phase, ...] = ()
    skills: tuple[Skill, ...] = ()
    roles: tuple[Role, ...] = ()
    modules: tuple[Module, ...] = ()
    paths: tuple[Path, ...] = ()
    verbs: dict[str, str] = field(default_factory=dict)
    alerts: AlertRules = AlertRules()

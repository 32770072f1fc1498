"""What a learner's progress state shows at a moment: step and path status, skills and gaps,
the current phase."""

from dataclasses import dataclass
from datetime import date, datetime

from lrs_bridge.journey.dates import plus
from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.model import Mapping, Path, Step
from lrs_bridge.journey.progress import skill_level, valid_for
from lrs_bridge.journey.progress_state import LearnerProgress

STEP_STATUSES = ("not_started", "in_progress", "failed", "completed", "passed")
PATH_STATUSES = ("not_started", "in_progress", "completed")


@dataclass(frozen=True)
class Learner:
    """What the views need to know of a learner besides their evidence."""

    role: str | None = None
    start_date: date | None = None
    role_start_date: date | None = None
    leave_date: date | None = None
    paths: tuple[str, ...] = ()  # the ids of the paths the learner follows
    status: str = "active"  # active, leaver or alumni (journey.learners.STATUSES)


@dataclass(frozen=True)
class StepStatus:
    """Where a learner stands on one step of a path."""

    path: str
    number: int  # from 1
    module: str
    outcome: str
    optional: bool
    status: str  # one of STEP_STATUSES; completed or passed: the step's outcome is met
    due: date | None
    overdue: bool
    completed_at: datetime | None = None
    completed_by: str | None = None  # the statement that first met the step's outcome
    score: float | None = None  # the best scaled score of the step's module
    attempts: int = 0
    failures: int = 0


@dataclass(frozen=True)
class PathStatus:
    """Where a learner stands on a path: its steps, and the share of required steps met."""

    path: str
    status: str  # one of PATH_STATUSES
    progress: float  # required steps met / required steps
    completed_at: datetime | None
    steps: tuple[StepStatus, ...]


@dataclass(frozen=True)
class SkillStatus:
    """A skill's attained level against the role's target."""

    skill: str
    level: int | None  # None: no unexpired evidence
    target: int | None  # None: the role asks nothing of this skill
    gap: int
    attained: datetime | None = None
    expires: datetime | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class LearnerView:
    """Everything the views say about one learner at a moment."""

    paths: tuple[PathStatus, ...]
    skills: tuple[SkillStatus, ...]
    phase: str | None
    last_activity: datetime | None


def step_status(state: LearnerProgress, path: Path, number: int, learner: Learner,
                now: datetime) -> StepStatus:
    """The status of step `number` (from 1) of `path`, and when it is due."""
    step = path.steps[number - 1]
    module = state.modules.get(step.module)
    met, at = module.first_showing(step.outcome) if module else (None, None)
    if met is not None:
        status = step.outcome
    elif module is None:
        status = "not_started"
    elif module.last_failed:
        status = "failed"
    else:
        status = "in_progress"
    due = due_date(step, path, learner)
    # An optional step never falls overdue: nobody has to take it.
    overdue = not step.optional and met is None and due is not None and now.date() > due
    return StepStatus(path.id, number, step.module, step.outcome, step.optional, status, due,
                      overdue, at, met, module and module.best_score,
                      module.attempts if module else 0, module.failures if module else 0)


def due_date(step: Step, path: Path, learner: Learner) -> date | None:
    """The learner's anchor date of the path plus the step's due; None when either is unknown."""
    anchor = getattr(learner, path.anchor, None)
    if anchor is None or step.due is None:
        return None
    return plus(anchor, step.due)


def path_status(state: LearnerProgress, path: Path, learner: Learner,
                now: datetime) -> PathStatus:
    """The status of one path: completed once every required step is met.

    A path of optional steps only is complete once any of its steps is met.
    """
    steps = tuple(step_status(state, path, n, learner, now)
                  for n in range(1, len(path.steps) + 1))
    required = [s for s in steps if not s.optional] or \
        [s for s in steps if s.completed_by] or list(steps)
    met = [s for s in required if s.completed_by]
    progress = len(met) / len(required)
    if len(met) == len(required):
        status = "completed"
    elif any(s.status != "not_started" for s in steps):
        status = "in_progress"
    else:
        status = "not_started"
    done = max(s.completed_at for s in met) if status == "completed" else None
    return PathStatus(path.id, status, progress, done, steps)


def path_statuses(state: LearnerProgress, mapping: Mapping, learner: Learner,
                  now: datetime) -> tuple[PathStatus, ...]:
    """The status of each path the learner follows; ids the mapping lacks are skipped."""
    paths = lookups(mapping).paths
    return tuple(path_status(state, paths[pid], learner, now)
                 for pid in learner.paths if pid in paths)


def skill_statuses(state: LearnerProgress, mapping: Mapping, role: str | None,
                   now: datetime) -> tuple[SkillStatus, ...]:
    """Each skill the role targets or the learner has evidence of, with its gap.

    No unexpired evidence counts as level 0: the whole target is missing.
    """
    targets = lookups(mapping).role_targets.get(role, {})
    found = []
    for skill in sorted(set(targets) | set(state.skills)):
        level = skill_level(state.skills.get(skill), valid_for(mapping, skill), now)
        target = targets.get(skill)
        gap = max(0, target - (level.level if level else 0)) if target is not None else 0
        found.append(SkillStatus(skill, level and level.level, target, gap,
                                 level and level.attained, level and level.expires,
                                 level.evidence if level else ()))
    return tuple(found)


def current_phase(state: LearnerProgress,
                  mapping: Mapping) -> tuple[str | None, datetime | None]:
    """The phase of the learner's latest evidence that has one, and their last activity.

    Read from the module summaries and the evidence of no module, so that a state loaded
    without its module evidence shows the same.
    """
    phase_of = lookups(mapping).phase_of
    # ((moment, statement id), phase or None) of each module's latest evidence and of each
    # piece of evidence of no module
    candidates = [((m.last_activity, m.latest_by or ""), phase_of.get(m.module))
                  for m in state.modules.values()]
    candidates += [(e.order, e.phases[0] if e.phases else None)
                   for e in state.evidence.values() if e.module is None]
    latest = max(candidates, key=lambda c: c[0], default=None)
    phased = max((c for c in candidates if c[1]), key=lambda c: c[0], default=None)
    return (phased[1] if phased else None), (latest[0][0] if latest else None)


def learner_view(state: LearnerProgress, mapping: Mapping, learner: Learner,
                 now: datetime) -> LearnerView:
    """All the views of one learner at `now`."""
    phase, last = current_phase(state, mapping)
    return LearnerView(path_statuses(state, mapping, learner, now),
                       skill_statuses(state, mapping, learner.role, now), phase, last)

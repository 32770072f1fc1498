"""The events a change of a learner's progress makes: what the outbox carries to the LMS.

Each event has a stable key: the same change of the same learner (a step passed by the same
statement, a skill reaching the same level on the same evidence) always has the same key, so a
rebuild that finds a change again makes no new event.
"""

from dataclasses import dataclass
from datetime import date, datetime

from lrs_bridge.journey.progress_views import LearnerView, PathStatus, SkillStatus, StepStatus


@dataclass(frozen=True)
class Event:
    type: str  # step.changed, path.changed, skill.changed, alert.opened, alert.resolved
    key: str  # stable: the same change always has the same key
    payload: dict  # JSON-able


def progress_events(before: LearnerView, after: LearnerView) -> list[Event]:
    """The events between two views of one learner at the same moment."""
    events = []
    old_steps = {(s.path, s.number): s for p in before.paths for s in p.steps}
    old_paths = {p.path: p for p in before.paths}
    for path in after.paths:
        for step in path.steps:
            old = old_steps.get((step.path, step.number))
            if old is None or _step_sign(old) != _step_sign(step):
                events.append(_step_event(step))
        old = old_paths.get(path.path)
        if old is None and path.status == "not_started":
            continue  # a path newly followed, not begun: nothing has happened yet
        if old is None or _path_sign(old) != _path_sign(path):
            events.append(_path_event(path))
    old_skills = {s.skill: s for s in before.skills}
    for skill in after.skills:
        old = old_skills.get(skill.skill)
        if old is None and skill.level is None:
            continue  # a target without evidence: a gap, not a change
        if old is None or _skill_sign(old) != _skill_sign(skill):
            events.append(_skill_event(skill))
    return events


def _step_sign(step: StepStatus) -> tuple:
    return step.status, step.completed_by, step.attempts, step.failures, step.score


def _path_sign(path: PathStatus) -> tuple:
    # The statements that met its steps: progress that falls back and rises again on other
    # statements is a new change, not the old one repeated.
    met = ",".join(sorted(s.completed_by for s in path.steps if s.completed_by))
    return path.status, round(path.progress, 6), path.completed_at, met


def _skill_sign(skill: SkillStatus) -> tuple:
    return skill.level, skill.attained, skill.expires


def _step_event(step: StepStatus) -> Event:
    payload = {"path": step.path, "step": step.number, "module": step.module,
               "status": step.status, "outcome": step.outcome, "optional": step.optional,
               "due": _text(step.due), "completed_at": _text(step.completed_at),
               "completed_by": step.completed_by, "score": step.score,
               "attempts": step.attempts, "failures": step.failures}
    sign = "|".join(str(part) for part in _step_sign(step))
    return Event("step.changed", f"step|{step.path}|{step.number}|{sign}", payload)


def _path_event(path: PathStatus) -> Event:
    payload = {"path": path.path, "status": path.status, "progress": path.progress,
               "completed_at": _text(path.completed_at)}
    sign = "|".join(str(part) for part in _path_sign(path))
    return Event("path.changed", f"path|{path.path}|{sign}", payload)


def _skill_event(skill: SkillStatus) -> Event:
    payload = {"skill": skill.skill, "level": skill.level, "target": skill.target,
               "gap": skill.gap, "attained": _text(skill.attained),
               "expires": _text(skill.expires), "evidence": list(skill.evidence)}
    sign = "|".join(str(part) for part in _skill_sign(skill))
    return Event("skill.changed", f"skill|{skill.skill}|{sign}", payload)


def _text(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

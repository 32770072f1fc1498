"""The alert rules: which alert conditions hold for a learner at a moment.

Every rule reads the time from `now`, never from the clock, and a condition is keyed by
(kind, subject), so a learner has at most one of each.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import isodate

from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.model import Mapping, Path
from lrs_bridge.journey.progress import valid_for
from lrs_bridge.journey.progress_state import LearnerProgress
from lrs_bridge.journey.progress_views import Learner, LearnerView, PathStatus, SkillStatus

KINDS = ("overdue", "skill_gap", "stalled", "repeated_failure", "expiring", "expired", "milestone")
# The kinds a learner no longer gets once they have left.
WHILE_EMPLOYED = ("overdue", "stalled", "skill_gap")

Key = tuple[str, str]


@dataclass(frozen=True)
class Condition:
    """An alert condition that holds at a moment: what, about what, and since when."""

    kind: str  # one of KINDS
    subject: str  # "<path>/<module>", "<module>", "<skill>", "journey", "path:<id>", "phase:<id>"
    since: datetime  # when it began to hold (aware, UTC)
    path: str | None = None
    phase: str | None = None
    detail: dict = field(default_factory=dict, hash=False)  # JSON-able facts for people

    @property
    def key(self) -> Key:
        """The alert's identity for a learner: (kind, subject)."""
        return self.kind, self.subject


def has_left(learner: Learner, now: datetime) -> bool:
    """Past the leave date; without one, a leaver or alumnus has left already."""
    if learner.leave_date is not None:
        return now.date() > learner.leave_date
    return learner.status in ("leaver", "alumni")


def conditions(view: LearnerView, state: LearnerProgress, mapping: Mapping, learner: Learner,
               now: datetime) -> dict[Key, Condition]:
    """Every alert condition that holds for the learner at `now`, by (kind, subject)."""
    paths = lookups(mapping).paths
    found = [*_milestones(view, paths), *_repeated_failures(view, state, mapping),
             *_expiry(view, state, mapping, now)]
    if not has_left(learner, now):
        found += [*_overdue(view, paths), *_skill_gaps(view, state, mapping, now),
                  *_stalled(view, paths, learner, mapping, now)]
    return {c.key: c for c in sorted(found, key=lambda c: c.key)}


def as_duration(value) -> timedelta | isodate.Duration:
    """An alert threshold as something to add to a datetime (text is read as ISO 8601)."""
    return isodate.parse_duration(value) if isinstance(value, str) else value


def day_start(day: date) -> datetime:
    """The instant `day` begins, UTC."""
    return datetime.combine(day, time(), tzinfo=UTC)


def day_end(day: date) -> datetime:
    """The instant `day` is over: the start of the next day, UTC."""
    return day_start(day + timedelta(days=1))


def _overdue(view: LearnerView, paths: dict[str, Path]) -> Iterator[Condition]:
    for status in view.paths:
        for step in status.steps:
            if step.overdue:
                yield Condition("overdue", f"{status.path}/{step.module}", day_end(step.due),
                                status.path, paths[status.path].phase,
                                {"module": step.module, "step": step.number,
                                 "outcome": step.outcome, "due": step.due.isoformat()})


def _repeated_failures(view: LearnerView, state: LearnerProgress,
                       mapping: Mapping) -> Iterator[Condition]:
    threshold = max(mapping.alerts.failures_before_alert, 1)
    phases = {module.id: module.phase for module in mapping.modules}
    seen = set()
    for status in view.paths:
        for step in status.steps:
            progress = state.modules.get(step.module)
            if (step.module in seen or step.completed_by or progress is None
                    or progress.failures < threshold):
                continue
            seen.add(step.module)
            yield Condition("repeated_failure", step.module, progress.failed_at[threshold - 1],
                            status.path, phases.get(step.module),
                            {"module": step.module, "failures": progress.failures,
                             "attempts": progress.attempts, "threshold": threshold})


def _expiry(view: LearnerView, state: LearnerProgress, mapping: Mapping,
            now: datetime) -> Iterator[Condition]:
    warning = as_duration(mapping.alerts.expiry_warning)
    for skill in view.skills:
        if skill.level is not None and skill.expires is not None \
                and now < skill.expires <= now + warning:
            yield Condition("expiring", skill.skill, skill.expires - warning, detail={
                "level": skill.level, "target": skill.target,
                "expires": skill.expires.isoformat()})
        elif skill.level is None and skill.skill in state.skills:
            # Evidence without a level has all expired: the latest evidence expired last.
            shown = state.skills[skill.skill].evidence.values()
            latest = max(moment for _, moment in shown)
            expired = latest + valid_for(mapping, skill.skill)
            yield Condition("expired", skill.skill, expired, detail={
                "level": max(level for level, moment in shown if moment == latest),
                "target": skill.target, "expired": expired.isoformat()})


def _milestones(view: LearnerView, paths: dict[str, Path]) -> Iterator[Condition]:
    by_phase: dict[str, list[PathStatus]] = {}
    for status in view.paths:
        phase = paths[status.path].phase
        by_phase.setdefault(phase, []).append(status)
        if status.status == "completed":
            yield Condition("milestone", f"path:{status.path}", status.completed_at,
                            status.path, phase, {"path": status.path, "phase": phase})
    for phase, statuses in by_phase.items():
        if all(s.status == "completed" for s in statuses):
            yield Condition("milestone", f"phase:{phase}",
                            max(s.completed_at for s in statuses), None, phase,
                            {"phase": phase, "paths": [s.path for s in statuses]})


def _skill_gaps(view: LearnerView, state: LearnerProgress, mapping: Mapping,
                now: datetime) -> Iterator[Condition]:
    for skill in view.skills:
        if skill.target is None or skill.gap <= 0:
            continue
        triggers = sorted(_gap_triggers(skill.skill, view, state, mapping, now),
                          key=lambda t: (t[0], t[1] or "", t[3]))
        if not triggers:
            continue
        moment, path, phase, module = triggers[0]
        began = _gap_began(skill, state, mapping)
        yield Condition("skill_gap", skill.skill, max(moment, began) if began else moment,
                        path, phase, {"level": skill.level, "target": skill.target,
                                      "gap": skill.gap, "module": module})


def _gap_triggers(skill: str, view: LearnerView, state: LearnerProgress, mapping: Mapping,
                  now: datetime) -> Iterator[tuple[datetime, str | None, str, str]]:
    """When a gap in `skill` became news: (moment, path, phase, module) for each step that
    should have closed it and has fallen due, and each assessment of it that was attempted."""
    found = lookups(mapping)
    modules, grants = found.modules, found.grants.get(skill, frozenset())
    phases = {pid: path.phase for pid, path in found.paths.items()}
    for status in view.paths:
        for step in status.steps:
            if step.module in grants and step.due is not None and now.date() > step.due:
                yield day_end(step.due), status.path, phases[status.path], step.module
    for module in sorted(grants):
        progress = state.modules.get(module)
        if modules[module].type == "assessment" and progress and progress.attempts >= 1:
            yield progress.first_attempt_at, None, modules[module].phase, module


def _gap_began(skill: SkillStatus, state: LearnerProgress, mapping: Mapping) -> datetime | None:
    """When the last evidence at or above the target expired; None when there was none."""
    valid = valid_for(mapping, skill.skill)
    progress = state.skills.get(skill.skill)
    if valid is None or progress is None:
        return None
    return max((moment + valid for level, moment in progress.evidence.values()
                if level >= skill.target), default=None)


def _stalled(view: LearnerView, paths: dict[str, Path], learner: Learner, mapping: Mapping,
             now: datetime) -> Iterator[Condition]:
    """No activity for `stalled_after` while a path is open.

    A path is open while it is not completed and it has begun: it shows activity or its
    anchor date has come. The quiet spell counts from the last activity, but not from before
    the earliest anchor of the open paths: nobody stalls on a path before it starts.
    """
    today = now.date()
    anchors = {s.path: getattr(learner, paths[s.path].anchor, None) for s in view.paths}
    open_ = [s for s in view.paths if s.status == "in_progress" or (
        s.status == "not_started" and anchors[s.path] is not None and anchors[s.path] <= today)]
    starts = [day_start(anchors[s.path]) for s in open_
              if anchors[s.path] is not None]
    known = [m for m in (view.last_activity, min(starts, default=None)) if m is not None]
    if not open_ or not known:
        return
    quiet = max(known)
    since = quiet + as_duration(mapping.alerts.stalled_after)
    if since > now:
        return
    phases = {paths[s.path].phase for s in open_}
    yield Condition("stalled", "journey", since, open_[0].path if len(open_) == 1 else None,
                    phases.pop() if len(phases) == 1 else None,
                    {"last_activity": view.last_activity and view.last_activity.isoformat(),
                     "quiet_since": quiet.isoformat(), "open_paths": [s.path for s in open_]})

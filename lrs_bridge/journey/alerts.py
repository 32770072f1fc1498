"""Alerts: which to open and which to resolve, given the conditions that hold now.

An alert is open for as long as its condition holds, one per (learner, kind, subject). When
the condition clears, the alert resolves itself and says what cleared it: a statement when
one did (a pass, new evidence, activity), else the time or the roster ("left").
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from lrs_bridge.journey.alert_rules import (
    KINDS,
    WHILE_EMPLOYED,
    Condition,
    Key,
    conditions,
    has_left,
)
from lrs_bridge.journey.progress_state import LearnerProgress
from lrs_bridge.journey.progress_views import Learner, LearnerView, SkillStatus, StepStatus

__all__ = ["KINDS", "REASONS", "Condition", "Resolution", "conditions", "has_left", "reconcile"]

# Why an alert resolved: met by a statement (passed, completed), renewed or closed by new
# evidence, new activity, lapsed into "expired", the learner left, or anything else.
REASONS = ("passed", "completed", "evidence", "activity", "expired", "left", "no_longer_holds")


@dataclass(frozen=True)
class Resolution:
    """An open alert whose condition no longer holds, and what cleared it."""

    kind: str
    subject: str
    at: datetime  # the `now` of the evaluation
    statement_id: str | None  # the statement that cleared it; None: time or the roster did
    reason: str  # one of REASONS


def reconcile(open_alerts: Iterable[Condition], holding: dict[Key, Condition],
              view: LearnerView, state: LearnerProgress, learner: Learner,
              now: datetime) -> tuple[list[Condition], list[Resolution]]:
    """The alerts to open (holding, not open) and to resolve (open, no longer holding).

    `open_alerts` are the conditions the open alerts were opened with; both lists are in key
    order.
    """
    opened = {alert.key: alert for alert in open_alerts}
    to_open = [holding[key] for key in sorted(holding) if key not in opened]
    to_resolve = [_resolution(opened[key], view, state, learner, now)
                  for key in sorted(opened) if key not in holding]
    return to_open, to_resolve


def _resolution(alert: Condition, view: LearnerView, state: LearnerProgress, learner: Learner,
                now: datetime) -> Resolution:
    statement, reason = _CLEARED_BY.get(alert.kind, _no_statement)(alert, view, state)
    if statement is None and alert.kind in WHILE_EMPLOYED and has_left(learner, now):
        reason = "left"
    return Resolution(alert.kind, alert.subject, now, statement, reason)


Cleared = tuple[str | None, str]


def _overdue(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    steps = [s for s in _steps(view) if f"{s.path}/{s.module}" == alert.subject]
    return _met(steps, state)


def _repeated_failure(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    return _met([s for s in _steps(view) if s.module == alert.subject], state)


def _met(steps: list[StepStatus], state: LearnerProgress) -> Cleared:
    """The statement that met the last of `steps` to be met, once all are."""
    if not steps or not all(s.completed_by for s in steps):
        return None, "no_longer_holds"
    last = max(steps, key=lambda s: (s.completed_at, s.completed_by))
    module = state.modules.get(last.module)
    passed = module is not None and module.passed_by == last.completed_by
    return last.completed_by, "passed" if passed else "completed"


def _skill_gap(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    skill = _skill(view, alert.subject)
    # A changed target closed it, not a statement.
    if skill is None or skill.gap > 0 or not skill.evidence \
            or skill.target != alert.detail.get("target"):
        return None, "no_longer_holds"
    return _earliest(skill, state), "evidence"


def _stalled(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    # The latest evidence, from module summaries and the evidence of no module: a state
    # loaded for the views holds no module evidence.
    moments = [(m.last_activity, m.latest_by) for m in state.modules.values()]
    moments += [e.order for e in state.evidence.values()]
    latest = max(moments, default=None)
    quiet = alert.detail.get("quiet_since")
    quiet_since = datetime.fromisoformat(quiet) if quiet else alert.since
    if latest is not None and latest[0] > quiet_since:
        return latest[1], "activity"
    return None, "no_longer_holds"


def _expiring(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    skill = _skill(view, alert.subject)
    if skill is None or skill.level is None or skill.level < alert.detail.get("level", 0):
        return None, "expired"
    before = alert.detail.get("expires")
    if skill.expires is not None and before and skill.expires > datetime.fromisoformat(before):
        # The latest evidence of a level sets its expiry.
        return _moments(skill, state)[-1][1], "evidence"
    return None, "no_longer_holds"


def _expired(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    skill = _skill(view, alert.subject)
    if skill is None or skill.level is None or not skill.evidence:
        return None, "no_longer_holds"
    return _earliest(skill, state), "evidence"


def _no_statement(alert: Condition, view: LearnerView, state: LearnerProgress) -> Cleared:
    return None, "no_longer_holds"  # a milestone: e.g. the pass that completed it was voided


_CLEARED_BY: dict[str, Callable[[Condition, LearnerView, LearnerProgress], Cleared]] = {
    "overdue": _overdue, "skill_gap": _skill_gap, "stalled": _stalled,
    "repeated_failure": _repeated_failure, "expiring": _expiring, "expired": _expired,
    "milestone": _no_statement,
}


def _steps(view: LearnerView) -> list[StepStatus]:
    return [step for path in view.paths for step in path.steps]


def _skill(view: LearnerView, skill: str) -> SkillStatus | None:
    return next((s for s in view.skills if s.skill == skill), None)


def _moments(skill: SkillStatus, state: LearnerProgress) -> list[tuple[datetime, str]]:
    """(moment, statement) of the skill's current evidence, oldest first."""
    held = state.skills[skill.skill].evidence
    return sorted((held[sid][1], sid) for sid in skill.evidence)


def _earliest(skill: SkillStatus, state: LearnerProgress) -> str:
    return _moments(skill, state)[0][1]

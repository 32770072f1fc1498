"""A learner's history as one list of events, newest first: the statements that count for
them, the steps they met, the skill levels they reached, the alerts opened and resolved.
Plain data in and out (no Flask, no database), so it is quick to test."""

from dataclasses import dataclass, field
from datetime import datetime

from lrs_bridge.journey.progress_state import Evidence
from lrs_bridge.journey.progress_views import LearnerView
from lrs_bridge.store.alerts import AlertRow

# Within one moment, what happened (the statement) comes before what it caused; newest
# first, it is listed after it.
_ORDER = {"statement": 0, "step": 1, "skill": 2, "alert_resolved": 3, "alert_opened": 4}


@dataclass(frozen=True)
class Event:
    """One thing that happened to the learner; `kind` says which fields mean something."""

    at: datetime
    kind: str  # statement, step, skill, alert_opened, alert_resolved
    module: str | None = None  # statement, step
    path: str | None = None  # step
    skill: str | None = None  # skill
    level: int | None = None  # skill
    meaning: str | None = None  # statement: the verb's meaning; step: the outcome met
    outcomes: tuple[str, ...] = ()  # statement
    score: float | None = None  # statement
    failed: bool = False  # statement
    statement_id: str | None = None  # statement, step (the one that met it)
    alert_kind: str | None = None  # alert_*
    subject: str | None = None  # alert_*
    reason: str | None = None  # alert_resolved
    detail: dict = field(default_factory=dict, compare=False)  # alert_*


def timeline(evidence: list[Evidence], view: LearnerView | None,
             alerts: list[AlertRow]) -> list[Event]:
    """Every event of the learner, newest first."""
    events = [Event(e.timestamp, "statement", module=e.module, meaning=e.meaning,
                    outcomes=tuple(sorted(e.outcomes)), score=e.score, failed=e.failed,
                    statement_id=e.statement_id) for e in evidence]
    if view is not None:
        events += [Event(s.completed_at, "step", module=s.module, path=s.path,
                         meaning=s.outcome, statement_id=s.completed_by)
                   for p in view.paths for s in p.steps if s.completed_at is not None]
        events += [Event(s.attained, "skill", skill=s.skill, level=s.level)
                   for s in view.skills if s.attained is not None]
    for alert in alerts:
        events.append(Event(alert.opened, "alert_opened", alert_kind=alert.kind,
                            subject=alert.subject, detail=alert.detail))
        if alert.resolved is not None:
            events.append(Event(alert.resolved, "alert_resolved", alert_kind=alert.kind,
                                subject=alert.subject, reason=alert.resolved_reason,
                                statement_id=alert.resolved_by, detail=alert.detail))
    return sorted(events, key=lambda e: (e.at, _ORDER[e.kind]), reverse=True)

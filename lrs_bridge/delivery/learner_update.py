"""One learner's update in the worker's transaction: fold new evidence (or rebuild from all
their statements), compare the views before and after, settle alerts, write outbox events."""

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection

from lrs_bridge.journey.alerts import Condition, conditions, reconcile
from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress import add, retract
from lrs_bridge.journey.progress_events import Event, progress_events
from lrs_bridge.journey.progress_state import Evidence, LearnerProgress
from lrs_bridge.journey.progress_views import learner_view
from lrs_bridge.store import alerts as alert_rows
from lrs_bridge.store import outbox
from lrs_bridge.store.progress import fold_state, replace_state, view_state, write_fold


@dataclass
class Work:
    """What the worker has for one learner in one batch."""

    adding: dict[str, Evidence] = field(default_factory=dict)
    retracting: set[str] = field(default_factory=set)
    rebuild: bool = False


def fold(conn: Connection, tenant_id: int, person: Person, work: Work, mapping: Mapping,
         now: datetime) -> None:
    """Fold a batch's evidence into the learner's stored state."""
    before = view_state(conn, tenant_id, person.id)
    adding = sorted(work.adding.values(), key=lambda e: e.order)
    part = fold_state(conn, tenant_id, person.id, adding, sorted(work.retracting))
    held = set(part.evidence)
    touched = [e for e in adding] + [part.evidence[s] for s in work.retracting
                                    if s in part.evidence]
    modules = {e.module for e in touched if e.module}
    skills = {skill for e in touched for skill, _ in e.skills}
    for evidence in adding:
        add(part, evidence, mapping, now)
    for statement_id in sorted(work.retracting):
        retract(part, statement_id, mapping, now)
    write_fold(conn, tenant_id, person.id, held, part, modules, skills)
    after = _merged(before, part, modules, skills, held)
    settle(conn, tenant_id, person, before, after, mapping, now)


def rebuild(conn: Connection, tenant_id: int, person: Person, evidence: list[Evidence],
            mapping: Mapping, now: datetime) -> None:
    """Replace the learner's state by the fold of all their evidence."""
    before = view_state(conn, tenant_id, person.id)
    after = LearnerProgress()
    for item in sorted(evidence, key=lambda e: e.order):
        add(after, item, mapping, now)
    replace_state(conn, tenant_id, person.id, after)
    settle(conn, tenant_id, person, before, after, mapping, now)


def settle(conn: Connection, tenant_id: int, person: Person, before: LearnerProgress | None,
           after: LearnerProgress, mapping: Mapping, now: datetime) -> None:
    """Write the events of the change from `before` (None: only alerts are due, as in a
    scan) to `after`, and open and resolve the learner's alerts."""
    context = learner_context(person, mapping, now.date())
    view = learner_view(after, mapping, context, now)
    events: list[Event] = []
    if before is not None:
        events += progress_events(learner_view(before, mapping, context, now), view)
    current = alert_rows.open_alerts(conn, tenant_id, person.id)
    holding = conditions(view, after, mapping, context, now)
    opened_with = [Condition(a.kind, a.subject, a.since, a.path, a.phase, a.detail)
                   for a in current.values()]
    opening, resolutions = reconcile(opened_with, holding, view, after, context, now)
    for condition in opening:
        alert_id = alert_rows.open_alert(conn, tenant_id, person.id, condition, now)
        events.append(Event("alert.opened",
                            f"alert|{condition.kind}|{condition.subject}|{_iso(condition.since)}",
                            {"alert": alert_id, **_condition_payload(condition)}))
    for resolution in resolutions:
        row = current[(resolution.kind, resolution.subject)]
        alert_rows.resolve_alert(conn, row.id, resolution)
        cleared = resolution.statement_id or _iso(resolution.at)
        events.append(Event(
            "alert.resolved", f"alert|{row.kind}|{row.subject}|{_iso(row.since)}|{cleared}",
            {"alert": row.id, "kind": row.kind, "subject": row.subject, "path": row.path,
             "phase": row.phase, "since": _iso(row.since), "resolved": _iso(resolution.at),
             "resolved_by": resolution.statement_id, "reason": resolution.reason}))
    outbox.append(conn, tenant_id, person.id, _who(person), events, int(now.timestamp() * 1000))


def _merged(before: LearnerProgress, part: LearnerProgress, modules: set[str],
            skills: set[str], held: set[str]) -> LearnerProgress:
    """The view state after a fold: `before` with the touched modules and skills replaced and
    the evidence of no module brought up to date."""
    merged = replace(before, evidence=dict(before.evidence), modules=dict(before.modules),
                     skills=dict(before.skills))
    for module in modules:
        merged.modules.pop(module, None)
        if module in part.modules:
            merged.modules[module] = part.modules[module]
    for skill in skills:
        merged.skills.pop(skill, None)
        if skill in part.skills:
            merged.skills[skill] = part.skills[skill]
    for statement_id in held - set(part.evidence):
        merged.evidence.pop(statement_id, None)
    for statement_id, item in part.evidence.items():
        if item.module is None:
            merged.evidence[statement_id] = item
    return merged


def _condition_payload(condition) -> dict:
    return {"kind": condition.kind, "subject": condition.subject, "path": condition.path,
            "phase": condition.phase, "since": _iso(condition.since), "detail": condition.detail}


def _who(person: Person) -> dict:
    """How the events name the learner to a connector."""
    return {"id": person.id, "email": person.email, "name": person.name,
            "identifiers": sorted(person.keys)}


def _iso(moment: datetime) -> str:
    return moment.isoformat()

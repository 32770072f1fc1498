"""A batch of learners' updates in the worker's transaction: fold new evidence into each (or
rebuild from all their statements), compare the views before and after, settle alerts, and
write outbox events. State is read and written for the whole batch at once."""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection

from lrs_bridge.delivery import metric_facts
from lrs_bridge.journey.alerts import Condition, Resolution, conditions, reconcile
from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress import add, retract
from lrs_bridge.journey.progress_events import Event, progress_events
from lrs_bridge.journey.progress_state import Evidence, LearnerProgress
from lrs_bridge.journey.progress_views import LearnerView, learner_view
from lrs_bridge.store import alerts as alert_rows
from lrs_bridge.store import outbox
from lrs_bridge.store.progress import StateWrites, fold_states, view_states
from lrs_bridge.store.progress_facts import FactWrites
from lrs_bridge.store.progress_sources import record_actors


@dataclass
class Plan:
    """Everything a batch will write, worked out before any of it is written (on SQLite the
    work is done outside the write lock, and only `apply` holds it)."""

    tenant_id: int
    now: datetime
    writes: StateWrites = field(init=False)
    facts: FactWrites = field(init=False)
    events: list[tuple[int, dict, list[Event]]] = field(default_factory=list)
    opening: list[tuple[int, Condition]] = field(default_factory=list)
    resolving: list[tuple[int, object, Resolution]] = field(default_factory=list)
    # (directory key, IFI key) -> statements seen of that actor
    actors: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.writes = StateWrites(self.tenant_id)
        self.facts = FactWrites(self.tenant_id)


@dataclass
class Work:
    """What the worker has for one learner in one batch; `rebuild` holds all their evidence
    when the learner is to be rebuilt."""

    adding: dict[str, Evidence] = field(default_factory=dict)
    retracting: set[str] = field(default_factory=set)
    rebuild: list[Evidence] | None = None


def update(conn: Connection, plan: Plan, people: dict[int, Person], work: dict[int, Work],
           mapping: Mapping, version: str) -> None:
    """Add to `plan` what folding or rebuilding each learner of `work` writes, their alerts
    and events."""
    tenant_id, now = plan.tenant_id, plan.now
    ids = sorted(lid for lid in work if lid in people)
    before = view_states(conn, tenant_id, ids)
    folding = {lid: (sorted(work[lid].adding.values(), key=lambda e: e.order),
                     sorted(work[lid].retracting)) for lid in ids if work[lid].rebuild is None}
    parts = fold_states(conn, tenant_id, folding)
    writes = plan.writes
    after: dict[int, LearnerProgress] = {}
    touched: dict[int, set[str]] = {}
    folds: dict[int, metric_facts.Fold] = {}
    for lid in ids:
        if work[lid].rebuild is not None:
            state = LearnerProgress()
            for item in sorted(work[lid].rebuild, key=lambda e: e.order):
                add(state, item, mapping, now)
            writes.rebuild(lid, state)
            metric_facts.rebuild(plan.facts, lid, people[lid], state, mapping)
            after[lid], touched[lid] = state, None
        else:
            folds[lid] = _fold(writes, lid, before[lid], parts[lid], *folding[lid], mapping, now)
            after[lid], touched[lid] = folds[lid].after, folds[lid].modules
        writes.stamp(lid, version, _ms(now))
    metric_facts.fold(conn, plan.facts, people, folds, mapping)
    settle(conn, plan, {lid: people[lid] for lid in ids}, before, after, mapping, touched)


def _fold(writes: StateWrites, lid: int, before: LearnerProgress, part: LearnerProgress,
          adding: list[Evidence], retracting: list[str], mapping: Mapping,
          now: datetime) -> "metric_facts.Fold":
    """Fold into `part` (the touched piece of the state): the whole view state after, the
    modules and skills touched, and the evidence that came and went."""
    held = set(part.evidence)
    touched = adding + [part.evidence[s] for s in retracting if s in part.evidence]
    modules = {e.module for e in touched if e.module}
    skills = {skill for e in touched for skill, _ in e.skills}
    for evidence in adding:
        add(part, evidence, mapping, now)
    for statement_id in retracting:
        retract(part, statement_id, mapping, now)
    writes.fold(lid, held, part, modules, skills)
    added = [e for sid, e in part.evidence.items() if sid not in held]
    removed = [e for e in touched if e.statement_id in held
               and e.statement_id not in part.evidence]
    return metric_facts.Fold(added, removed, skills, modules, before,
                             _merged(before, part, modules, skills, held), part)


def settle(conn: Connection, plan: Plan, people: dict[int, Person],
           before: dict[int, LearnerProgress] | None, after: dict[int, LearnerProgress],
           mapping: Mapping, touched: dict[int, set[str] | None] | None = None) -> None:
    """Add to `plan` the events of each learner's change from `before` (None: only alerts
    are due, as in a scan) to `after`, and the alerts to open and resolve. `touched[learner]`
    names the modules a fold touched (None: anything may have changed), so only their paths
    are compared."""
    now = plan.now
    current = alert_rows.open_alerts_of(conn, plan.tenant_id, list(after))
    for lid, state in after.items():
        person = people[lid]
        context = learner_context(person, mapping, now.date())
        view = learner_view(state, mapping, context, now)
        changes = [] if before is None else _changes(before[lid], view, mapping, context, now,
                                                     (touched or {}).get(lid))
        plan.events.append((lid, _who(person), changes))
        holding = conditions(view, state, mapping, context, now)
        # An alert's detail is read only when it may resolve (reconcile reads no other).
        opened_with = [Condition(a.kind, a.subject, a.since, a.path, a.phase,
                                 {} if key in holding else a.detail)
                       for key, a in current[lid].items()]
        opening, resolutions = reconcile(opened_with, holding, view, state, context, now)
        plan.opening += [(lid, condition) for condition in opening]
        plan.resolving += [(lid, current[lid][(r.kind, r.subject)], r) for r in resolutions]


def apply(conn: Connection, plan: Plan, wants=None) -> None:
    """Write a plan: state, alerts, and the outbox events of both (delivered to the
    connectors whose kind `wants(kind, event)` them: outbox.append)."""
    record_actors(conn, plan.tenant_id, plan.actors, _ms(plan.now))
    plan.writes.flush(conn)
    plan.facts.flush(conn)
    alert_events: dict[int, list[Event]] = {}
    for lid, condition in plan.opening:
        alert_id = alert_rows.open_alert(conn, plan.tenant_id, lid, condition, plan.now)
        alert_events.setdefault(lid, []).append(Event(
            "alert.opened", f"alert|{condition.kind}|{condition.subject}|{_iso(condition.since)}",
            {"alert": alert_id, **_condition_payload(condition)}))
    for lid, row, resolution in plan.resolving:
        alert_rows.resolve_alert(conn, row.id, resolution)
        cleared = resolution.statement_id or _iso(resolution.at)
        alert_events.setdefault(lid, []).append(Event(
            "alert.resolved", f"alert|{row.kind}|{row.subject}|{_iso(row.since)}|{cleared}",
            {"alert": row.id, "kind": row.kind, "subject": row.subject, "path": row.path,
             "phase": row.phase, "since": _iso(row.since), "resolved": _iso(resolution.at),
             "resolved_by": resolution.statement_id, "reason": resolution.reason}))
    outbox.append(conn, plan.tenant_id, [(lid, who, events + alert_events.get(lid, []))
                                         for lid, who, events in plan.events], _ms(plan.now),
                  wants)


def _changes(before: LearnerProgress, view: LearnerView, mapping: Mapping, context, now,
             modules: set[str] | None) -> list[Event]:
    """Progress events; only the paths holding a touched module can have changed."""
    if modules is not None:
        paths = {p.id for p in mapping.paths if any(s.module in modules for s in p.steps)}
        context = replace(context, paths=tuple(p for p in context.paths if p in paths))
        view = replace(view, paths=tuple(p for p in view.paths if p.path in paths))
    return progress_events(learner_view(before, mapping, context, now), view)


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
    """How the events name the learner to a connector (the manager's address: LMSs keep no
    line manager of their own to send alerts to)."""
    return {"id": person.id, "email": person.email, "name": person.name,
            "manager_email": person.manager_email or None,
            "identifiers": sorted(person.keys)}


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _iso(moment: datetime) -> str:
    return moment.isoformat()

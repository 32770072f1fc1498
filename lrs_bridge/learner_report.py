"""A learner's progress as people read it (the API and `learner show`): their paths with each
step, their skills against the role's targets, their open alerts, read at one moment."""

from datetime import date, datetime

from sqlalchemy import Connection

from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress_state import LearnerProgress
from lrs_bridge.journey.progress_views import learner_view
from lrs_bridge.store.alerts import AlertRow, open_alerts
from lrs_bridge.store.progress import stamps, view_state


def learner_entry(person: Person) -> dict:
    """Who the learner is, as the directory has them."""
    return {
        "id": person.id, "name": person.name or None, "email": person.email or None,
        "identifiers": sorted(person.keys), "role": person.role,
        "roles": [{"role": s.role, "since": s.since.isoformat()} for s in person.roles],
        "manager_email": person.manager_email or None, "team": person.team or None,
        "start_date": person.start_date.isoformat(), "leave_date": _text(person.leave_date),
        "status": person.status, "extra_paths": list(person.paths),
    }


def learner_report(conn: Connection, tenant_id: int, person: Person, mapping: Mapping,
                   version: str | None, now: datetime) -> dict:
    """The learner's entry with their progress at `now`."""
    context = learner_context(person, mapping, now.date())
    view = learner_view(view_state(conn, tenant_id, person.id), mapping, context, now)
    modules = {m.id: m for m in mapping.modules}
    paths = {p.id: p for p in mapping.paths}
    skills = {s.id: s for s in mapping.skills}
    folded = stamps(conn, tenant_id, [person.id]).get(person.id)
    return {
        **learner_entry(person),
        "at": now.isoformat(), "phase": view.phase, "last_activity": _text(view.last_activity),
        "paths": [{
            "id": p.path, "name": paths[p.path].name.en, "phase": paths[p.path].phase,
            "status": p.status, "progress": round(p.progress, 4),
            "completed_at": _text(p.completed_at),
            "steps": [{
                "number": s.number, "module": s.module, "title": modules[s.module].title.en
                if s.module in modules else s.module, "outcome": s.outcome,
                "optional": s.optional, "status": s.status, "due": _text(s.due),
                "overdue": s.overdue, "completed_at": _text(s.completed_at),
                "completed_by": s.completed_by, "score": s.score, "attempts": s.attempts,
                "failures": s.failures} for s in p.steps],
        } for p in view.paths],
        "skills": [{
            "id": s.skill, "name": skills[s.skill].name.en if s.skill in skills else s.skill,
            "level": s.level, "target": s.target, "gap": s.gap, "attained": _text(s.attained),
            "expires": _text(s.expires), "evidence": list(s.evidence)} for s in view.skills],
        "alerts": [alert_entry(a) for a in sorted(
            open_alerts(conn, tenant_id, person.id).values(), key=lambda a: (a.opened, a.id))],
        "state": {"mapping_version": folded, "current": folded in (None, version)},
    }


def learner_summary(person: Person, state: LearnerProgress, mapping: Mapping, now: datetime,
                    open_alerts: int) -> dict:
    """The learner's entry with where they stand at `now`, for a list of learners."""
    view = learner_view(state, mapping, learner_context(person, mapping, now.date()), now)
    return {
        **learner_entry(person),
        "phase": view.phase, "last_activity": _text(view.last_activity),
        "open_alerts": open_alerts,
        "paths": [{"id": p.path, "status": p.status, "progress": round(p.progress, 4),
                   "overdue_steps": sum(s.overdue for s in p.steps)} for p in view.paths],
    }


def alert_entry(alert: AlertRow) -> dict:
    """An alert as the API and `alerts list` show it."""
    entry = {"id": alert.id, "learner": alert.learner_id, "kind": alert.kind,
             "subject": alert.subject, "status": alert.status, "path": alert.path,
             "phase": alert.phase, "since": alert.since.isoformat(),
             "opened": alert.opened.isoformat(), "detail": alert.detail,
             "resolved": _text(alert.resolved), "resolved_by": alert.resolved_by,
             "resolved_reason": alert.resolved_reason}
    if alert.learner_email or alert.learner_name:
        entry["learner_email"] = alert.learner_email or None
        entry["learner_name"] = alert.learner_name or None
    return entry


def _text(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

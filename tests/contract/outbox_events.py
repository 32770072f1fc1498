"""Outbox events as the progress worker writes them (lrs_bridge/delivery/learner_update.py):
`{"id", "type", "learner": {...}, ...payload}`, one builder per event type."""

import uuid

ANNA = {"id": 1, "email": "anna@noordwind.nl", "name": "Anna de Boer",
        "manager_email": "lead@noordwind.nl",
        "identifiers": ["mbox:mailto:anna@noordwind.nl",
                        "mbox_sha1sum:0b5c3f0f4ed8a3c2b0f1d5d8c3bb7ea3e4f5a6b7"]}


def _event(event_type: str, learner: dict | None, **payload) -> dict:
    return {"id": str(uuid.uuid4()), "type": event_type, "learner": learner or ANNA, **payload}


def step_changed(module: str = "welcome-noordwind", status: str = "completed",
                 score: float | None = None, learner: dict | None = None) -> dict:
    met = status in ("completed", "passed")
    return _event("step.changed", learner, path="onboarding-general", step=1, module=module,
                  status=status, outcome="completed", optional=False, due="2026-03-09",
                  completed_at="2026-03-04T09:00:00+00:00" if met else None,
                  completed_by=str(uuid.uuid4()) if met else None, score=score,
                  attempts=1, failures=0)


def path_changed(path: str = "onboarding-general", progress: float = 0.4,
                 learner: dict | None = None) -> dict:
    return _event("path.changed", learner, path=path, progress=progress,
                  status="completed" if progress >= 1 else "in_progress", completed_at=None)


def skill_changed(skill: str = "privacy-gdpr", level: int | None = 2,
                  learner: dict | None = None) -> dict:
    return _event("skill.changed", learner, skill=skill, level=level, target=2,
                  gap=2 - (level or 0), attained="2026-03-21T09:00:00+00:00",
                  expires="2027-03-21T09:00:00+00:00", evidence=[str(uuid.uuid4())])


# (subject, detail) of each kind of alert, as the alert rules make them.
ALERTS = {
    "overdue": ("onboarding-general/privacy-basics",
                {"module": "privacy-basics", "step": 2, "outcome": "passed", "due": "2026-03-16"}),
    "skill_gap": ("privacy-gdpr", {"level": None, "target": 2, "gap": 2,
                                   "module": "privacy-basics"}),
    "stalled": ("journey", {"last_activity": "2026-03-05T09:00:00+00:00",
                            "quiet_since": "2026-03-05T09:00:00+00:00",
                            "open_paths": ["onboarding-general"]}),
    "repeated_failure": ("privacy-basics", {"module": "privacy-basics", "failures": 3,
                                            "attempts": 3, "threshold": 3}),
    "expiring": ("privacy-gdpr", {"level": 2, "target": 2,
                                  "expires": "2027-03-21T09:00:00+00:00"}),
    "expired": ("privacy-gdpr", {"level": 2, "target": 2,
                                 "expired": "2027-03-21T09:00:00+00:00"}),
    "milestone": ("path:onboarding-general", {"path": "onboarding-general",
                                              "phase": "onboarding"}),
}


def alert_opened(kind: str = "overdue", learner: dict | None = None) -> dict:
    subject, detail = ALERTS[kind]
    return _event("alert.opened", learner, alert=7, kind=kind, subject=subject,
                  path="onboarding-general", phase="onboarding",
                  since="2026-03-17T00:00:00+00:00", detail=detail)


def alert_resolved(learner: dict | None = None) -> dict:
    return _event("alert.resolved", learner, alert=7, kind="overdue",
                  subject="onboarding-general/privacy-basics", path="onboarding-general",
                  phase="onboarding", since="2026-03-17T00:00:00+00:00",
                  resolved="2026-03-21T09:00:00+00:00", resolved_by=str(uuid.uuid4()),
                  reason="passed")


ALL = (step_changed, path_changed, skill_changed, alert_opened, alert_resolved)

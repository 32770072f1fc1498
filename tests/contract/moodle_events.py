"""Outbox events as the delivery worker hands them to a connector (learner_update.apply)."""

import uuid

LEARNER = {"id": 1, "email": "anna@noordwind.nl", "name": "Anna de Boer",
           "identifiers": ["mbox:mailto:anna@noordwind.nl"], "manager_email": "lead@noordwind.nl"}


def event(event_type: str, learner: dict | None = None, **payload) -> dict:
    return {"id": str(uuid.uuid4()), "type": event_type, "learner": learner or LEARNER,
            **payload}


def step(module: str, status: str = "passed") -> dict:
    return event("step.changed", path="onboarding-general", step=2, module=module,
                 status=status, outcome="passed", optional=False, due="2026-03-16",
                 completed_at="2026-03-21T09:00:00+00:00" if status == "passed" else None,
                 completed_by="0b5e1c2a-statement" if status == "passed" else None,
                 score=0.9, attempts=2, failures=1)


def skill(skill_id: str, level: int | None, evidence=("st-1", "st-2")) -> dict:
    return event("skill.changed", skill=skill_id, level=level, target=2, gap=0,
                 attained="2026-03-21T09:00:00+00:00", expires="2027-03-21T09:00:00+00:00",
                 evidence=list(evidence))


def alert(kind: str, subject: str, detail: dict, path: str | None = "onboarding-general",
          learner: dict | None = None) -> dict:
    return event("alert.opened", learner, alert=7, kind=kind, subject=subject, path=path,
                 phase="onboarding", since="2026-03-17T00:00:00+00:00", detail=detail)

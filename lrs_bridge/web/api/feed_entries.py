"""A progress feed entry as JSON and as a CSV row: the change, the learner as the directory
has them now, and when the change was recorded."""

from datetime import UTC, date, datetime

from lrs_bridge.journey.learners import Learner, role_on
from lrs_bridge.store.progress_feed import FeedRow

# The columns of /api/v1/progress.csv: the entry, the learner, then the change's fields (a
# step's, a path's or a skill's; the others are left empty).
CHANGE_FIELDS = ("path", "step", "module", "skill", "status", "progress", "outcome", "optional",
                 "due", "completed_at", "completed_by", "score", "attempts", "failures",
                 "level", "target", "gap", "attained", "expires")
LEARNER_FIELDS = ("id", "email", "name", "role", "team", "manager_email")
CSV_HEADER = ("id", "at", "type", *(f"learner_{f}" for f in LEARNER_FIELDS), *CHANGE_FIELDS)


def feed_learner(learner_id: int, person: Learner | None, today: date) -> dict:
    """The learner of an entry (only the id when the directory no longer has them)."""
    if person is None:
        return {"id": learner_id, **{f: None for f in LEARNER_FIELDS[1:]}}
    return {"id": learner_id, "email": person.email or None, "name": person.name or None,
            "role": role_on(person, today) or person.role, "team": person.team or None,
            "manager_email": person.manager_email or None}


def feed_entry(row: FeedRow, learner: dict) -> dict:
    """The JSON of one entry."""
    change = {k: v for k, v in row.payload.items() if k not in ("id", "type", "learner")}
    return {"id": row.event_id, "type": row.type, "at": _moment(row.created),
            "learner": learner, "change": change}


def csv_row(entry: dict) -> list:
    """One entry as a row under CSV_HEADER (lists joined by spaces)."""
    change = entry["change"]
    return [entry["id"], entry["at"], entry["type"],
            *(entry["learner"][f] for f in LEARNER_FIELDS),
            *(_cell(change.get(f)) for f in CHANGE_FIELDS)]


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"  # as in the JSON, not Python's True
    return " ".join(value) if isinstance(value, list) else value


def _moment(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat()

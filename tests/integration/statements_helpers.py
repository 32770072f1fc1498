"""Statements for the HTTP tests: valid by default, each with a fresh id."""

import uuid


def new_id() -> str:
    """A fresh statement id."""
    return str(uuid.uuid4())


def make_statement(*, actor: str = "anna@example.com", verb: str = "completed",
                   activity: str = "https://example.com/activities/privacy-basics",
                   **extra) -> dict:
    """A valid statement: actor by mbox, an ADL verb, an activity object."""
    statement = {
        "id": new_id(),
        "actor": {"objectType": "Agent", "mbox": f"mailto:{actor}", "name": actor},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": activity,
                   "definition": {"name": {"en-US": "Privacy basics", "nl-NL": "Privacy basis"}}},
    }
    statement.update(extra)
    return statement


def voiding(target_id: str, actor: str = "admin@example.com") -> dict:
    """A statement voiding `target_id`."""
    return {
        "id": new_id(),
        "actor": {"mbox": f"mailto:{actor}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target_id},
    }

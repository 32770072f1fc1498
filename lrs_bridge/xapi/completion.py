"""The properties the LRS assigns when it stores a statement (Data §2.3.1.b1, §2.4)."""

import copy

from lrs_bridge.xapi.timestamps import format_millis

# Data §2.4.10.s3.b3: a statement without a version is returned as 1.0.0, whatever patch
# version of the spec the request followed.
DEFAULT_VERSION = "1.0.0"


def complete_statement(statement: dict, *, stored_ms: int, authority: dict, new_id: str) -> dict:
    """A copy of the statement with id, stored, timestamp, authority and version as stored."""
    completed = dict(statement)
    stored = format_millis(stored_ms)
    # Data §2.4.1.s2.b1: the LRS generates an id only when the statement has none.
    if not completed.get("id"):
        completed["id"] = new_id
    # Data §2.4.8.s3.b2: stored is always the LRS's own, overwriting any value sent.
    completed["stored"] = stored
    # Data §2.4.7.s3.b2: a missing timestamp takes the value of stored.
    if not completed.get("timestamp"):
        completed["timestamp"] = stored
    # Data §2.4.9.s3.b4: the authority comes from the credentials, not from the client.
    completed["authority"] = copy.deepcopy(authority)
    # Data §2.4.10.s3.b3: a given version is retained (validation accepts only 1.0.x).
    if not completed.get("version"):
        completed["version"] = DEFAULT_VERSION
    completed = _with_context_arrays(completed)
    if isinstance(completed.get("object"), dict) and (
        completed["object"].get("objectType") == "SubStatement"
    ):
        completed["object"] = _with_context_arrays(completed["object"])
    return completed


def _with_context_arrays(statement: dict) -> dict:
    """A copy whose contextActivities values are all arrays (Data §2.4.6.2.s4.b3–b4)."""
    context = statement.get("context")
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    if not isinstance(groups, dict) or all(isinstance(v, list) for v in groups.values()):
        return statement
    arrays = {
        context_type: value if isinstance(value, list) else [value]
        for context_type, value in groups.items()
    }
    return {**statement, "context": {**context, "contextActivities": arrays}}

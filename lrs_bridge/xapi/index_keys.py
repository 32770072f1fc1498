"""What the store indexes per statement, so each GET /statements filter is one lookup.

The kinds and their meaning follow the filter parameters of Communication §2.1.3:
``agent`` and ``activity`` are the narrow filters, ``agent_related`` and ``activity_related``
their broad variants (related_agents / related_activities=true).
"""

import hashlib

from lrs_bridge.xapi.agents import agent_keys, context_actors

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# The filter kinds index_keys() returns, one per GET /statements filter.
FILTER_KINDS = ("verb", "registration", "agent", "agent_related", "activity",
                "activity_related")
CONTEXT_TYPES = ("parent", "grouping", "category", "other")
_AGENT_TYPES = ("Agent", "Group")


def index_keys(statement: dict) -> dict[str, set[str]]:
    """The filter values a statement answers to, by kind; kinds with no value are left out."""
    obj = _dict(statement.get("object"))
    context = _dict(statement.get("context"))
    keys = {
        "verb": {_dict(statement.get("verb")).get("id")},
        "registration": {_lower(context.get("registration"))},
        "agent": _actor_and_object_agents(statement),
        "agent_related": _related_agents(statement) | agent_keys(statement.get("authority")),
        "activity": {_activity_id(obj)},
        "activity_related": _related_activities(statement),
    }
    if obj.get("objectType") == "SubStatement":
        # §2.1.3: related_* also match "any of these properties in a contained SubStatement".
        keys["agent_related"] |= _related_agents(obj)
        keys["activity_related"] |= _related_activities(obj)
    for values in keys.values():
        values.discard(None)
    return {kind: values for kind, values in keys.items() if values}


def statement_ref_target(statement: dict) -> str | None:
    """The lower-cased id of the statement targeted when the object is a StatementRef."""
    obj = _dict(statement.get("object"))
    if obj.get("objectType") != "StatementRef":
        return None
    return _lower(obj.get("id"))


def voiding_target(statement: dict) -> str | None:
    """The id a voiding statement voids; None when the statement does not void (Data §2.3.2)."""
    if _dict(statement.get("verb")).get("id") != VOIDED:
        return None
    return statement_ref_target(statement)


def key_hash(kind: str, key: str) -> int:
    """A stable signed 64-bit hash of a filter kind and value, for a compact index column."""
    # NUL cannot occur in a kind name, so distinct (kind, key) pairs hash distinct inputs.
    digest = hashlib.blake2b(f"{kind}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def context_activities(context: dict) -> list[dict]:
    """Every Activity in a context's contextActivities, single objects and arrays alike."""
    found = []
    groups = _dict(_dict(context).get("contextActivities"))
    for context_type in CONTEXT_TYPES:
        value = groups.get(context_type)
        # Data §2.4.6.2: a single Activity object is allowed for 0.95 compatibility.
        found.extend(value if isinstance(value, list) else [value] if value else [])
    return [activity for activity in found if isinstance(activity, dict)]


def _actor_and_object_agents(statement: dict) -> set[str]:
    keys = agent_keys(statement.get("actor"))
    obj = _dict(statement.get("object"))
    if obj.get("objectType") in _AGENT_TYPES:
        keys |= agent_keys(obj)
    return keys


def _related_agents(statement: dict) -> set[str]:
    """Actor, Agent object, instructor and team of a statement or SubStatement, and (xAPI
    2.0) the Agents of its contextAgents and the Groups of its contextGroups."""
    context = _dict(statement.get("context"))
    keys = (
        _actor_and_object_agents(statement)
        | agent_keys(context.get("instructor"))
        | agent_keys(context.get("team"))
    )
    for actor in context_actors(context):
        keys |= agent_keys(actor)
    return keys


def _related_activities(statement: dict) -> set[str]:
    """Activity object and context activities of a statement or SubStatement."""
    ids = {_activity_id(_dict(statement.get("object")))}
    ids.update(activity.get("id") for activity in context_activities(statement.get("context")))
    return ids


def _activity_id(obj: dict) -> str | None:
    # objectType is optional on an Activity object and defaults to Activity (Data §2.4.4.s2).
    if obj.get("objectType", "Activity") != "Activity":
        return None
    return obj.get("id")


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _lower(value) -> str | None:
    return value.lower() if isinstance(value, str) else None

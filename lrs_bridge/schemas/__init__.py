"""Validation of xAPI statements and agents at the edge (Data §2.2–§2.6 and §4).

Each entry point returns what it received, unchanged, or raises BadRequest naming the
property path and the rule broken, e.g. ``[3].actor.mbox: must start with mailto:``.
"""

from marshmallow import ValidationError

from lrs_bridge.schemas.agents import ActorField, ifis_of
from lrs_bridge.schemas.errors import MAX_SHOWN, bad_request, flatten
from lrs_bridge.schemas.statements import STATEMENT, STATEMENT_2
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.versions import XAPIVersion

__all__ = ["validate_agent", "validate_statement", "validate_statements"]

_AGENT_OR_GROUP = ActorField()


def validate_statement(data, version: XAPIVersion = XAPIVersion.V1) -> dict:
    """Validate one statement by the rules of `version` and return it as received."""
    if type(data) is not dict:
        raise BadRequest("a statement must be a JSON object")
    problems = _statement_problems(data, "", version)
    if problems:
        raise bad_request(problems)
    return data


def validate_statements(data, version: XAPIVersion = XAPIVersion.V1) -> list[dict]:
    """Validate one statement or a non-empty array of them by the rules of `version`; return
    them as a list."""
    if type(data) is dict:
        return [validate_statement(data, version)]
    if type(data) is not list:
        raise BadRequest("the body must be a statement object or an array of statements")
    if not data:
        raise BadRequest("the array of statements is empty")
    problems = []
    for index, statement in enumerate(data):
        if len(problems) > MAX_SHOWN:
            raise bad_request(problems, more=True)
        if type(statement) is not dict:
            problems.append((f"[{index}]", "a statement must be a JSON object"))
            continue
        problems.extend(_statement_problems(statement, f"[{index}]", version))
    if problems:
        raise bad_request(problems)
    return data


def validate_agent(data) -> dict:
    """Validate an Agent or an identified Group (the agent parameter) and return it."""
    if type(data) is not dict:
        raise BadRequest("must be an Agent or Group object")
    if data.get("objectType") == "Group" and not ifis_of(data):
        raise BadRequest("must be an Agent or an identified Group: this Group has no IFI")
    if _AGENT_OR_GROUP.is_valid(data):
        return data
    try:
        _AGENT_OR_GROUP.deserialize(data)
    except ValidationError as err:
        raise bad_request(flatten(err.messages)) from None
    return data


def _statement_problems(statement: dict, path: str,
                        version: XAPIVersion) -> list[tuple[str, str]]:
    schema = STATEMENT_2 if version.is_2 else STATEMENT
    if schema.is_valid(statement):
        return []
    # marshmallow's full walk only on the rare invalid statement, for its messages.
    return flatten(schema.validate(statement), path)

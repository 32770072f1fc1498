"""Query parameters several xAPI resources share: agents as JSON, timestamps."""

import orjson

from lrs_bridge.schemas import validate_agent
from lrs_bridge.web.xapi.request import XAPIRequest
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.timestamps import parse_timestamp, to_millis


def agent_param(xreq: XAPIRequest, name: str = "agent") -> dict | None:
    """The Agent (or identified Group) JSON of parameter `name`, validated; None if absent."""
    text = xreq.param(name)
    if text is None:
        return None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise BadRequest(f"{name}: must be an Agent as JSON") from None
    try:
        return validate_agent(data)
    except BadRequest as err:
        raise BadRequest(f"{name}: {err.message}") from None


def required_agent(xreq: XAPIRequest, name: str = "agent") -> dict:
    """As agent_param, for a parameter the resource requires."""
    agent = agent_param(xreq, name)
    if agent is None:
        raise BadRequest(f"{name}: required")
    return agent


def timestamp_param(xreq: XAPIRequest, name: str) -> int | None:
    """An ISO 8601 timestamp parameter as epoch milliseconds; None if absent."""
    value = xreq.param(name)
    if value is None:
        return None
    try:
        return to_millis(parse_timestamp(value))
    except ValueError:
        raise BadRequest(f"{name}: must be an ISO 8601 timestamp") from None


def only_params(xreq: XAPIRequest, allowed: set[str], where: str) -> None:
    """BadRequest naming the first parameter not in `allowed`."""
    unknown = sorted(set(xreq.params) - allowed)
    if unknown:
        raise BadRequest(f"{unknown[0]}: not a parameter of {xreq.method} {where}")

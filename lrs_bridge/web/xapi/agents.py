"""The Agents resource (Communication §2.4): the Person object of one Agent."""

import orjson
from flask import current_app, g

from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.params import only_params, required_agent
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.agents import ifi_key
from lrs_bridge.xapi.documents import etag_of
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.person import person_of

# The names of a Person come from this many of the Agent's newest statements.
_NAME_SOURCES = 100


def dispatch():
    """GET/HEAD ?agent=: a Person with the Agent's identifier and the names it went by."""
    xreq = g.xreq
    if xreq.method not in ("GET", "HEAD"):
        raise BadRequest(f"{xreq.method} is not a method of the Agents resource")
    require(g.credential, "agents/read")
    only_params(xreq, {"agent"}, "/agents")
    agent = required_agent(xreq)
    if agent.get("objectType") == "Group":
        raise BadRequest("agent: must be an Agent, not a Group (Communication §2.4)")
    store = current_app.extensions["lrs_bridge"].statements
    statements = store.recent_of_agent(g.credential.tenant_id, ifi_key(agent), _NAME_SOURCES)
    body = orjson.dumps(person_of(agent, statements))
    response = json_response(body, head=xreq.method == "HEAD")
    response.headers["ETag"] = f'"{etag_of(body)}"'
    return response

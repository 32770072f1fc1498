"""The Activities resource (Communication §2.5): the canonical definition of one Activity."""

import orjson
from flask import current_app, g

from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.params import only_params
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.documents import etag_of
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.formats import is_iri
from lrs_bridge.xapi.formatting import canonical_definition


def dispatch():
    """GET/HEAD ?activityId=: the Activity with the definition the LRS holds (§2.5.s2: an
    Activity the LRS knows nothing of is still returned, with its id alone)."""
    xreq = g.xreq
    if xreq.method not in ("GET", "HEAD"):
        raise BadRequest(f"{xreq.method} is not a method of the Activities resource")
    require(g.credential, "activities/read")
    only_params(xreq, {"activityId"}, "/activities")
    activity_id = xreq.param("activityId")
    if activity_id is None:
        raise BadRequest("activityId: required")
    if not is_iri(activity_id):
        raise BadRequest("activityId: must be an IRI")
    store = current_app.extensions["lrs_bridge"].activities
    definition = store.definitions(g.credential.tenant_id, {activity_id}).get(activity_id)
    activity = {"objectType": "Activity", "id": activity_id}
    if definition:
        if xreq.accept_languages:
            definition = canonical_definition(definition, xreq.accept_languages)
        activity["definition"] = definition
    body = orjson.dumps(activity)
    response = json_response(body, head=xreq.method == "HEAD")
    response.headers["ETag"] = f'"{etag_of(body)}"'
    return response

"""The State (§2.3), Activity Profile (§2.7) and Agent Profile (§2.6) resources.

The three share one shape: a place (Activity and/or Agent, and for states a registration)
holds documents by id; GET/HEAD/PUT/POST/DELETE act on one document when its id is given,
GET lists ids and (for states only) DELETE clears the place when it is not.
"""

from dataclasses import dataclass

import orjson
from flask import Response, current_app, g

from lrs_bridge.store.documents import Place, Resource
from lrs_bridge.web.auth import require
from lrs_bridge.web.xapi.params import only_params, required_agent, timestamp_param
from lrs_bridge.web.xapi.request import XAPIRequest, request_version
from lrs_bridge.web.xapi.responses import http_date, json_response
from lrs_bridge.xapi.agents import ifi_key
from lrs_bridge.xapi.documents import Preconditions, check_content_type, etag_of
from lrs_bridge.xapi.errors import BadRequest, NotFound
from lrs_bridge.xapi.formats import is_iri, is_uuid


@dataclass(frozen=True)
class _Kind:
    resource: Resource
    id_param: str
    place_params: tuple[str, ...]
    scope: str
    delete_many: bool = False


STATE = _Kind(Resource.STATE, "stateId", ("activityId", "agent", "registration"), "state",
              delete_many=True)
ACTIVITY_PROFILE = _Kind(Resource.ACTIVITY_PROFILE, "profileId", ("activityId",), "profile")
AGENT_PROFILE = _Kind(Resource.AGENT_PROFILE, "profileId", ("agent",), "profile")


def state():
    return _dispatch(STATE)


def activity_profile():
    return _dispatch(ACTIVITY_PROFILE)


def agent_profile():
    return _dispatch(AGENT_PROFILE)


def _dispatch(kind: _Kind):
    xreq: XAPIRequest = g.xreq
    method = xreq.method
    if method not in ("GET", "HEAD", "PUT", "POST", "DELETE"):
        raise BadRequest(f"{method} is not a method of this resource")
    reading = method in ("GET", "HEAD")
    require(g.credential, kind.scope + "/read" if reading else kind.scope)
    doc_id = xreq.param(kind.id_param)
    allowed = {*kind.place_params, kind.id_param}
    if reading and doc_id is None:
        allowed.add("since")
    only_params(xreq, allowed, "on this resource")
    place = _place(xreq, kind)
    _refuse_nul({kind.id_param: doc_id, "agent": place.agent_key})
    if method in ("PUT", "POST"):
        check_content_type(xreq.headers.get("Content-Type", ""))
    store = current_app.extensions["lrs_bridge"].documents
    tenant_id = g.credential.tenant_id
    preconditions = Preconditions(xreq.headers.get("If-Match"), xreq.headers.get("If-None-Match"))
    if doc_id is None:
        if reading:
            return _list(xreq, store, tenant_id, place)
        if method == "DELETE" and kind.delete_many:
            store.delete_all(tenant_id, place)
            return Response(status=204)
        raise BadRequest(f"{kind.id_param}: required for {method}")
    if reading:
        return _get(xreq, store, tenant_id, place, doc_id)
    content_type = xreq.headers.get("Content-Type", "")
    if method == "DELETE":
        store.delete(tenant_id, place, doc_id, preconditions)
    elif method == "PUT":
        store.put(tenant_id, place, doc_id, xreq.body, content_type, preconditions,
                  state_needs_headers=request_version().is_2)
    else:
        store.post(tenant_id, place, doc_id, xreq.body, content_type, preconditions)
    return Response(status=204)


def _get(xreq: XAPIRequest, store, tenant_id: int, place: Place, doc_id: str):
    found = store.get(tenant_id, place, doc_id)
    if found is None:
        raise NotFound(f"no document with id {doc_id!r} here")
    head = xreq.method == "HEAD"
    response = Response(b"" if head else found.contents, status=200,
                        content_type=found.content_type)
    if head:
        response.headers["Content-Length"] = str(len(found.contents))
    response.headers["ETag"] = f'"{found.etag}"'
    response.headers["Last-Modified"] = http_date(found.updated)
    return response


def _list(xreq: XAPIRequest, store, tenant_id: int, place: Place):
    since = timestamp_param(xreq, "since")
    ids, newest = store.ids(tenant_id, place, since)
    body = orjson.dumps(ids)
    response = json_response(body, head=xreq.method == "HEAD")
    response.headers["ETag"] = f'"{etag_of(body)}"'
    if newest is not None:
        response.headers["Last-Modified"] = http_date(newest)
    return response


def _place(xreq: XAPIRequest, kind: _Kind) -> Place:
    activity_id = agent_key = registration = None
    if "activityId" in kind.place_params:
        activity_id = xreq.param("activityId")
        if activity_id is None:
            raise BadRequest("activityId: required")
        if not is_iri(activity_id):
            raise BadRequest("activityId: must be an IRI")
    if "agent" in kind.place_params:
        agent_key = ifi_key(required_agent(xreq))
    if "registration" in kind.place_params:
        registration = xreq.param("registration")
        if registration is not None:
            if not is_uuid(registration):
                raise BadRequest("registration: must be a UUID")
            registration = registration.lower()
    return Place(kind.resource, activity_id, agent_key, registration)


def _refuse_nul(values: dict[str, str | None]) -> None:
    # PostgreSQL cannot store a NUL character in text, and no IRI, id or media type needs one.
    for name, value in values.items():
        if value and "\x00" in value:
            raise BadRequest(f"{name}: must not contain a NUL character")

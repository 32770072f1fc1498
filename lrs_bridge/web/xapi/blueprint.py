"""The /xapi blueprint: version header, authentication and CORS around every resource."""

import math

from flask import Blueprint, Response, current_app, g, request
from flask_cors import CORS

from lrs_bridge.web import home
from lrs_bridge.web.auth import authenticate
from lrs_bridge.web.xapi import about, activities, agents, documents, statements
from lrs_bridge.web.xapi.last_versions import LastVersions
from lrs_bridge.web.xapi.request import read_request
from lrs_bridge.xapi.errors import BadRequest, XAPIError
from lrs_bridge.xapi.timestamps import format_millis
from lrs_bridge.xapi.versions import (
    HEADER,
    LATEST,
    XAPIVersion,
    answering,
    line_of,
    negotiate,
)

_EXPOSED = ["ETag", "Last-Modified", "X-Experience-API-Version",
            "X-Experience-API-Consistent-Through", "Content-Type"]


def build() -> Blueprint:
    """A new /xapi blueprint (one per app, so test apps do not share state)."""
    bp = Blueprint("xapi", __name__, url_prefix="/xapi")
    last_versions = LastVersions()
    bp.before_request(lambda: _before(last_versions))
    # On every response under /xapi, also those Flask makes before any view runs (404, 405).
    bp.after_app_request(_after)
    CORS(bp, origins="*", expose_headers=_EXPOSED, max_age=86400,
         allow_headers=["Authorization", "Content-Type", "X-Experience-API-Version",
                        "If-Match", "If-None-Match", "Accept-Language"],
         methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"])
    bp.add_url_rule("/statements", "statements", statements.dispatch,
                    methods=["GET", "HEAD", "PUT", "POST"])
    # POST everywhere: the alternate request syntax (§1.3) arrives as a POST.
    bp.add_url_rule("/about", "about", about.dispatch, methods=["GET", "HEAD", "POST"])
    bp.add_url_rule("/", "index", home.index, methods=["GET", "HEAD"])
    every = ["GET", "HEAD", "PUT", "POST", "DELETE"]
    bp.add_url_rule("/activities/state", "state", documents.state, methods=every)
    bp.add_url_rule("/activities/profile", "activity_profile", documents.activity_profile,
                    methods=every)
    bp.add_url_rule("/agents/profile", "agent_profile", documents.agent_profile, methods=every)
    bp.add_url_rule("/activities", "activities", activities.dispatch,
                    methods=["GET", "HEAD", "POST"])
    bp.add_url_rule("/agents", "agents", agents.dispatch, methods=["GET", "HEAD", "POST"])
    return bp


def _before(last_versions: LastVersions):
    if request.method == "OPTIONS":
        return None
    g.xreq = xreq = read_request(request)
    if xreq.alternate and (_names_2(request.headers.get(HEADER))
                           or _names_2(xreq.headers.get(HEADER))):
        raise BadRequest("the alternate request syntax (a POST with a method parameter) is "
                         "not part of xAPI 2.0.0: send the request with its own method and "
                         "headers")
    if request.endpoint in ("xapi.about", "xapi.index"):
        # About answers whatever the version header (Communication §2.8); the index is a
        # page for a person who opened the endpoint in a browser.
        return None
    header = xreq.headers.get(HEADER)
    if line_of(header) is None:
        g.answer_version = _last_version_of(last_versions, xreq) or LATEST
    g.xapi_version = version = negotiate(header)
    g.credential = authenticate(xreq.headers.get("Authorization"))
    last_versions.note(g.credential.key, version)
    return None


def _last_version_of(last_versions: LastVersions, xreq) -> XAPIVersion | None:
    """The version the request's credential last used, when its credentials are good."""
    try:
        credential = authenticate(xreq.headers.get("Authorization"))
    except XAPIError:
        return None
    return last_versions.of(credential.key)


def _names_2(header: str | None) -> bool:
    return line_of(header) is XAPIVersion.V2


def _after(response: Response) -> Response:
    if request.path != "/xapi" and not request.path.startswith("/xapi/"):
        return response
    version = g.get("xapi_version") or g.get("answer_version") or answering(_version_header())
    response.headers[HEADER] = version.value
    if request.path.rstrip("/") == "/xapi/statements":
        # On every Statements response, errors included (Communication §2.1.3).
        response.headers["X-Experience-API-Consistent-Through"] = _consistent_through()
    return response


def _version_header() -> str | None:
    # The request as unfolded when it got that far, else as sent (an error before that).
    xreq = g.get("xreq")
    return (xreq.headers if xreq is not None else request.headers).get(HEADER)


def _consistent_through() -> str:
    services = current_app.extensions["lrs_bridge"]
    # A statement query settles its moment before it runs; other responses glance (they
    # wait for writes only if this process never settled a moment).
    settled = g.get("statements_settled")
    if settled is None:
        settled = services.statements.barrier.glance()
    # Statements stored before `settled` are visible, one stored at `settled` may not be:
    # a client that asks since=<this header> (stored after it) then misses none.
    lag_ms = math.ceil(services.settings.consistency_lag * 1000)
    return format_millis(settled - 1 - lag_ms)

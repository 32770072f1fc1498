"""The /xapi blueprint: version header, authentication and CORS around every resource."""

import math
import re

from flask import Blueprint, Response, current_app, g, request
from flask_cors import CORS

from lrs_bridge.web import home
from lrs_bridge.web.auth import authenticate
from lrs_bridge.web.xapi import about, activities, agents, documents, statements
from lrs_bridge.web.xapi.request import read_request
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.timestamps import format_millis

VERSION = "1.0.3"
_ACCEPTED_VERSION = re.compile(r"^1\.0(\.\d+)?$")  # Communication §3.3
_EXPOSED = ["ETag", "Last-Modified", "X-Experience-API-Version",
            "X-Experience-API-Consistent-Through", "Content-Type"]


def build() -> Blueprint:
    """A new /xapi blueprint (one per app, so test apps do not share state)."""
    bp = Blueprint("xapi", __name__, url_prefix="/xapi")
    bp.before_request(_before)
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


def _before():
    if request.method == "OPTIONS":
        return None
    g.xreq = xreq = read_request(request)
    if request.endpoint in ("xapi.about", "xapi.index"):
        # About answers whatever the version header (Communication §2.8); the index is a
        # page for a person who opened the endpoint in a browser.
        return None
    _check_version(xreq.headers.get("X-Experience-API-Version"))
    g.credential = authenticate(xreq.headers.get("Authorization"))
    return None


def _check_version(value: str | None) -> None:
    if value is None:
        raise BadRequest("the X-Experience-API-Version header is required")
    if not _ACCEPTED_VERSION.match(value.strip()):
        raise BadRequest(f"X-Experience-API-Version {value!r} is not supported; use 1.0.x")


def _after(response: Response) -> Response:
    if request.path != "/xapi" and not request.path.startswith("/xapi/"):
        return response
    response.headers["X-Experience-API-Version"] = VERSION
    if request.path.rstrip("/") == "/xapi/statements":
        # On every Statements response, errors included (Communication §2.1.3).
        response.headers["X-Experience-API-Consistent-Through"] = _consistent_through()
    return response


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

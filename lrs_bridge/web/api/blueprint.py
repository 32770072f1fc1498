"""The /api/v1 blueprint: every route needs credentials (HTTP Basic) and a scope."""

from flask import Blueprint, g, request

from lrs_bridge.web.api import mappings
from lrs_bridge.web.auth import authenticate


def build() -> Blueprint:
    """A new /api/v1 blueprint."""
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    bp.before_request(_before)
    bp.add_url_rule("/mappings", "mappings", mappings.get_mappings, methods=["GET"])
    return bp


def _before():
    g.credential = authenticate(request.headers.get("Authorization"))

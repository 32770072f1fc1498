"""The About resource (Communication §2.8)."""

from flask import g

from lrs_bridge.web.home import release
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.versions import HEADER, about_versions

# An About extension (Data §4.1: keyed by an IRI) naming the software and its release.
PRODUCT_EXTENSION = "urn:x-lrs-bridge:about:product"


def dispatch():
    """GET /xapi/about: the xAPI versions this LRS conforms to (1.0.x only, to a 1.0.x
    client), and which software it is."""
    method = g.xreq.method
    if method not in ("GET", "HEAD"):
        raise BadRequest(f"{method} is not a method of the About resource")
    return json_response({"version": about_versions(g.xreq.headers.get(HEADER)),
                          "extensions": {PRODUCT_EXTENSION: {"name": "lrs-bridge",
                                                             "version": release()}}},
                         head=method == "HEAD")


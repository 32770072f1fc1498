"""The About resource (Communication §2.8)."""

from flask import g

from lrs_bridge.web.home import release
from lrs_bridge.web.xapi.responses import json_response
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.versions import ABOUT_VERSIONS

# An About extension (Data §4.1: keyed by an IRI) naming the software and its release.
PRODUCT_EXTENSION = "urn:x-lrs-bridge:about:product"


def dispatch():
    """GET /xapi/about: the xAPI versions this LRS conforms to, and which software it is."""
    method = g.xreq.method
    if method not in ("GET", "HEAD"):
        raise BadRequest(f"{method} is not a method of the About resource")
    return json_response({"version": ABOUT_VERSIONS,
                          "extensions": {PRODUCT_EXTENSION: {"name": "lrs-bridge",
                                                             "version": release()}}},
                         head=method == "HEAD")


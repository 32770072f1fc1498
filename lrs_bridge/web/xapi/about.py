"""The About resource (Communication §2.8)."""

from flask import g

from lrs_bridge.web.xapi.responses import json_response


def dispatch():
    """GET /xapi/about: the xAPI versions this LRS conforms to."""
    return json_response({"version": ["1.0.3", "1.0.2", "1.0.1", "1.0.0"], "extensions": {}},
                         head=g.xreq.method == "HEAD")

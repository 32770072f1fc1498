"""The public page at GET /xapi/ (and at / before signing in to the dashboard): tell a person
who opens the server in a browser where they are."""

from importlib.metadata import PackageNotFoundError, version

from flask import render_template, request, url_for

DOCUMENTATION = "https://github.com/adlnet/xAPI-Spec/tree/1.0.3"


def index():
    """A short page (or JSON, when asked for) naming the endpoint and where to read more."""
    facts = {
        "name": "lrs-bridge",
        "version": release(),
        "xapi_endpoint": url_for("xapi.index", _external=True),
        "about": url_for("xapi.about", _external=True),
        "health": url_for("healthz", _external=True),
        "xapi_specification": DOCUMENTATION,
    }
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "application/json":
        return facts
    return render_template("home.html", **facts)


def release() -> str:
    """The installed release of lrs-bridge."""
    try:
        return version("lrs-bridge")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "unknown"

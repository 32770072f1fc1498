"""The dashboard blueprint: `/` (the landing page, or the public page before signing in),
signing in and out, the language switch, and the pages of PAGE_MODULES. Every other route
needs a signed-in user, and every form a CSRF token."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lrs_bridge.store.dashboard_reads import learner_count, open_alert_counts
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web import home
from lrs_bridge.web.dashboard import (
    alerts_page,
    heatmap_page,
    language,
    learner_page,
    metrics_page,
    overview_page,
    paths_page,
    signin,
    team_page,
    users_page,
)
from lrs_bridge.web.dashboard.access import team_manager, viewer

# In navigation order. A new page: a module with PAGE and add_routes(bp), listed here.
PAGE_MODULES = (overview_page, paths_page, heatmap_page, metrics_page, alerts_page, team_page,
                learner_page, users_page)
PUBLIC = {"dashboard.index", "dashboard.login", "dashboard.language"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def build() -> Blueprint:
    """A new dashboard blueprint."""
    bp = Blueprint("dashboard", __name__)
    bp.before_request(_guard)
    bp.add_url_rule("/", "index", index, methods=["GET", "HEAD"])
    bp.add_url_rule("/dashboard/login", "login", signin.login, methods=["GET", "POST"])
    bp.add_url_rule("/dashboard/logout", "logout", signin.logout, methods=["POST"])
    bp.add_url_rule("/dashboard/language", "language", language.switch_language,
                    methods=["POST"])
    for module in PAGE_MODULES:
        module.add_routes(bp)
    bp.register_error_handler(CSRFError, _csrf_refused)
    bp.register_error_handler(HTTPException, _error_page)
    return bp


def navigation() -> list:
    """The pages the signed-in user may open, for the menu and the landing page."""
    if not current_user.is_authenticated:
        return []
    role = viewer().role
    return [m.PAGE for m in PAGE_MODULES if m.PAGE is not None and role in m.PAGE.roles]


def index():
    """The landing page when signed in; else (or when JSON is asked for) the public page."""
    wants_json = request.accept_mimetypes.best_match(["text/html", "application/json"]) \
        == "application/json"
    if wants_json or not current_user.is_authenticated:
        return home.index()
    user = viewer()
    services = current_app.extensions["lrs_bridge"]
    with read_transaction(services.engine) as conn:
        alerts = sum(open_alert_counts(conn, user.tenant_id, team_manager(user)).values())
        learners = learner_count(conn, user.tenant_id, team_manager(user))
    return render_template("dashboard/landing.html", open_alerts=alerts, learners=learners)


def _guard():
    csrf = current_app.extensions["csrf"]
    if request.method not in SAFE_METHODS:
        csrf.protect()
    if request.endpoint not in PUBLIC and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    return None


def _csrf_refused(_err: CSRFError):
    return _error_page_for(400, "csrf")


def _error_page(err: HTTPException):
    return _error_page_for(err.code or 500, err.description)


def _error_page_for(status: int, message: str):
    return render_template("dashboard/error.html", status=status, message=message), status

"""/dashboard/users: who may sign in to this tenant's dashboard, with their roles; for
administrators only (users are added and removed with `lrs-bridge users`)."""

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from lrs_bridge.web.dashboard.access import roles_required, viewer
from lrs_bridge.web.dashboard.pages import Page

PAGE = Page("dashboard.users", _l("Users"),
            _l("Who may sign in to this dashboard, and with which role."), roles=("admin",))


def add_routes(bp) -> None:
    """The users page."""
    bp.add_url_rule("/dashboard/users", "users", roles_required("admin")(users_page))


def users_page():
    """The tenant's dashboard users."""
    user = viewer()
    store = current_app.extensions["lrs_bridge"].dashboard_users
    found = [u for u in store.list() if u.tenant_id == user.tenant_id]
    return render_template("dashboard/users.html", users=found)

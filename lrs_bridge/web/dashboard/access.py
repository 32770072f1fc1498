"""Who may see what: the signed-in user's visible learners (their tenant; a manager's team
only), and the checks every dashboard page makes."""

from functools import wraps

from flask import abort
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import Connection

from lrs_bridge.journey.learners import Learner
from lrs_bridge.store.dashboard_users import DashboardUser
from lrs_bridge.store.learner_list import LearnerFilter, learner_of_tenant

WHOLE_TENANT = ("admin", "ld")


def viewer() -> DashboardUser:
    """The signed-in dashboard user of this request."""
    return current_user.user


def sees_whole_tenant(user: DashboardUser) -> bool:
    """admin and ld see every learner of their tenant; a manager only their team."""
    return user.role in WHOLE_TENANT


def team_manager(user: DashboardUser) -> str | None:
    """The manager e-mail the user's learners must have (None: any)."""
    return None if sees_whole_tenant(user) else user.email


def visible_filter(user: DashboardUser, **where) -> LearnerFilter:
    """A learner filter for the learners `user` may see that also match `where`; a manager
    asking for another manager's learners gets 403."""
    own = team_manager(user)
    asked = where.pop("manager", None)
    if own is not None and asked is not None and asked.strip().lower() != own:
        abort(403, description=gettext("A manager sees their own team only."))
    return LearnerFilter(manager=own or asked, **where)


def may_see(user: DashboardUser, learner: Learner) -> bool:
    """Whether `user` may open `learner` (of their tenant, as the caller made sure)."""
    own = team_manager(user)
    return own is None or learner.manager_email.strip().lower() == own


def visible_learner(conn: Connection, user: DashboardUser, learner_id: int) -> Learner:
    """The learner, if `user` may see them: 404 when the tenant has no such learner, 403 when
    they are in another manager's team."""
    learner = learner_of_tenant(conn, user.tenant_id, learner_id)
    if learner is None:
        abort(404, description=gettext("There is no learner %(id)s.", id=learner_id))
    if not may_see(user, learner):
        abort(403, description=gettext("This learner is not in your team."))
    return learner


def roles_required(*roles: str):
    """A view decorator: 403 unless the signed-in user has one of `roles`."""

    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            if viewer().role not in roles:
                abort(403, description=gettext("Your role may not open this page."))
            return view(*args, **kwargs)

        return checked

    return decorate

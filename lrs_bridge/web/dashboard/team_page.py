"""/dashboard/team: a manager's team: each learner with their path progress, overdue steps
and open alerts. A manager sees their own team; admin and L&D pick any manager's."""

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress_views import learner_view
from lrs_bridge.store.alerts import open_counts
from lrs_bridge.store.dashboard_reads import managers
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learner_list import learner_ids
from lrs_bridge.store.learners import load_learners
from lrs_bridge.store.progress import view_states
from lrs_bridge.web.dashboard.access import sees_whole_tenant, viewer, visible_filter
from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.pages import Page, arg_text

PAGE = Page("dashboard.team", _l("Team"),
            _l("A manager's team: each learner's path progress and open alerts."))
MOST = 1000  # learners shown of one team


def add_routes(bp) -> None:
    """The team page and its CSV."""
    bp.add_url_rule("/dashboard/team", "team", team_page)
    bp.add_url_rule("/dashboard/team.csv", "team_csv", team_csv)


def team_page():
    """The team of `manager` (a manager: their own), with the managers to choose from."""
    user = viewer()
    manager = _manager(user)
    services = current_app.extensions["lrs_bridge"]
    choices = []
    if sees_whole_tenant(user):
        with read_transaction(services.engine) as conn:
            choices = managers(conn, user.tenant_id)
    members, cut = _members(manager) if manager else ([], False)
    return render_template("dashboard/team.html", manager=manager, choices=choices,
                           members=members, cut=cut, most=MOST,
                           csv=url_for("dashboard.team_csv", manager=manager)
                           if manager else None)


def team_csv():
    """The team as CSV: a row per learner and path they follow."""
    manager = _manager(viewer())
    members, _ = _members(manager) if manager else ([], False)
    header = ["learner_id", "email", "name", "role", "team", "phase", "last_activity",
              "open_alerts", "path", "path_name", "path_status", "progress", "overdue_steps"]
    rows = []
    for m in members:
        person = m["person"]
        head = [person.id, person.email, person.name, person.role, person.team, m["phase"],
                m["last_activity"], m["open_alerts"]]
        rows += [head + [p["id"], p["name"], p["status"], p["progress"], p["overdue"]]
                 for p in m["paths"]] or [head + [None] * 5]
    return csv_response(f"team-{manager or 'none'}.csv", header, rows)


def _manager(user) -> str | None:
    asked = (arg_text("manager") or "").lower() or None
    if not sees_whole_tenant(user):
        visible_filter(user, manager=asked)  # 403 for another manager's team
        return user.email
    return asked


def _members(manager: str) -> tuple[list[dict], bool]:
    """The team's learners with where they stand now; whether the team was cut at MOST."""
    user = viewer()
    services = current_app.extensions["lrs_bridge"]
    mapping = services.mappings.current().mapping or Mapping()
    now = services.clock.now()
    with read_transaction(services.engine) as conn:
        ids = learner_ids(conn, user.tenant_id, visible_filter(user, manager=manager),
                          now.date(), limit=MOST + 1)
        page = ids[:MOST]
        people = load_learners(conn, set(page))
        states = view_states(conn, user.tenant_id, page)
        alerts = open_counts(conn, user.tenant_id, page)
    names = Names(mapping)
    members = []
    for lid in page:
        person = people[lid]
        view = learner_view(states[lid], mapping, learner_context(person, mapping, now.date()),
                            now)
        members.append({
            "person": person, "role": names.of("role", person.role),
            "phase": view.phase, "phase_name": names.of("phase", view.phase),
            "last_activity": view.last_activity, "open_alerts": alerts.get(lid, 0),
            "href": url_for("dashboard.learner", learner_id=lid),
            "paths": [{"id": p.path, "name": names.of("path", p.path), "status": p.status,
                       "progress": round(p.progress, 4),
                       "overdue": sum(s.overdue for s in p.steps)} for p in view.paths]})
    members.sort(key=lambda m: (m["person"].name or m["person"].email).lower())
    return members, len(ids) > MOST

"""/dashboard/learners/<id>: one learner over time: who they are, their paths with each step,
their skills against the role, their alerts, and everything that happened, newest first
(read from the progress engine's state: no scan of the statements). Reached from the alerts
and team pages, or by e-mail address."""

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import Connection

from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress_views import learner_view
from lrs_bridge.store.alerts import list_alerts
from lrs_bridge.store.dashboard_reads import learner_evidence
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learner_list import learner_ids
from lrs_bridge.store.progress import view_state
from lrs_bridge.web.dashboard.access import viewer, visible_filter, visible_learner
from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import Names
from lrs_bridge.web.dashboard.pages import arg_text
from lrs_bridge.web.dashboard.timeline import timeline

PAGE = None  # reached through the alerts and team pages
SHOWN_EVENTS = 300
_ID = f"<int(max={2 ** 63 - 1}):learner_id>"  # learner ids are BIGINT


def add_routes(bp) -> None:
    """The learner page, its timeline as CSV, and finding a learner by e-mail address."""
    bp.add_url_rule(f"/dashboard/learners/{_ID}", "learner", learner_page)
    bp.add_url_rule(f"/dashboard/learners/{_ID}/timeline.csv", "learner_csv", learner_csv)
    bp.add_url_rule("/dashboard/learners", "find_learner", find_learner)


def learner_page(learner_id: int):
    """The learner's entry, paths, skills, alerts and timeline."""
    found = _read(learner_id)
    events = found.pop("events")
    return render_template("dashboard/learner.html", events=events[:SHOWN_EVENTS],
                           more_events=max(0, len(events) - SHOWN_EVENTS),
                           csv=url_for("dashboard.learner_csv", learner_id=learner_id),
                           **found)


def learner_csv(learner_id: int):
    """The learner's whole timeline as CSV, newest first."""
    found = _read(learner_id)
    names: Names = found["names"]
    header = ["at", "event", "path", "module", "module_name", "skill", "level", "meaning",
              "outcomes", "score", "alert_kind", "subject", "reason", "statement_id"]
    rows = ([e.at, e.kind, e.path, e.module, names.of("module", e.module), e.skill, e.level,
             e.meaning, ";".join(e.outcomes), e.score, e.alert_kind, e.subject, e.reason,
             e.statement_id] for e in found["events"])
    return csv_response(f"learner-{learner_id}-timeline.csv", header, rows)


def find_learner():
    """?email=…: the learner page of the one visible learner with that address."""
    email = arg_text("email")
    if not email:
        abort(400, description=gettext("email: give the learner's e-mail address."))
    user = viewer()
    services = current_app.extensions["lrs_bridge"]
    with read_transaction(services.engine) as conn:
        visible = learner_ids(conn, user.tenant_id, visible_filter(user, email=email),
                              services.clock.now().date(), limit=2)
    if not visible:
        # Someone else's team member is as unknown to a manager as nobody at all.
        abort(404, description=gettext("No learner you see has the e-mail address "
                                       "%(email)s.", email=email))
    if len(visible) > 1:
        abort(409, description=gettext("The e-mail address %(email)s belongs to several "
                                       "learners.", email=email))
    return redirect(url_for("dashboard.learner", learner_id=visible[0]))


def _read(learner_id: int) -> dict:
    user = viewer()
    services = current_app.extensions["lrs_bridge"]
    mapping = services.mappings.current().mapping
    now = services.clock.now()
    with read_transaction(services.engine) as conn:
        person = visible_learner(conn, user, learner_id)
        view = None
        if mapping is not None:
            context = learner_context(person, mapping, now.date())
            view = learner_view(view_state(conn, user.tenant_id, learner_id), mapping,
                                context, now)
        evidence = learner_evidence(conn, user.tenant_id, learner_id)
        alerts = _alerts(conn, user.tenant_id, learner_id)
    return {"person": person, "view": view, "now": now, "names": Names(mapping or Mapping()),
            "mapping_loaded": mapping is not None,
            "open_alerts": [a for a in alerts if a.status == "open"],
            "events": timeline(evidence, view, alerts)}


def _alerts(conn: Connection, tenant_id: int, learner_id: int) -> list:
    return list_alerts(conn, tenant_id, status=None, learner_ids=[learner_id], limit=10_000)

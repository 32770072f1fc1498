"""/dashboard/alerts: the open alerts of the learners the user sees, counted by kind and
listed newest first, each linking to its learner; filter by kind; the same as CSV."""

from flask import current_app, render_template, url_for
from flask_babel import lazy_gettext as _l

from lrs_bridge.journey.alert_rules import KINDS
from lrs_bridge.store.alerts import list_alerts, page_key
from lrs_bridge.store.dashboard_reads import open_alert_counts
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.dashboard.access import team_manager, viewer
from lrs_bridge.web.dashboard.csv_export import csv_response
from lrs_bridge.web.dashboard.labels import ALERT_KINDS, Names, alert_reason, label
from lrs_bridge.web.dashboard.pages import Page, arg_choice, arg_cursor

PAGE = Page("dashboard.alerts", _l("Alerts"),
            _l("Open alerts by kind, each with the learner it is about."))
PAGE_SIZE = 100
CSV_BATCH = 1000


def add_routes(bp) -> None:
    """The alerts page and its CSV."""
    bp.add_url_rule("/dashboard/alerts", "alerts", alerts_page)
    bp.add_url_rule("/dashboard/alerts.csv", "alerts_csv", alerts_csv)


def alerts_page():
    """The counts by kind, and a page of the open alerts (of one kind, if asked)."""
    user, kind, after = viewer(), arg_choice("kind", KINDS), arg_cursor()
    services = current_app.extensions["lrs_bridge"]
    with read_transaction(services.engine) as conn:
        counts = open_alert_counts(conn, user.tenant_id, team_manager(user))
        found = list_alerts(conn, user.tenant_id, kind=kind, manager=team_manager(user),
                            after=after, limit=PAGE_SIZE + 1)
    names = Names(services.mappings.current().mapping)
    rows = [_row(alert, names) for alert in found[:PAGE_SIZE]]
    more = None
    if len(found) > PAGE_SIZE:
        cursor = "-".join(str(n) for n in page_key(found[PAGE_SIZE - 1]))
        more = url_for("dashboard.alerts", kind=kind, after=cursor)
    kinds = [{"kind": k, "label": label(ALERT_KINDS, k), "count": counts.get(k, 0),
              "href": url_for("dashboard.alerts", kind=k)} for k in KINDS]
    return render_template(
        "dashboard/alerts.html", kinds=kinds, kind=kind, rows=rows, more=more,
        total=sum(counts.values()), first_page=after is None,
        csv=url_for("dashboard.alerts_csv", kind=kind))


def alerts_csv():
    """Every open alert the user sees (of one kind, if asked), as CSV."""
    user, kind = viewer(), arg_choice("kind", KINDS)
    services = current_app.extensions["lrs_bridge"]
    names = Names(services.mappings.current().mapping)
    found, after = [], None
    with read_transaction(services.engine) as conn:
        while True:
            batch = list_alerts(conn, user.tenant_id, kind=kind, manager=team_manager(user),
                                after=after, limit=CSV_BATCH)
            found += batch
            if len(batch) < CSV_BATCH:
                break
            after = page_key(batch[-1])
    header = ["opened", "since", "kind", "subject", "subject_name", "why", "learner_id",
              "learner_email", "learner_name", "path", "phase", "alert_id"]
    rows = ([a.opened, a.since, a.kind, a.subject, names.subject(a.kind, a.subject),
             alert_reason(a.kind, a.detail), a.learner_id, a.learner_email, a.learner_name,
             a.path, a.phase, a.id] for a in found)
    return csv_response(f"alerts-{kind or 'open'}.csv", header, rows)


def _row(alert, names: Names) -> dict:
    return {"opened": alert.opened, "kind": alert.kind, "kind_label": label(ALERT_KINDS,
                                                                            alert.kind),
            "subject": names.subject(alert.kind, alert.subject),
            "why": alert_reason(alert.kind, alert.detail),
            "learner": alert.learner_name or alert.learner_email or f"#{alert.learner_id}",
            "learner_email": alert.learner_email,
            "href": url_for("dashboard.learner", learner_id=alert.learner_id)}

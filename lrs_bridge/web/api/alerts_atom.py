"""GET /api/v1/alerts.atom: the credential's tenant's alerts as an Atom feed (RFC 4287), newest
first: an entry when an alert opened and another when it resolved, each with an id that never
changes and a link to the learner's API resource. Older entries are a `next` page away
(RFC 5005's paged feeds); the filters are those of /api/v1/alerts."""

import uuid
from datetime import datetime
from urllib.parse import urljoin
from xml.etree import ElementTree as ET  # noqa: S405 (writes XML, parses none)

from flask import Response, current_app, g, request

from lrs_bridge.learner_report import alert_entry
from lrs_bridge.report_text import reason
from lrs_bridge.store.alert_events import RESOLVED, AlertEvent, alert_events
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.web.api.alerts import alert_filters, learner_ids
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.schemas.queries import AlertsAtomQuery
from lrs_bridge.web.auth import require
from lrs_bridge.xapi.errors import BadRequest

# Elements are written without a prefix, in the default namespace the feed element declares.
ATOM = "http://www.w3.org/2005/Atom"
# Entry and feed ids are name-based UUIDs under this namespace: the same alert event (or the
# same filters of one tenant) always has the same id.
_NAMESPACE = uuid.UUID("0f3c8e5e-3a51-4c1e-9b1a-5d0f6a2c7e41")
_WHAT = {0: "opened", RESOLVED: "resolved"}


def get_alerts_atom():
    """A page of alert entries, newest first."""
    require(g.credential, "progress/read")
    params = Params(AlertsAtomQuery)
    filters = alert_filters(params, "all")
    since, before = params.moment("since"), params.numbers("after", 3)
    if before is not None and before[1] not in _WHAT:
        raise BadRequest("after: not a cursor this API gave (take the `next` link as it is)")
    learner, limit = params.learner(), params.limit()
    services = current_app.extensions["lrs_bridge"]
    tenant_id = g.credential.tenant_id
    with read_transaction(services.engine) as conn:
        events = alert_events(conn, tenant_id, since=since, before=before, limit=limit,
                              learner_ids=learner_ids(conn, tenant_id, learner), **filters)
    feed = _feed(tenant_id, events, services.clock.now())
    if len(events) == limit:
        _link(feed, "next", params.next_page("-".join(str(n) for n in events[-1].key())))
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _feed(tenant_id: int, events: list[AlertEvent], now: datetime) -> ET.Element:
    feed = ET.Element("feed", xmlns=ATOM)
    query = sorted((k, v) for k, v in request.args.items() if k not in ("after", "limit"))
    _text(feed, "id", _urn(f"{tenant_id}|alerts.atom|{query}"))
    _text(feed, "title", "lrs-bridge alerts" + "".join(f", {k} {v}" for k, v in query))
    _text(feed, "updated", (events[0].at if events else now).isoformat())
    _text(ET.SubElement(feed, "author"), "name", "lrs-bridge")
    _link(feed, "self", request.full_path.rstrip("?"))
    for event in events:
        feed.append(_entry(tenant_id, event))
    return feed


def _entry(tenant_id: int, event: AlertEvent) -> ET.Element:
    alert, what = event.alert, _WHAT[event.what]
    who = alert.learner_name or alert.learner_email or f"learner {alert.learner_id}"
    entry = ET.Element("entry")
    _text(entry, "id", _urn(f"{tenant_id}|alert|{alert.id}|{what}"))
    _text(entry, "title", f"{who}: {alert.kind} {alert.subject} {what}")
    _text(entry, "updated", event.at.isoformat())
    ET.SubElement(entry, "category", term=alert.kind)
    ET.SubElement(entry, "category", term=what)
    _link(entry, "related", f"/api/v1/learners/{alert.learner_id}", type="application/json")
    _text(entry, "content", _summary(alert_entry(alert), what), type="text")
    return entry


def _summary(alert: dict, what: str) -> str:
    words = f"{alert['kind']} {alert['subject']}: {reason(alert)}"
    if what == "resolved":
        why = alert["resolved_reason"] or "resolved"
        by = f" by statement {alert['resolved_by']}" if alert["resolved_by"] else ""
        return f"{words}; resolved ({why}){by}"
    return f"{words}; open since {alert['since']}"


def _text(parent: ET.Element, tag: str, value: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, **attributes)
    element.text = value
    return element


def _link(parent: ET.Element, rel: str, href: str, **attributes) -> None:
    """A link with an absolute address: a feed reader resolves nothing."""
    ET.SubElement(parent, "link", rel=rel, href=urljoin(request.host_url, href),
                  **attributes)


def _urn(name: str) -> str:
    return uuid.uuid5(_NAMESPACE, name).urn


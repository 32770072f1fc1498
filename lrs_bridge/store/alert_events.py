"""Alerts as events, newest first: each alert was opened, and a resolved one was resolved too.
The Atom feed of alerts (GET /api/v1/alerts.atom) is made of them."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, or_

from lrs_bridge.store.alerts import AlertRow, alert_of, alert_query
from lrs_bridge.store.tables import alerts

# Of an alert opened and resolved in the same millisecond, the resolution comes after.
OPENED, RESOLVED = 0, 1
_A = alerts.c


@dataclass(frozen=True)
class AlertEvent:
    alert: AlertRow
    what: int  # OPENED or RESOLVED

    @property
    def at(self) -> datetime:
        return self.alert.resolved if self.what == RESOLVED else self.alert.opened

    def key(self) -> tuple[int, int, int]:
        """Its place, newest first: (ms, what, alert id); a cursor continues below it."""
        return round(self.at.timestamp() * 1000), self.what, self.alert.id


def alert_events(conn: Connection, tenant_id: int, *, since: datetime | None = None,
                 before: tuple[int, int, int] | None = None, limit: int = 100,
                 **filters) -> list[AlertEvent]:
    """The newest `limit` events (after `since`, below the cursor `before`) of the alerts
    alert_query's `filters` match."""
    found = []
    for what, moment in ((OPENED, _A.opened), (RESOLVED, _A.resolved)):
        query = alert_query(tenant_id, **filters).where(moment.is_not(None)) \
            .order_by(moment.desc(), _A.id.desc()).limit(limit)
        if since is not None:
            query = query.where(moment >= round(since.timestamp() * 1000))
        if before is not None:
            query = query.where(_below(moment, what, before))
        found += [AlertEvent(alert_of(row), what) for row in conn.execute(query)]
    return sorted(found, key=AlertEvent.key, reverse=True)[:limit]


def _below(moment, what: int, before: tuple[int, int, int]):
    """The events of one kind (`what`) that come after the cursor, newest first."""
    ms, kind, alert_id = before
    if what < kind:
        return moment <= ms
    if what > kind:
        return moment < ms
    return or_(moment < ms, and_(moment == ms, _A.id < alert_id))

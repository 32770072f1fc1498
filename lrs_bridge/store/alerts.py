"""Alert rows: the open ones of a learner, opening and resolving, and the list people read."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

import orjson
from sqlalchemy import Connection, Select, and_, func, insert, or_, select, update

from lrs_bridge.store.learner_list import team_of
from lrs_bridge.store.tables import alerts, learners

_A = alerts.c


@dataclass(frozen=True)
class AlertRow:
    id: int
    learner_id: int
    kind: str
    subject: str
    status: str
    path: str | None
    phase: str | None
    since: datetime
    opened: datetime
    detail_text: str  # JSON; read through `detail`, only when wanted
    resolved: datetime | None = None
    resolved_by: str | None = None
    resolved_reason: str | None = None
    learner_email: str = ""
    learner_name: str = ""

    @cached_property
    def detail(self) -> dict:
        return orjson.loads(self.detail_text)


def open_alerts(conn: Connection, tenant_id: int, learner_id: int) -> dict[tuple, AlertRow]:
    """The learner's open alerts by (kind, subject)."""
    return open_alerts_of(conn, tenant_id, [learner_id])[learner_id]


def open_alerts_of(conn: Connection, tenant_id: int,
                   learner_ids: list[int]) -> dict[int, dict[tuple, AlertRow]]:
    """The open alerts of each of these learners, by (kind, subject)."""
    found: dict[int, dict[tuple, AlertRow]] = {lid: {} for lid in learner_ids}
    ids = sorted(learner_ids)
    for start in range(0, len(ids), 400):
        query = select(alerts).where(_A.tenant_id == tenant_id, _A.status == "open",
                                     _A.learner_id.in_(ids[start:start + 400]))
        for row in conn.execute(query):
            found[row.learner_id][(row.kind, row.subject)] = _row(row)
    return found


def open_alert(conn: Connection, tenant_id: int, learner_id: int, condition,
               now: datetime) -> int:
    """Insert an open alert for a condition; return its id."""
    return conn.execute(insert(alerts).values(
        tenant_id=tenant_id, learner_id=learner_id, kind=condition.kind,
        subject=condition.subject, status="open", path=condition.path, phase=condition.phase,
        since=_ms(condition.since), opened=_ms(now),
        detail=orjson.dumps(condition.detail).decode())).inserted_primary_key[0]


def resolve_alert(conn: Connection, alert_id: int, resolution) -> None:
    conn.execute(update(alerts).where(_A.id == alert_id).values(
        status="resolved", resolved=_ms(resolution.at), resolved_by=resolution.statement_id,
        resolved_reason=resolution.reason))


def list_alerts(conn: Connection, tenant_id: int, *, since: datetime | None = None,
                after: tuple[int, int] | None = None, limit: int = 1000,
                **filters) -> list[AlertRow]:
    """Alerts of a tenant, newest first, with the learner's e-mail address and name.

    `filters` are those of alert_query; `after` a page_key: the alerts that come after that
    one."""
    query = alert_query(tenant_id, **filters).order_by(_A.opened.desc(), _A.id.desc()) \
        .limit(limit)
    if since is not None:
        query = query.where(_A.opened >= _ms(since))
    if after is not None:
        opened, alert_id = after
        query = query.where(or_(_A.opened < opened, and_(_A.opened == opened, _A.id < alert_id)))
    return [alert_of(row) for row in conn.execute(query)]


def alert_query(tenant_id: int, *, status: str | None = "open", kind: str | None = None,
                learner_ids: list[int] | None = None, phase: str | None = None,
                manager: str | None = None, team: str | None = None) -> Select:
    """The tenant's alerts with their learner's e-mail address and name, filtered; `manager`
    is the learner's manager's e-mail address (any case). Read rows with alert_of."""
    query = (select(alerts, learners.c.email, learners.c.name)
             .join(learners, learners.c.id == _A.learner_id).where(_A.tenant_id == tenant_id))
    if status:
        query = query.where(_A.status == status)
    if kind:
        query = query.where(_A.kind == kind)
    if learner_ids is not None:
        query = query.where(_A.learner_id.in_(learner_ids))
    if phase:
        query = query.where(_A.phase == phase)
    if manager:
        query = query.where(_A.learner_id.in_(team_of(tenant_id, manager)))
    if team:
        query = query.where(learners.c.team == team)
    return query


def alert_of(row) -> AlertRow:
    """An AlertRow from a row of alert_query."""
    return _row(row, row.email, row.name)


def page_key(alert: AlertRow) -> tuple[int, int]:
    """Where list_alerts continues after `alert`."""
    # round: a moment read back from milliseconds may fall a hair short of them.
    return round(alert.opened.timestamp() * 1000), alert.id


def open_counts(conn: Connection, tenant_id: int, learner_ids: list[int]) -> dict[int, int]:
    """How many open alerts each of these learners has (absent: none)."""
    found = {}
    for start in range(0, len(learner_ids), 500):
        query = (select(_A.learner_id, func.count())
                 .where(_A.tenant_id == tenant_id, _A.status == "open",
                        _A.learner_id.in_(learner_ids[start:start + 500]))
                 .group_by(_A.learner_id))
        found.update((learner_id, count) for learner_id, count in conn.execute(query))
    return found


def _row(row, email: str = "", name: str = "") -> AlertRow:
    return AlertRow(row.id, row.learner_id, row.kind, row.subject, row.status, row.path,
                    row.phase, _moment(row.since), _moment(row.opened), row.detail,
                    _moment(row.resolved), row.resolved_by, row.resolved_reason, email, name)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _moment(ms: int | None) -> datetime | None:
    return datetime.fromtimestamp(ms / 1000, UTC) if ms is not None else None

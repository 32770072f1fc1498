"""How each connector's deliveries stand: pending (due now or waiting), done, dead, the age of
the oldest pending one, the newest dead one's error, and whether that is healthy."""

from dataclasses import asdict, dataclass

from sqlalchemy import Connection, case, func, select

from lrs_bridge.store.deliveries import ready
from lrs_bridge.store.tables import connectors, deliveries, outbox, tenants

# The health rule: no dead delivery in the last DEAD_WINDOW, none pending longer than LATE.
DEAD_WINDOW_SECONDS = 24 * 3600
LATE_SECONDS = 3600

_D = deliveries.c


@dataclass(frozen=True)
class ConnectorFigures:
    """One connector's deliveries at one moment."""

    name: str
    kind: str
    tenant: str
    pending: int
    # Of the pending, those a worker may take now; the others wait for a retry, or behind an
    # earlier event of their learner, or are being delivered.
    due: int
    done: int
    dead: int
    dead_last_24h: int  # became dead in the last DEAD_WINDOW_SECONDS
    oldest_pending_seconds: float | None  # since the oldest pending one's event was written
    last_error: str | None  # of the newest dead one, in the LMS's words

    @property
    def waiting(self) -> int:
        return self.pending - self.due

    @property
    def healthy(self) -> bool:
        """False with a delivery dead in the last 24 h or one pending for over an hour."""
        return not self.dead_last_24h and (self.oldest_pending_seconds or 0) <= LATE_SECONDS

    def as_json(self) -> dict:
        """The figures as `GET /api/v1/status` and `outbox status --json` give them."""
        return {**asdict(self), "healthy": self.healthy}


def connector_figures(conn: Connection, now_ms: int, *, tenant_id: int | None = None,
                      name: str | None = None) -> list[ConnectorFigures]:
    """The figures of every connector (of one tenant, or the one called `name`), by name."""
    query = select(connectors.c.id, connectors.c.name, connectors.c.kind,
                   tenants.c.name.label("tenant")) \
        .join(tenants, tenants.c.id == connectors.c.tenant_id).order_by(connectors.c.name)
    if tenant_id is not None:
        query = query.where(connectors.c.tenant_id == tenant_id)
    if name is not None:
        query = query.where(connectors.c.name == name)
    found = conn.execute(query).all()
    ids = [row.id for row in found]
    if not ids:
        return []
    counts = _counts(conn, ids, now_ms)
    oldest = dict(conn.execute(
        select(_D.connector_id, func.min(outbox.c.created))
        .join(outbox, outbox.c.id == _D.outbox_id)
        .where(_D.connector_id.in_(ids), _D.status == "pending")
        .group_by(_D.connector_id)).all())
    figures = []
    for row in found:
        pending, due, _ = counts.get((row.id, "pending"), (0, 0, 0))
        done = counts.get((row.id, "done"), (0, 0, 0))[0]
        dead, _, recent = counts.get((row.id, "dead"), (0, 0, 0))
        age = None if row.id not in oldest else max(now_ms - oldest[row.id], 0) / 1000
        figures.append(ConnectorFigures(
            row.name, row.kind, row.tenant, pending, due, done, dead, recent, age,
            _last_error(conn, row.id) if dead else None))
    return figures


def totals(figures: list[ConnectorFigures]) -> dict:
    """The sums of the counts, the oldest pending age, and whether every connector is
    healthy."""
    ages = [f.oldest_pending_seconds for f in figures if f.oldest_pending_seconds is not None]
    return {**{key: sum(getattr(f, key) for f in figures)
               for key in ("pending", "due", "done", "dead", "dead_last_24h")},
            "oldest_pending_seconds": max(ages, default=None),
            "healthy": all(f.healthy for f in figures)}


def _counts(conn: Connection, ids: list[int], now_ms: int) -> dict[tuple[int, str], tuple]:
    """(connector, status) -> (how many, how many due now, how many settled in the window)."""
    since = now_ms - DEAD_WINDOW_SECONDS * 1000
    rows = conn.execute(
        select(_D.connector_id, _D.status, func.count(),
               func.sum(case((_D.updated >= since, 1), else_=0)))
        .where(_D.connector_id.in_(ids)).group_by(_D.connector_id, _D.status))
    due = dict(conn.execute(select(_D.connector_id, func.count())
                            .where(_D.connector_id.in_(ids), ready(now_ms))
                            .group_by(_D.connector_id)).all())
    return {(cid, status): (count, due.get(cid, 0) if status == "pending" else 0,
                            int(recent or 0))
            for cid, status, count, recent in rows}


def _last_error(conn: Connection, connector_id: int) -> str | None:
    return conn.execute(
        select(_D.last_error).where(_D.connector_id == connector_id, _D.status == "dead")
        .order_by(_D.updated.desc(), _D.id.desc()).limit(1)).scalar()

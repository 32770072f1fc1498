"""The connectors of each tenant, and what removing one takes with it."""

import time
from dataclasses import dataclass, field

import orjson
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from lrs_bridge.store.credentials import ensure_tenant
from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.tables import connectors, deliveries, lms_users, tenants


class ConnectorExists(ValueError):
    """A connector of that name exists already."""


@dataclass(frozen=True)
class ConnectorRow:
    id: int
    tenant: str
    tenant_id: int
    name: str
    kind: str
    url: str
    token_env: str | None
    token_encrypted: str | None = field(repr=False)
    options: dict
    created: int


_COLUMNS = (connectors, tenants.c.name.label("tenant"))


class ConnectorStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def add(self, tenant: str, name: str, kind: str, url: str, *, token_env: str | None,
            token_encrypted: str | None, options: dict) -> ConnectorRow:
        try:
            with write_transaction(self.engine) as conn:
                tenant_id = ensure_tenant(conn, tenant)
                conn.execute(insert(connectors).values(
                    tenant_id=tenant_id, name=name, kind=kind, url=url, token_env=token_env,
                    token_encrypted=token_encrypted, options=orjson.dumps(options).decode(),
                    created=int(time.time() * 1000)))
        except IntegrityError:
            raise ConnectorExists(f"a connector called {name!r} exists already") from None
        return self.get(name)

    def get(self, name: str) -> ConnectorRow | None:
        query = select(*_COLUMNS).join(tenants, tenants.c.id == connectors.c.tenant_id).where(
            connectors.c.name == name)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _row(row) if row else None

    def all(self) -> list[ConnectorRow]:
        query = select(*_COLUMNS).join(tenants, tenants.c.id == connectors.c.tenant_id) \
            .order_by(connectors.c.name)
        with self.engine.connect() as conn:
            return [_row(row) for row in conn.execute(query)]

    def remove(self, name: str) -> int | None:
        """Remove the connector, its deliveries and the LMS users it found; return how many
        of its deliveries were still pending (None when there is no such connector)."""
        with write_transaction(self.engine) as conn:
            found = conn.execute(select(connectors.c.id).where(
                connectors.c.name == name)).scalar()
            if found is None:
                return None
            pending = conn.execute(select(func.count()).select_from(deliveries).where(
                deliveries.c.connector_id == found, deliveries.c.status == "pending")).scalar()
            conn.execute(delete(deliveries).where(deliveries.c.connector_id == found))
            conn.execute(delete(lms_users).where(lms_users.c.connector_id == found))
            conn.execute(delete(connectors).where(connectors.c.id == found))
        return pending


def _row(row) -> ConnectorRow:
    return ConnectorRow(row.id, row.tenant, row.tenant_id, row.name, row.kind, row.url,
                        row.token_env, row.token_encrypted, orjson.loads(row.options),
                        row.created)

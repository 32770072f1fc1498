"""Credentials of content sources: created by the CLI, checked on every xAPI request."""

import secrets
import time

from sqlalchemy import Engine, insert, select, update
from werkzeug.security import generate_password_hash

from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.tables import credentials, tenants
from lrs_bridge.xapi.scopes import Credential, check_scopes


class CredentialError(ValueError):
    """A credentials command that cannot be carried out (duplicate name, unknown name...)."""


class CredentialStore:
    """Creates, lists, revokes and looks up credentials."""

    def __init__(self, engine: Engine, hash_method: str = "scrypt"):
        self.engine = engine
        self.hash_method = hash_method

    def add(self, name: str, scopes: list[str], *, key: str | None = None,
            secret: str | None = None, tenant: str = "default",
            trust_skill_tags: bool = False) -> tuple[str, str]:
        """Create a credential and return (key, secret); only the secret's hash is kept."""
        check_scopes(scopes)
        key = key or secrets.token_urlsafe(18)
        secret = secret or secrets.token_urlsafe(30)
        if len(secret) < 12:
            raise CredentialError("the secret must be at least 12 characters long")
        with write_transaction(self.engine) as conn:
            tenant_id = ensure_tenant(conn, tenant)
            clash = conn.execute(
                select(credentials.c.name).where(
                    (credentials.c.name == name) | (credentials.c.key == key))
            ).first()
            if clash:
                raise CredentialError(f"a credential named {name!r} or with that key exists")
            conn.execute(insert(credentials).values(
                name=name, key=key, secret_hash=generate_password_hash(secret, self.hash_method),
                scopes=" ".join(scopes), tenant_id=tenant_id, created=_now_ms(),
                trust_skill_tags=trust_skill_tags,
            ))
        return key, secret

    def list(self) -> list[dict]:
        """Every credential, revoked ones included, without secrets."""
        query = (
            select(credentials.c.name, credentials.c.key, credentials.c.scopes,
                   credentials.c.created, credentials.c.revoked, credentials.c.trust_skill_tags,
                   tenants.c.name.label("tenant"))
            .join(tenants, tenants.c.id == credentials.c.tenant_id)
            .order_by(credentials.c.name)
        )
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def revoke(self, name: str) -> None:
        """Revoke the credential named `name`; it stops working at once."""
        with write_transaction(self.engine) as conn:
            done = conn.execute(
                update(credentials)
                .where(credentials.c.name == name, credentials.c.revoked.is_(None))
                .values(revoked=_now_ms())
            )
            if done.rowcount != 1:
                raise CredentialError(f"no active credential named {name!r}")

    def set_skill_tag_trust(self, name: str, trusted: bool) -> None:
        """Trust (or stop trusting) the skill levels credential `name`'s statements claim."""
        with write_transaction(self.engine) as conn:
            done = conn.execute(update(credentials).where(credentials.c.name == name)
                                .values(trust_skill_tags=trusted))
            if done.rowcount != 1:
                raise CredentialError(f"no credential named {name!r}")

    def find(self, key: str) -> tuple[Credential, str] | None:
        """The active credential with this key and its secret hash, or None."""
        query = select(credentials).where(
            credentials.c.key == key, credentials.c.revoked.is_(None))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        credential = Credential(id=row.id, name=row.name, key=row.key,
                                scopes=frozenset(row.scopes.split()), tenant_id=row.tenant_id)
        return credential, row.secret_hash

    def skill_tag_trust(self, tenant_id: int, key: str) -> tuple[str, bool] | None:
        """(name, trusts skill tags) of the tenant's credential with this key, revoked or not."""
        # A revoked credential's statements stay stored and count; so do its tags.
        query = select(credentials.c.name, credentials.c.trust_skill_tags).where(
            credentials.c.key == key, credentials.c.tenant_id == tenant_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else (row.name, bool(row.trust_skill_tags))


def find_tenant(engine: Engine, name: str) -> int | None:
    """The id of the tenant called `name`, or None."""
    with engine.connect() as conn:
        return conn.execute(select(tenants.c.id).where(tenants.c.name == name)).scalar()


def ensure_tenant(conn, name: str) -> int:
    """The id of the tenant called `name`, created in this transaction if it is new."""
    found = conn.execute(select(tenants.c.id).where(tenants.c.name == name)).scalar()
    if found is None:
        found = conn.execute(insert(tenants).values(name=name)).inserted_primary_key[0]
    return found


def _now_ms() -> int:
    return int(time.time() * 1000)

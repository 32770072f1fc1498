"""The people who sign in to the dashboard: added, listed and removed by the CLI, looked up at
sign-in. Apart from the xAPI credentials, which can never sign in to the dashboard."""

import time
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, insert, select, update
from werkzeug.security import generate_password_hash

from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.tables import dashboard_users, tenants

# admin and ld (L&D) see every learner of their tenant; a manager sees their team: the
# learners whose roster manager_email is the manager's e-mail address.
ROLES = ("admin", "ld", "manager")
MIN_PASSWORD = 10

_U = dashboard_users.c


class UserError(ValueError):
    """A users command that cannot be carried out (a duplicate, an unknown e-mail address...)."""


@dataclass(frozen=True)
class DashboardUser:
    """A dashboard user as the dashboard needs them (the hash only to check a password)."""

    id: int
    tenant_id: int
    tenant: str
    email: str
    name: str
    role: str
    password_hash: str = field(repr=False)
    created: int = 0  # ms


def normal_email(email: str) -> str:
    """The e-mail address as stored: trimmed, in lower case; UserError when it is not one."""
    address = email.strip().lower()
    local, _, domain = address.partition("@")
    if not local or not domain or not address.isprintable() or " " in address \
            or len(address) > 254:
        raise UserError(f"{email!r} is not an e-mail address")
    return address


class DashboardUserStore:
    """Creates, lists, removes and finds dashboard users."""

    def __init__(self, engine: Engine, hash_method: str = "scrypt"):
        self.engine = engine
        self.hash_method = hash_method

    def add(self, email: str, role: str, password: str, *, tenant: str = "default",
            name: str = "") -> DashboardUser:
        """Create a user of an existing tenant; only the password's hash is kept."""
        email = normal_email(email)
        _check_role(role)
        _check_password(password)
        now = _now_ms()
        with write_transaction(self.engine) as conn:
            tenant_id = conn.execute(select(tenants.c.id).where(tenants.c.name == tenant)).scalar()
            if tenant_id is None:
                known = ", ".join(conn.execute(select(tenants.c.name).order_by(tenants.c.name))
                                  .scalars())
                raise UserError(f"--tenant: no tenant {tenant!r} (there are: {known})")
            if conn.execute(select(_U.id).where(_U.email == email)).first():
                raise UserError(f"a dashboard user {email} exists")
            conn.execute(insert(dashboard_users).values(
                tenant_id=tenant_id, email=email, name=name.strip(), role=role,
                password_hash=self._hash(password), created=now, password_changed=now))
        return self.find(email)

    def list(self) -> list[DashboardUser]:
        """Every user, by tenant and e-mail address."""
        with self.engine.connect() as conn:
            return [_user(row) for row in conn.execute(_query().order_by(tenants.c.name,
                                                                         _U.email))]

    def remove(self, email: str) -> None:
        """Remove a user; their sessions end at their next request."""
        with write_transaction(self.engine) as conn:
            done = conn.execute(delete(dashboard_users).where(_U.email == normal_email(email)))
            if done.rowcount != 1:
                raise UserError(f"no dashboard user {email.strip()}")

    def set_password(self, email: str, password: str) -> None:
        """Give a user a new password; the sessions signed in with the old one end."""
        _check_password(password)
        with write_transaction(self.engine) as conn:
            done = conn.execute(update(dashboard_users).where(_U.email == normal_email(email))
                                .values(password_hash=self._hash(password),
                                        password_changed=_now_ms()))
            if done.rowcount != 1:
                raise UserError(f"no dashboard user {email.strip()}")

    def find(self, email: str) -> DashboardUser | None:
        """The user with this e-mail address (any case), or None."""
        try:
            address = normal_email(email)
        except UserError:
            return None
        return self._one(_U.email == address)

    def get(self, user_id: int) -> DashboardUser | None:
        """The user with this id, or None."""
        return self._one(_U.id == user_id)

    def _one(self, condition) -> DashboardUser | None:
        with self.engine.connect() as conn:
            row = conn.execute(_query().where(condition)).first()
        return None if row is None else _user(row)

    def _hash(self, password: str) -> str:
        return generate_password_hash(password, self.hash_method)


def _query():
    return select(dashboard_users, tenants.c.name.label("tenant")).join(
        tenants, tenants.c.id == _U.tenant_id)


def _user(row) -> DashboardUser:
    return DashboardUser(row.id, row.tenant_id, row.tenant, row.email, row.name, row.role,
                         row.password_hash, row.created)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"--role: {role!r} is not a role (one of: {', '.join(ROLES)})")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters long")


def _now_ms() -> int:
    return int(time.time() * 1000)

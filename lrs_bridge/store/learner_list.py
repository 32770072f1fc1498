"""Finding learners of a tenant for people: by e-mail, team, manager, role or status, a page
at a time in id order, and one learner by id."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Select, and_, exists, func, select

from lrs_bridge.journey.learners import Learner
from lrs_bridge.store.learners import load_learners, owners
from lrs_bridge.store.tables import learner_roles, learners
from lrs_bridge.xapi.agents import email_keys

_L = learners.c


@dataclass(frozen=True)
class LearnerFilter:
    """What the learners listed must have; None matches anything."""

    email: str | None = None  # any of their e-mail identifiers, in any case
    team: str | None = None
    manager: str | None = None  # the manager's e-mail address, in any case
    role: str | None = None  # the role they hold on the day of the listing
    status: str | None = None
    id: int | None = None


def learner_ids_by_email(conn: Connection, tenant_id: int, email: str) -> list[int]:
    """The learners with e-mail address `email` as an mbox or mbox_sha1sum identifier."""
    return sorted(set(owners(conn, tenant_id, list(email_keys(email))).values()))


def manager_is(manager: str):
    """The learner's roster manager is `manager` (any case): a lookup of the tenant's index
    of managers when the query also names the tenant."""
    return func.lower(_L.manager_email) == manager.strip().lower()


def team_of(tenant_id: int, manager: str) -> Select:
    """The ids of `manager`'s learners, as a subquery: rows of other tables narrowed to a
    team through it are found from the team's few learners, not by a pass over every row."""
    return select(_L.id).where(_L.tenant_id == tenant_id, manager_is(manager))


def learner_ids(conn: Connection, tenant_id: int, where: LearnerFilter, day: date, *,
                after: int | None = None, limit: int = 100) -> list[int]:
    """The ids of the first `limit` learners past id `after` that `where` matches."""
    query = matching(conn, tenant_id, where, day).order_by(_L.id).limit(limit)
    if after is not None:
        query = query.where(_L.id > after)
    return list(conn.execute(query).scalars())


def matching(conn: Connection, tenant_id: int, where: LearnerFilter, day: date) -> Select:
    """A query of the ids of the tenant's learners that `where` matches on `day`."""
    query = select(_L.id).where(_L.tenant_id == tenant_id)
    if where.id is not None:
        query = query.where(_L.id == where.id)
    if where.email is not None:
        query = query.where(_L.id.in_(learner_ids_by_email(conn, tenant_id, where.email)))
    if where.team is not None:
        query = query.where(_L.team == where.team)
    if where.manager is not None:
        query = query.where(manager_is(where.manager))
    if where.status is not None:
        query = query.where(_L.status == where.status)
    if where.role is not None:
        query = query.where(_holds(where.role, day))
    return query


def learner_of_tenant(conn: Connection, tenant_id: int, learner_id: int) -> Learner | None:
    """The learner with this id if tenant `tenant_id` has it, else None."""
    found = conn.execute(select(_L.id).where(_L.tenant_id == tenant_id,
                                             _L.id == learner_id)).scalar()
    return None if found is None else load_learners(conn, {found})[found]


def _holds(role: str, day: date):
    """The learner's spell in force on `day` (the latest begun by then) is of `role`."""
    spell, later = learner_roles.alias("spell"), learner_roles.alias("later")
    return exists().where(
        spell.c.learner_id == _L.id, spell.c.role == role, spell.c.since <= day,
        ~exists().where(and_(later.c.learner_id == spell.c.learner_id,
                             later.c.since > spell.c.since, later.c.since <= day)))

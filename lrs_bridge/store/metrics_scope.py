"""Which learners a journey metric counts: a tenant's learners narrowed by team, manager and
role (the role of their latest spell: the one the roster gives them), as a subquery of ids."""

from sqlalchemy import Select, and_, case, exists, func, select

from lrs_bridge.journey.metrics.period import Filters
from lrs_bridge.store.learner_list import manager_is
from lrs_bridge.store.tables import learner_roles, learners

_L = learners.c


def scope(tenant_id: int, filters: Filters, *, role: bool = True) -> Select | None:
    """The ids of the learners the filters leave (without `role`: by team and manager only);
    None when nothing narrows them, so that a query needs no subquery."""
    if filters.team is None and filters.manager is None and (filters.role is None or not role):
        return None
    query = select(_L.id).where(_L.tenant_id == tenant_id)
    if filters.team is not None:
        query = query.where(_L.team == filters.team)
    if filters.manager is not None:
        query = query.where(manager_is(filters.manager))
    if filters.role is not None and role:
        query = query.where(_L.id.in_(latest_role_is(filters.role)))
    return query


def latest_role_is(role: str) -> Select:
    """The ids of the learners whose latest spell is of `role`."""
    spell, later = learner_roles.alias("spell"), learner_roles.alias("later")
    # NOT EXISTS rather than since = MAX(since): PostgreSQL makes it one anti-join
    return select(spell.c.learner_id).where(spell.c.role == role, ~exists().where(
        later.c.learner_id == spell.c.learner_id, later.c.since > spell.c.since))


def narrowed(query: Select, column, found: Select | None) -> Select:
    """`query` keeping the rows whose `column` is a learner of `found` (None: all)."""
    return query if found is None else query.where(column.in_(found))


def count_if(condition):
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def both(*conditions):
    """The conjunction of `conditions`."""
    return and_(*conditions)

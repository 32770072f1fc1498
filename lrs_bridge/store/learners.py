"""The learner directory: roster imports (all or nothing) and look-ups by identifier."""

import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, insert, select, update

from lrs_bridge.journey.checks import Problem
from lrs_bridge.journey.learners import Learner, RoleSpell
from lrs_bridge.journey.roster import Roster, RosterRow, updated
from lrs_bridge.store.credentials import ensure_tenant
from lrs_bridge.store.engine import read_transaction, write_transaction
from lrs_bridge.store.progress_queue import mark_learners
from lrs_bridge.store.tables import learner_identifiers, learner_roles, learners, tenants

_CHUNK = 500  # keys per IN (...) list: well below SQLite's and PostgreSQL's parameter limits


@dataclass
class ImportResult:
    """What an import did, or would do (dry run), and the rows it refused."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Change:
    before: Learner | None
    after: Learner


class LearnerStore:
    """Imports rosters into the directory and finds learners by identifier."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def import_roster(self, tenant: str, roster: Roster, file: str, *, dry_run: bool = False,
                      skip_invalid: bool = False) -> ImportResult:
        """Apply the roster's rows in one transaction; with problems nothing is written unless
        `skip_invalid`, with `dry_run` never."""
        with (read_transaction if dry_run else write_transaction)(self.engine) as conn:
            tenant_id = _existing_tenant(conn, tenant)
            changes, problems = _plan(conn, tenant_id, roster, file)
            result = ImportResult(problems=problems)
            for change in changes:
                if change.before is None:
                    result.added += 1
                elif change.before == change.after:
                    result.unchanged += 1
                else:
                    result.changed += 1
            if dry_run or (problems and not skip_invalid):
                return result
            tenant_id = ensure_tenant(conn, tenant)
            touched = [_write(conn, tenant_id, change) for change in changes
                       if change.before != change.after]
            # A new identifier adopts the statements that arrived before it; a new role or
            # date moves paths and due dates: the progress worker rebuilds these learners.
            mark_learners(conn, tenant_id, touched)
        return result

    def find(self, tenant: str, key: str) -> Learner | None:
        """The learner of `tenant` with directory key `key`, or None."""
        with read_transaction(self.engine) as conn:
            tenant_id = _existing_tenant(conn, tenant)
            found = owners(conn, tenant_id, [key])
            if key not in found:
                return None
            return load_learners(conn, {found[key]})[found[key]]


def _existing_tenant(conn: Connection, name: str) -> int | None:
    return conn.execute(select(tenants.c.id).where(tenants.c.name == name)).scalar()


def _plan(conn: Connection, tenant_id: int | None, roster: Roster,
          file: str) -> tuple[list[_Change], list[Problem]]:
    """What each row changes, and the rows whose identifiers clash with the directory."""
    known = owners(conn, tenant_id, [k for row in roster.rows for k in row.keys()])
    existing = load_learners(conn, set(known.values()))
    changes, problems, claimed = [], [], {}
    for row in roster.rows:
        ids = list(dict.fromkeys(known[k] for k in row.keys() if k in known))
        clash = _clash(row, ids, existing, claimed, file)
        if clash is not None:
            problems.append(clash)
            continue
        before = existing[ids[0]] if ids else None
        if ids:
            claimed[ids[0]] = row.line
        changes.append(_Change(before, updated(before, row, roster.columns)))
    return changes, problems


def _clash(row: RosterRow, ids: list[int], existing: dict[int, Learner],
           claimed: dict[int, int], file: str) -> Problem | None:
    column = next(iter(row.keys().values()))
    if len(ids) > 1:
        names = " and ".join(_known_as(existing[i]) for i in ids)
        return Problem(file, row.line, column, f"its identifiers belong to two learners: "
                                               f"{names}")
    if ids and ids[0] in claimed:
        return Problem(file, row.line, column, f"the same learner as line {claimed[ids[0]]} "
                                               f"({_known_as(existing[ids[0]])})")
    return None


def _known_as(learner: Learner) -> str:
    return learner.email or min(learner.keys)


def owners(conn: Connection, tenant_id: int | None, keys: list[str]) -> dict[str, int]:
    """The learner id of each key the directory knows."""
    found: dict[str, int] = {}
    if tenant_id is None:
        return found
    for start in range(0, len(keys), _CHUNK):
        query = select(learner_identifiers.c.key, learner_identifiers.c.learner_id).where(
            learner_identifiers.c.tenant_id == tenant_id,
            learner_identifiers.c.key.in_(keys[start:start + _CHUNK]))
        found.update((row.key, row.learner_id) for row in conn.execute(query))
    return found


def load_learners(conn: Connection, ids: set[int]) -> dict[int, Learner]:
    """The learners with these ids, with their keys and role history."""
    keys, roles, found = defaultdict(set), defaultdict(list), {}
    chunks = [sorted(ids)[start:start + _CHUNK] for start in range(0, len(ids), _CHUNK)]
    for chunk in chunks:
        for row in conn.execute(select(learner_identifiers).where(
                learner_identifiers.c.learner_id.in_(chunk))):
            keys[row.learner_id].add(row.key)
        for row in conn.execute(select(learner_roles).where(
                learner_roles.c.learner_id.in_(chunk)).order_by(learner_roles.c.since)):
            roles[row.learner_id].append(RoleSpell(row.role, row.since))
        for row in conn.execute(select(learners).where(learners.c.id.in_(chunk))):
            found[row.id] = Learner(
                id=row.id, keys=frozenset(keys[row.id]), roles=tuple(roles[row.id]),
                start_date=row.start_date, name=row.name, email=row.email,
                manager_email=row.manager_email, team=row.team, leave_date=row.leave_date,
                status=row.status, paths=tuple(p for p in row.paths.split(";") if p))
    return found


def _write(conn: Connection, tenant_id: int, change: _Change) -> int:
    after = change.after
    values = {"name": after.name, "email": after.email, "manager_email": after.manager_email,
              "team": after.team, "start_date": after.start_date,
              "leave_date": after.leave_date, "status": after.status,
              "paths": ";".join(after.paths), "updated": int(time.time() * 1000)}
    if change.before is None:
        learner_id = conn.execute(insert(learners).values(
            tenant_id=tenant_id, **values)).inserted_primary_key[0]
        known = frozenset()
    else:
        learner_id, known = change.before.id, change.before.keys
        conn.execute(update(learners).where(learners.c.id == learner_id).values(**values))
        conn.execute(delete(learner_roles).where(learner_roles.c.learner_id == learner_id))
    new_keys = sorted(after.keys - known)
    if new_keys:
        conn.execute(insert(learner_identifiers), [
            {"tenant_id": tenant_id, "key": key, "learner_id": learner_id} for key in new_keys])
    conn.execute(insert(learner_roles), [
        {"learner_id": learner_id, "since": spell.since, "role": spell.role}
        for spell in after.roles])
    return learner_id

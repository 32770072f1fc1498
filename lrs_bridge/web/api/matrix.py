"""GET /api/v1/matrix/paths.csv and /api/v1/matrix/skills.csv: one row per learner, and per
path their status and progress, or per skill their level against the role's target and the
gap, read from the progress state (never from statements) at the server's time or at `at`."""

from collections.abc import Callable, Iterator
from datetime import datetime

from flask import current_app, g

from lrs_bridge.journey.learner_context import learner_context
from lrs_bridge.journey.learners import Learner, role_on
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.phases import phase_members
from lrs_bridge.journey.progress_views import LearnerView, learner_view
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.learner_list import LearnerFilter, matching
from lrs_bridge.store.learners import load_learners
from lrs_bridge.store.progress import view_states
from lrs_bridge.store.tables import learners
from lrs_bridge.web.api.csv_export import csv_chunks, csv_response
from lrs_bridge.web.api.params import Params
from lrs_bridge.web.api.progress_request import learner_filter
from lrs_bridge.web.api.schemas.queries import PathMatrixQuery, SkillMatrixQuery
from lrs_bridge.web.api.working_mapping import working
from lrs_bridge.web.auth import require

LEARNER_COLUMNS = ("learner_id", "email", "name", "role", "team", "manager_email", "status",
                   "phase")
BATCH = 500


def get_path_matrix():
    """Learner × path: each path's status and share of required steps met."""
    params, mapping, now = _read(PathMatrixQuery)
    paths = _chosen(params, "path", [p.id for p in mapping.paths], mapping,
                    lambda phase: phase_members(mapping, phase).paths)
    header = [f"{path} {what}" for path in paths for what in ("status", "progress")]

    def cells(view: LearnerView) -> list:
        found = {p.path: p for p in view.paths}
        return [cell for path in paths for cell in (
            (found[path].status, round(found[path].progress, 4)) if path in found
            else (None, None))]

    return _matrix("paths.csv", params, mapping, now, header, cells)


def get_skill_matrix():
    """Learner × skill: each skill's level, the role's target and the gap."""
    params, mapping, now = _read(SkillMatrixQuery)
    skills = _chosen(params, "skill", [s.id for s in mapping.skills], mapping,
                     lambda phase: phase_members(mapping, phase).skills)
    header = [f"{skill} {what}" for skill in skills for what in ("level", "target", "gap")]

    def cells(view: LearnerView) -> list:
        found = {s.skill: s for s in view.skills}
        return [cell for skill in skills for cell in (
            (found[skill].level, found[skill].target,
             found[skill].gap if found[skill].target is not None else None)
            if skill in found else (None, None, None))]

    return _matrix("skills.csv", params, mapping, now, header, cells)


def _read(query) -> tuple[Params, Mapping, datetime]:
    require(g.credential, "progress/read")
    params = Params(query)
    services = current_app.extensions["lrs_bridge"]
    mapping = working(services).mapping
    return params, mapping, params.moment("at") or services.clock.now()


def _chosen(params: Params, name: str, ids: list[str], mapping: Mapping,
            of_phase: Callable[[str], frozenset[str]]) -> list[str]:
    """The columns: one path or skill (`name`), or those of a `phase`, or all, in the
    mapping's order."""
    one = params.choice(name, tuple(ids))
    phase = params.choice("phase", tuple(p.id for p in mapping.phases))
    members = of_phase(phase) if phase is not None else None
    return [i for i in ids if (one is None or i == one) and (members is None or i in members)]


def _matrix(filename: str, params: Params, mapping: Mapping, now: datetime, header: list[str],
            cells: Callable[[LearnerView], list]):
    where = learner_filter(params, with_status=True) or LearnerFilter()
    services = current_app.extensions["lrs_bridge"]
    tenant_id = g.credential.tenant_id

    def batches() -> Iterator[list[list]]:
        after = 0
        while True:
            with read_transaction(services.engine) as conn:
                ids = list(conn.execute(matching(conn, tenant_id, where, now.date())
                                        .where(learners.c.id > after)
                                        .order_by(learners.c.id).limit(BATCH)).scalars())
                people = load_learners(conn, set(ids))
                states = view_states(conn, tenant_id, ids)
            rows = []
            for lid in ids:
                person = people[lid]
                view = learner_view(states[lid], mapping,
                                    learner_context(person, mapping, now.date()), now)
                rows.append(_who(person, now) + [view.phase] + cells(view))
            yield rows
            if len(ids) < BATCH:
                return
            after = ids[-1]

    return csv_response(filename, csv_chunks([*LEARNER_COLUMNS, *header], batches()))


def _who(person: Learner, now: datetime) -> list:
    return [person.id, person.email or None, person.name or None,
            role_on(person, now.date()) or person.role, person.team or None,
            person.manager_email or None, person.status]

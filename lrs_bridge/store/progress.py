"""Rows of the progress state: read a learner's state (whole, or the part a fold touches) and
write back what a fold or a rebuild changed. All functions work in the caller's transaction."""

from sqlalchemy import Connection, delete, insert, select, update

from lrs_bridge.journey.progress_state import Evidence, LearnerProgress, summarise
from lrs_bridge.store.progress_codec import (
    dump_evidence,
    dump_skill,
    dump_summary,
    load_evidence,
    load_skill,
    load_summary,
)
from lrs_bridge.store.tables import (
    progress_evidence,
    progress_learners,
    progress_modules,
    progress_skills,
)

_CHUNK = 500
_E, _M, _S = progress_evidence.c, progress_modules.c, progress_skills.c


def view_state(conn: Connection, tenant_id: int, learner_id: int) -> LearnerProgress:
    """What the views need: every module's summary (without its evidence), every skill, and
    the evidence of no module."""
    modules = {row.module: load_summary(row.module, row.summary) for row in conn.execute(
        select(_M.module, _M.summary).where(_M.tenant_id == tenant_id,
                                            _M.learner_id == learner_id))}
    skills = {row.skill: load_skill(row.skill, row.evidence) for row in conn.execute(
        select(_S.skill, _S.evidence).where(_S.tenant_id == tenant_id,
                                            _S.learner_id == learner_id))}
    loose = {row.statement_id: load_evidence(row.statement_id, row.data) for row in conn.execute(
        select(_E.statement_id, _E.data).where(_E.tenant_id == tenant_id,
                                               _E.learner_id == learner_id,
                                               _E.module.is_(None)))}
    return LearnerProgress(loose, modules, skills)


def view_states(conn: Connection, tenant_id: int,
                learner_ids: list[int]) -> dict[int, LearnerProgress]:
    """view_state of many learners, in three queries per chunk (every id gets a state)."""
    found = {learner_id: LearnerProgress() for learner_id in learner_ids}
    for start in range(0, len(learner_ids), _CHUNK):
        chunk = learner_ids[start:start + _CHUNK]
        for row in conn.execute(select(_M.learner_id, _M.module, _M.summary).where(
                _M.tenant_id == tenant_id, _M.learner_id.in_(chunk))):
            found[row.learner_id].modules[row.module] = load_summary(row.module, row.summary)
        for row in conn.execute(select(_S.learner_id, _S.skill, _S.evidence).where(
                _S.tenant_id == tenant_id, _S.learner_id.in_(chunk))):
            found[row.learner_id].skills[row.skill] = load_skill(row.skill, row.evidence)
        for row in conn.execute(select(_E.learner_id, _E.statement_id, _E.data).where(
                _E.tenant_id == tenant_id, _E.learner_id.in_(chunk), _E.module.is_(None))):
            found[row.learner_id].evidence[row.statement_id] = load_evidence(row.statement_id,
                                                                             row.data)
    return found


def fold_state(conn: Connection, tenant_id: int, learner_id: int, adding: list[Evidence],
               retracting: list[str]) -> LearnerProgress:
    """The part of a learner's state that folding `adding` and retracting `retracting`
    touches: their modules with all their evidence, their skills, and the evidence already
    held of these statements (so that a repeat is recognised)."""
    known = _evidence_where(conn, tenant_id, learner_id, _E.statement_id,
                            [e.statement_id for e in adding] + list(retracting))
    touched = [e for e in adding] + [known[sid] for sid in retracting if sid in known]
    modules = sorted({e.module for e in touched if e.module})
    evidence = {**known, **_evidence_where(conn, tenant_id, learner_id, _E.module, modules)}
    by_module: dict[str, dict[str, Evidence]] = {m: {} for m in modules}
    for e in evidence.values():
        if e.module in by_module:
            by_module[e.module][e.statement_id] = e
    skills = sorted({skill for e in touched for skill, _ in e.skills})
    return LearnerProgress(
        evidence,
        {m: summarise(m, items) for m, items in by_module.items() if items},
        _skills_where(conn, tenant_id, learner_id, skills))


def write_fold(conn: Connection, tenant_id: int, learner_id: int, held: set[str],
               after: LearnerProgress, modules: set[str], skills: set[str]) -> None:
    """Write what a fold changed: evidence added and taken back, and the rows of the
    `modules` and `skills` it touched (`held`: the evidence ids fold_state gave)."""
    added = [e for sid, e in after.evidence.items() if sid not in held]
    removed = sorted(sid for sid in held if sid not in after.evidence)
    _delete_in(conn, progress_evidence, tenant_id, learner_id, _E.statement_id, removed)
    _insert_evidence(conn, tenant_id, learner_id, added)
    _delete_in(conn, progress_modules, tenant_id, learner_id, _M.module, sorted(modules))
    _insert_modules(conn, tenant_id, learner_id, [after.modules[m] for m in sorted(modules)
                                                  if m in after.modules])
    _delete_in(conn, progress_skills, tenant_id, learner_id, _S.skill, sorted(skills))
    _insert_skills(conn, tenant_id, learner_id, [after.skills[s] for s in sorted(skills)
                                                 if s in after.skills])


def replace_state(conn: Connection, tenant_id: int, learner_id: int,
                  state: LearnerProgress) -> None:
    """Write a rebuilt state in place of whatever the learner had."""
    for table in (progress_evidence, progress_modules, progress_skills):
        conn.execute(delete(table).where(table.c.tenant_id == tenant_id,
                                         table.c.learner_id == learner_id))
    _insert_evidence(conn, tenant_id, learner_id, list(state.evidence.values()))
    _insert_modules(conn, tenant_id, learner_id, list(state.modules.values()))
    _insert_skills(conn, tenant_id, learner_id, list(state.skills.values()))


def stamps(conn: Connection, tenant_id: int, learner_ids: list[int]) -> dict[int, str]:
    """The mapping version each learner's state was folded with (absent: never folded)."""
    found = {}
    for start in range(0, len(learner_ids), _CHUNK):
        chunk = learner_ids[start:start + _CHUNK]
        found.update((row.learner_id, row.mapping_version) for row in conn.execute(
            select(progress_learners.c.learner_id, progress_learners.c.mapping_version).where(
                progress_learners.c.tenant_id == tenant_id,
                progress_learners.c.learner_id.in_(chunk))))
    return found


def stamp(conn: Connection, tenant_id: int, learner_id: int, version: str, had: bool,
          now_ms: int) -> None:
    """Record the mapping version the learner's state now follows."""
    values = {"mapping_version": version, "updated": now_ms}
    if had:
        conn.execute(update(progress_learners).where(
            progress_learners.c.tenant_id == tenant_id,
            progress_learners.c.learner_id == learner_id).values(**values))
    else:
        conn.execute(insert(progress_learners).values(tenant_id=tenant_id,
                                                      learner_id=learner_id, **values))


def _evidence_where(conn, tenant_id, learner_id, column, values) -> dict[str, Evidence]:
    found = {}
    for start in range(0, len(values), _CHUNK):
        query = select(_E.statement_id, _E.data).where(
            _E.tenant_id == tenant_id, _E.learner_id == learner_id,
            column.in_(values[start:start + _CHUNK]))
        found.update((row.statement_id, load_evidence(row.statement_id, row.data))
                     for row in conn.execute(query))
    return found


def _skills_where(conn, tenant_id, learner_id, skills) -> dict:
    if not skills:
        return {}
    query = select(_S.skill, _S.evidence).where(_S.tenant_id == tenant_id,
                                                _S.learner_id == learner_id,
                                                _S.skill.in_(skills))
    return {row.skill: load_skill(row.skill, row.evidence) for row in conn.execute(query)}


def _delete_in(conn, table, tenant_id, learner_id, column, values) -> None:
    for start in range(0, len(values), _CHUNK):
        conn.execute(delete(table).where(table.c.tenant_id == tenant_id,
                                         table.c.learner_id == learner_id,
                                         column.in_(values[start:start + _CHUNK])))


def _insert_evidence(conn, tenant_id, learner_id, items: list[Evidence]) -> None:
    if items:
        conn.execute(insert(progress_evidence), [
            {"tenant_id": tenant_id, "learner_id": learner_id, "statement_id": e.statement_id,
             "module": e.module, "data": dump_evidence(e)} for e in items])


def _insert_modules(conn, tenant_id, learner_id, items) -> None:
    if items:
        conn.execute(insert(progress_modules), [
            {"tenant_id": tenant_id, "learner_id": learner_id, "module": m.module,
             "summary": dump_summary(m)} for m in items])


def _insert_skills(conn, tenant_id, learner_id, items) -> None:
    if items:
        conn.execute(insert(progress_skills), [
            {"tenant_id": tenant_id, "learner_id": learner_id, "skill": s.skill,
             "evidence": dump_skill(s)} for s in items])

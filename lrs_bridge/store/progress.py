"""Rows of the progress state: read the state of a batch's learners (whole, or the part a fold
touches) in a few queries, and write back what folds and rebuilds changed in a few more. All
functions work in the caller's transaction."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, insert, select, tuple_

from lrs_bridge.journey.progress_state import (
    Evidence,
    LearnerProgress,
    ModuleProgress,
    SkillProgress,
    summarise,
)
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

_CHUNK = 400
_E, _M, _S, _L = progress_evidence.c, progress_modules.c, progress_skills.c, progress_learners.c


def view_states(conn: Connection, tenant_id: int,
                learner_ids: list[int]) -> dict[int, LearnerProgress]:
    """What the views need of each learner: every module's summary (without its evidence),
    every skill, and the evidence of no module."""
    states = {lid: LearnerProgress() for lid in learner_ids}
    for chunk in _chunks(sorted(learner_ids)):
        for row in conn.execute(select(_M.learner_id, _M.module, _M.summary).where(
                _M.tenant_id == tenant_id, _M.learner_id.in_(chunk))):
            states[row.learner_id].modules[row.module] = load_summary(row.module, row.summary)
        for row in conn.execute(select(_S.learner_id, _S.skill, _S.evidence).where(
                _S.tenant_id == tenant_id, _S.learner_id.in_(chunk))):
            states[row.learner_id].skills[row.skill] = load_skill(row.skill, row.evidence)
        for row in conn.execute(select(_E.learner_id, _E.statement_id, _E.data).where(
                _E.tenant_id == tenant_id, _E.learner_id.in_(chunk), _E.module.is_(None))):
            states[row.learner_id].evidence[row.statement_id] = load_evidence(
                row.statement_id, row.data)
    return states


def view_state(conn: Connection, tenant_id: int, learner_id: int) -> LearnerProgress:
    """view_states of one learner."""
    return view_states(conn, tenant_id, [learner_id])[learner_id]


def fold_states(conn: Connection, tenant_id: int,
                work: dict[int, tuple[list[Evidence], list[str]]]) -> dict[int, LearnerProgress]:
    """For each learner, the part of their state that folding in the evidence and retracting
    the statements of `work[learner]` = (adding, retracting) touches: their modules with all
    their evidence, their skills, and the evidence already held of these statements (so that a
    repeat is recognised)."""
    pairs = [(lid, sid) for lid, (adding, retracting) in work.items()
             for sid in [e.statement_id for e in adding] + list(retracting)]
    known = _evidence_in(conn, tenant_id, _E.statement_id, pairs)
    touched: dict[int, list[Evidence]] = {
        lid: adding + [known[lid][sid] for sid in retracting if sid in known[lid]]
        for lid, (adding, retracting) in work.items()}
    module_pairs = sorted({(lid, e.module) for lid, items in touched.items() for e in items
                           if e.module})
    by_module = _evidence_in(conn, tenant_id, _E.module, module_pairs)
    skill_pairs = sorted({(lid, skill) for lid, items in touched.items() for e in items
                          for skill, _ in e.skills})
    skills = _skills_in(conn, tenant_id, skill_pairs)
    states = {}
    for lid in work:
        evidence = {**known[lid], **by_module[lid]}
        modules: dict[str, dict[str, Evidence]] = defaultdict(dict)
        for item in by_module[lid].values():
            modules[item.module][item.statement_id] = item
        states[lid] = LearnerProgress(
            evidence, {m: summarise(m, items) for m, items in modules.items()}, skills[lid])
    return states


@dataclass
class StateWrites:
    """What a batch changes in the progress tables, written in one go by `flush`."""

    tenant_id: int
    evidence_gone: list[tuple[int, str]] = field(default_factory=list)
    evidence_new: list[dict] = field(default_factory=list)
    modules_replaced: list[tuple[int, str]] = field(default_factory=list)
    modules_new: list[dict] = field(default_factory=list)
    skills_replaced: list[tuple[int, str]] = field(default_factory=list)
    skills_new: list[dict] = field(default_factory=list)
    learners_rebuilt: list[int] = field(default_factory=list)
    stamps: dict[int, tuple[str, int]] = field(default_factory=dict)

    def fold(self, learner_id: int, held: set[str], after: LearnerProgress, modules: set[str],
             skills: set[str]) -> None:
        """A fold's changes: evidence added and taken back, and the rows of the `modules` and
        `skills` it touched (`held`: the evidence ids the state had before)."""
        self.evidence_gone += [(learner_id, sid) for sid in sorted(held - set(after.evidence))]
        self._evidence(learner_id, [e for sid, e in after.evidence.items() if sid not in held])
        self.modules_replaced += [(learner_id, m) for m in sorted(modules)]
        self._modules(learner_id, [after.modules[m] for m in sorted(modules)
                                   if m in after.modules])
        self.skills_replaced += [(learner_id, s) for s in sorted(skills)]
        self._skills(learner_id, [after.skills[s] for s in sorted(skills) if s in after.skills])

    def rebuild(self, learner_id: int, state: LearnerProgress) -> None:
        """A rebuilt state in place of whatever the learner had."""
        self.learners_rebuilt.append(learner_id)
        self._evidence(learner_id, list(state.evidence.values()))
        self._modules(learner_id, list(state.modules.values()))
        self._skills(learner_id, list(state.skills.values()))

    def stamp(self, learner_id: int, version: str, now_ms: int) -> None:
        """The mapping version the learner's state now follows."""
        self.stamps[learner_id] = (version, now_ms)

    def flush(self, conn: Connection) -> None:
        t = self.tenant_id
        for chunk in _chunks(sorted(self.learners_rebuilt)):
            for table in (progress_evidence, progress_modules, progress_skills):
                conn.execute(delete(table).where(table.c.tenant_id == t,
                                                 table.c.learner_id.in_(chunk)))
        _delete_pairs(conn, progress_evidence, t, _E.statement_id, self.evidence_gone)
        _delete_pairs(conn, progress_modules, t, _M.module, self.modules_replaced)
        _delete_pairs(conn, progress_skills, t, _S.skill, self.skills_replaced)
        for table, rows in ((progress_evidence, self.evidence_new),
                            (progress_modules, self.modules_new),
                            (progress_skills, self.skills_new)):
            if rows:
                conn.execute(insert(table), rows)
        if self.stamps:
            for chunk in _chunks(sorted(self.stamps)):
                conn.execute(delete(progress_learners).where(_L.tenant_id == t,
                                                             _L.learner_id.in_(chunk)))
            conn.execute(insert(progress_learners), [
                {"tenant_id": t, "learner_id": lid, "mapping_version": version, "updated": ms}
                for lid, (version, ms) in sorted(self.stamps.items())])

    def _evidence(self, learner_id: int, items: list[Evidence]) -> None:
        self.evidence_new += [{"tenant_id": self.tenant_id, "learner_id": learner_id,
                               "statement_id": e.statement_id, "module": e.module,
                               "data": dump_evidence(e)} for e in items]

    def _modules(self, learner_id: int, items: list[ModuleProgress]) -> None:
        self.modules_new += [{"tenant_id": self.tenant_id, "learner_id": learner_id,
                              "module": m.module, "summary": dump_summary(m)} for m in items]

    def _skills(self, learner_id: int, items: list[SkillProgress]) -> None:
        self.skills_new += [{"tenant_id": self.tenant_id, "learner_id": learner_id,
                             "skill": s.skill, "evidence": dump_skill(s)} for s in items]


def stamps(conn: Connection, tenant_id: int, learner_ids: list[int]) -> dict[int, str]:
    """The mapping version each learner's state was folded with (absent: never folded)."""
    found = {}
    for chunk in _chunks(sorted(learner_ids)):
        found.update((row.learner_id, row.mapping_version) for row in conn.execute(
            select(_L.learner_id, _L.mapping_version).where(_L.tenant_id == tenant_id,
                                                            _L.learner_id.in_(chunk))))
    return found


def _evidence_in(conn, tenant_id, column, pairs) -> dict[int, dict[str, Evidence]]:
    """Evidence rows whose (learner, `column`) is one of `pairs`, by learner and statement."""
    found: dict[int, dict[str, Evidence]] = defaultdict(dict)
    for chunk in _chunks(sorted(set(pairs))):
        query = select(_E.learner_id, _E.statement_id, _E.data).where(
            _E.tenant_id == tenant_id, tuple_(_E.learner_id, column).in_(chunk))
        for row in conn.execute(query):
            found[row.learner_id][row.statement_id] = load_evidence(row.statement_id, row.data)
    return found


def _skills_in(conn, tenant_id, pairs) -> dict[int, dict[str, SkillProgress]]:
    found: dict[int, dict[str, SkillProgress]] = defaultdict(dict)
    for chunk in _chunks(pairs):
        query = select(_S.learner_id, _S.skill, _S.evidence).where(
            _S.tenant_id == tenant_id, tuple_(_S.learner_id, _S.skill).in_(chunk))
        for row in conn.execute(query):
            found[row.learner_id][row.skill] = load_skill(row.skill, row.evidence)
    return found


def _delete_pairs(conn, table, tenant_id, column, pairs) -> None:
    for chunk in _chunks(sorted(set(pairs))):
        conn.execute(delete(table).where(table.c.tenant_id == tenant_id,
                                         tuple_(table.c.learner_id, column).in_(chunk)))


def _chunks(items: list) -> list[list]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]

"""Rows of what the worker keeps for the journey metrics (journey.learner_facts): the rows a
batch's folds touch, read in a few queries, and the changes of folds and rebuilds, written
in a few more. All functions work in the caller's transaction."""

from dataclasses import dataclass, field

import orjson
from sqlalchemy import Connection, delete, insert, select, tuple_

from lrs_bridge.journey.dates import to_ms
from lrs_bridge.journey.learner_facts import JourneyRow, PathRow, PhaseRow, Response, SkillRow
from lrs_bridge.store.tables import (
    progress_journeys,
    progress_paths,
    progress_phase_months,
    progress_responses,
    progress_short_days,
    progress_skill_levels,
)

_CHUNK = 300
_TABLES = (progress_journeys, progress_phase_months, progress_paths, progress_skill_levels,
           progress_short_days, progress_responses)
_P, _D = progress_phase_months.c, progress_short_days.c


def phase_rows_in(conn: Connection, tenant_id: int,
                  keys: set[tuple[int, str, int]]) -> dict[tuple[int, str, int], PhaseRow]:
    """The phase rows of these (learner, phase, block) keys that exist."""
    found = {}
    for chunk in _chunks(sorted(keys)):
        query = select(_P.learner_id, _P.phase, _P.block, _P.audience, _P.active,
                       _P.counts).where(_P.tenant_id == tenant_id,
                                        tuple_(_P.learner_id, _P.phase, _P.block).in_(chunk))
        for row in conn.execute(query):
            counts = {int(month): n for month, n in orjson.loads(row.counts).items()}
            found[(row.learner_id, row.phase, row.block)] = PhaseRow(row.audience, row.active,
                                                                     counts)
    return found


def short_days_in(conn: Connection, tenant_id: int,
                  keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], int]:
    """The completions of these (learner, day, module) keys that have any."""
    found = {}
    for chunk in _chunks(sorted(keys)):
        query = select(_D.learner_id, _D.day, _D.module, _D.completions).where(
            _D.tenant_id == tenant_id, tuple_(_D.learner_id, _D.day, _D.module).in_(chunk))
        found.update(((r.learner_id, r.day, r.module), r.completions)
                     for r in conn.execute(query))
    return found


@dataclass
class FactWrites:
    """What a batch changes in the metric tables, written in one go by `flush`. A learner in
    `rebuilt` loses every row first; other keys are replaced one by one (None: deleted)."""

    tenant_id: int
    rebuilt: list[int] = field(default_factory=list)
    phases: dict[tuple[int, str, int], PhaseRow | None] = field(default_factory=dict)
    short: dict[tuple[int, int, str], int] = field(default_factory=dict)
    paths: dict[tuple[int, str], PathRow | None] = field(default_factory=dict)
    skills: dict[tuple[int, str], list[SkillRow]] = field(default_factory=dict)
    responses: dict[tuple[int, str], Response | None] = field(default_factory=dict)
    journeys: dict[tuple[int], JourneyRow] = field(default_factory=dict)

    def flush(self, conn: Connection) -> None:
        t = self.tenant_id
        for chunk in _chunks(sorted(self.rebuilt)):
            for table in _TABLES:
                conn.execute(delete(table).where(table.c.tenant_id == t,
                                                 table.c.learner_id.in_(chunk)))
        keyed = ((progress_phase_months, ("learner_id", "phase", "block"), self.phases,
                  _phase_row),
                 (progress_short_days, ("learner_id", "day", "module"), self.short, _short_row),
                 (progress_paths, ("learner_id", "path"), self.paths, _path_row),
                 (progress_responses, ("learner_id", "statement_id"), self.responses,
                  _response_row),
                 (progress_journeys, ("learner_id",), self.journeys, _journey_row))
        for table, columns, changes, to_row in keyed:
            _replace(conn, t, table, columns, changes, to_row, set(self.rebuilt))
        rebuilt = set(self.rebuilt)
        _delete_keys(conn, t, progress_skill_levels, ("learner_id", "skill"),
                     [key for key in self.skills if key[0] not in rebuilt])
        rows = [_skill_row(key, item) for key, items in sorted(self.skills.items())
                for item in items]
        if rows:
            conn.execute(insert(progress_skill_levels), [{"tenant_id": t, **r} for r in rows])


def _replace(conn, tenant_id, table, columns, changes, to_row, rebuilt) -> None:
    _delete_keys(conn, tenant_id, table, columns, [k for k in changes if k[0] not in rebuilt])
    rows = [to_row(key, value) for key, value in sorted(changes.items(), key=lambda kv: kv[0])
            if value]
    if rows:
        conn.execute(insert(table), [{"tenant_id": tenant_id, **row} for row in rows])


def _delete_keys(conn, tenant_id, table, columns, keys) -> None:
    target = tuple_(*(table.c[name] for name in columns))
    for chunk in _chunks(sorted(set(keys))):
        conn.execute(delete(table).where(table.c.tenant_id == tenant_id, target.in_(chunk)))


def _phase_row(key, row: PhaseRow) -> dict:
    learner_id, phase, block = key
    return {"learner_id": learner_id, "phase": phase, "block": block, "audience": row.audience,
            "active": row.active, "counts": orjson.dumps(
                {str(month): n for month, n in sorted(row.counts.items())}).decode()}


def _short_row(key, completions: int) -> dict:
    learner_id, day, module = key
    return {"learner_id": learner_id, "day": day, "module": module, "completions": completions}


def _path_row(key, row: PathRow) -> dict:
    return {"learner_id": key[0], "path": row.path, "phase": row.phase, "anchor": row.anchor,
            "due": row.due, "completed": row.completed and to_ms(row.completed)}


def _response_row(key, item: Response) -> dict:
    return {"learner_id": key[0], "statement_id": item.statement_id, "module": item.module,
            "at": to_ms(item.at), "score": item.score}


def _journey_row(key, row: JourneyRow) -> dict:
    return {"learner_id": key[0], "started": row.started, "onboarding": row.onboarding,
            "onboarded": row.onboarded and to_ms(row.onboarded),
            "onboarding_days": row.onboarding_days, "retention_day": row.retention_day,
            "retained": row.retained, "retention_onboarded": row.retention_onboarded}


def _skill_row(key, item: SkillRow) -> dict:
    piece = item.piece
    return {"learner_id": key[0], "skill": item.skill, "since": to_ms(piece.since),
            "until": piece.until and to_ms(piece.until), "role": item.role,
            "target": item.target, "level": piece.level, "state": piece.state,
            "drops": piece.drops}


def _chunks(items: list) -> list[list]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]

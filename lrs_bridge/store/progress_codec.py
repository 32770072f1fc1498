"""JSON forms of the progress state's pieces, as the progress tables hold them."""

from datetime import datetime

import orjson

from lrs_bridge.journey.progress_state import Evidence, ModuleProgress, SkillProgress

_MOMENTS = ("first_activity", "last_activity", "completed_at", "passed_at", "last_attempt_at",
            "first_attempt_at")
_PLAIN = ("attempts", "failures", "best_score", "completed_by", "passed_by", "last_attempt",
          "last_failed", "latest_by")


def dump_evidence(e: Evidence) -> str:
    return orjson.dumps({
        "at": e.timestamp.isoformat(), "module": e.module, "meaning": e.meaning,
        "outcomes": sorted(e.outcomes), "score": e.score, "failed": e.failed,
        "skills": [list(pair) for pair in e.skills], "phases": list(e.phases)}).decode()


def load_evidence(statement_id: str, text: str) -> Evidence:
    d = orjson.loads(text)
    return Evidence(statement_id, datetime.fromisoformat(d["at"]), d["module"], d["meaning"],
                    frozenset(d["outcomes"]), d["score"], d["failed"],
                    tuple((skill, level) for skill, level in d["skills"]), tuple(d["phases"]))


def dump_summary(m: ModuleProgress) -> str:
    """A module's aggregates, without its evidence (which has rows of its own)."""
    values = {name: getattr(m, name) for name in _PLAIN}
    values.update({name: _iso(getattr(m, name)) for name in _MOMENTS})
    values["failed_at"] = [moment.isoformat() for moment in m.failed_at]
    return orjson.dumps(values).decode()


def load_summary(module: str, text: str,
                 evidence: dict[str, Evidence] | None = None) -> ModuleProgress:
    """A module's aggregates; its `evidence` is empty unless given (enough for the views)."""
    d = orjson.loads(text)
    moments = {name: d[name] and datetime.fromisoformat(d[name]) for name in _MOMENTS}
    return ModuleProgress(module=module, evidence=evidence or {}, **moments,
                          **{name: d[name] for name in _PLAIN},
                          failed_at=tuple(datetime.fromisoformat(m) for m in d["failed_at"]))


def dump_skill(s: SkillProgress) -> str:
    # Keys in order: the same evidence is the same text however it was folded.
    return orjson.dumps({sid: [level, moment.isoformat()]
                         for sid, (level, moment) in s.evidence.items()},
                        option=orjson.OPT_SORT_KEYS).decode()


def load_skill(skill: str, text: str) -> SkillProgress:
    return SkillProgress(skill, {sid: (level, datetime.fromisoformat(moment))
                                 for sid, (level, moment) in orjson.loads(text).items()})


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

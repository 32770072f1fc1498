"""The per-learner progress state: evidence per module and per skill, and what changed.

The state holds only evidence and what follows from the set of it, never from the order it
arrived in, and nothing that depends on the clock: levels at a moment are views.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Evidence:
    """What one stored statement contributes to a learner's progress."""

    statement_id: str
    timestamp: datetime  # aware, UTC
    module: str | None
    meaning: str | None
    outcomes: frozenset[str]
    score: float | None
    failed: bool
    skills: tuple[tuple[str, int], ...] = ()  # (skill, level) given, one per skill
    phases: tuple[str, ...] = ()  # the module's phase first, then self-tagged phases

    @property
    def order(self) -> tuple[datetime, str]:
        """The sort key of evidence in time: ties between equal timestamps go by id."""
        return self.timestamp, self.statement_id

    @property
    def concludes(self) -> bool:
        """An attempt: the statement shows an outcome or a failure, not just activity."""
        return self.failed or bool(self.outcomes)


@dataclass(frozen=True)
class ModuleProgress:
    """A module's evidence and the aggregates derived from that set of evidence."""

    module: str
    evidence: dict[str, Evidence] = field(hash=False)
    first_activity: datetime
    last_activity: datetime
    attempts: int
    failures: int
    best_score: float | None
    completed_by: str | None  # the first statement showing a completion (a pass is one too)
    passed_by: str | None  # the first statement showing a pass
    last_attempt: str | None  # the latest statement that concludes an attempt
    # When those happened, and whether the last attempt failed: what the views read, so that
    # a module's summary is enough to show it (its evidence is needed only to fold).
    completed_at: datetime | None = None
    passed_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_failed: bool = False
    latest_by: str | None = None  # the statement of `last_activity` (ties: the greatest id)
    first_attempt_at: datetime | None = None
    failed_at: tuple[datetime, ...] = ()  # when each failure happened, oldest first

    def first_showing(self, outcome: str) -> tuple[str | None, datetime | None]:
        """The statement that first showed `outcome` (completed or passed), and when."""
        if outcome == "passed":
            return self.passed_by, self.passed_at
        return self.completed_by, self.completed_at


@dataclass(frozen=True)
class SkillProgress:
    """The evidence of one skill: statement id -> (level, timestamp)."""

    skill: str
    evidence: dict[str, tuple[int, datetime]] = field(hash=False)


@dataclass
class LearnerProgress:
    """One learner's state: all their evidence, by statement, module and skill.

    The dicts are updated in place so a fold costs the touched module and skills, not the
    whole history; their values are frozen and replaced, never mutated.
    """

    evidence: dict[str, Evidence] = field(default_factory=dict)
    modules: dict[str, ModuleProgress] = field(default_factory=dict)
    skills: dict[str, SkillProgress] = field(default_factory=dict)


@dataclass(frozen=True)
class ModuleChanged:
    """Aggregates of a module changed; `fields` names them (e.g. "passed_by", "attempts")."""

    module: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class SkillChanged:
    """A skill's attained level at the moment of the fold went from `before` to `after`,
    or the same level was attained earlier or now expires at another time."""

    skill: str
    before: int | None
    after: int | None
    expires: datetime | None = None


AGGREGATES = ("first_activity", "last_activity", "attempts", "failures", "best_score",
              "completed_by", "passed_by", "last_attempt", "completed_at", "passed_at",
              "last_attempt_at", "last_failed", "latest_by", "first_attempt_at", "failed_at")


def summarise(module: str, evidence: dict[str, Evidence]) -> ModuleProgress | None:
    """The aggregates of one module's evidence; None when there is none."""
    if not evidence:
        return None
    timeline = sorted(evidence.values(), key=lambda e: e.order)
    attempts = [e for e in timeline if e.concludes]
    scores = [e.score for e in timeline if e.score is not None]
    completed, passed = _first(timeline, "completed"), _first(timeline, "passed")
    last = attempts[-1] if attempts else None
    return ModuleProgress(
        module, dict(evidence), timeline[0].timestamp, timeline[-1].timestamp,
        len(attempts), sum(e.failed for e in timeline), max(scores, default=None),
        completed and completed.statement_id, passed and passed.statement_id,
        last and last.statement_id, completed and completed.timestamp,
        passed and passed.timestamp, last and last.timestamp, bool(last and last.failed),
        timeline[-1].statement_id, attempts[0].timestamp if attempts else None,
        tuple(e.timestamp for e in timeline if e.failed))


def extend(before: ModuleProgress | None, evidence: Evidence) -> ModuleProgress:
    """`before` with one more piece of evidence: equal to summarising the larger set, without
    sorting it again (a fold's common case, so its cost does not grow with the module's)."""
    if before is None:
        return summarise(evidence.module, {evidence.statement_id: evidence})
    items = {**before.evidence, evidence.statement_id: evidence}
    mine = (evidence.statement_id, evidence.timestamp)

    def first(current: str | None, at: datetime | None, outcome: str) -> tuple:
        if outcome in evidence.outcomes and (
                current is None or evidence.order < (at, current)):
            return mine
        return current, at

    last = (before.last_attempt, before.last_attempt_at, before.last_failed)
    if evidence.concludes and (
            last[0] is None or evidence.order > (before.last_attempt_at, before.last_attempt)):
        last = (*mine, evidence.failed)
    scores = [s for s in (before.best_score, evidence.score) if s is not None]
    completed = first(before.completed_by, before.completed_at, "completed")
    passed = first(before.passed_by, before.passed_at, "passed")
    latest = max((before.last_activity, before.latest_by), evidence.order)
    first_attempt = before.first_attempt_at
    if evidence.concludes and (first_attempt is None or evidence.timestamp < first_attempt):
        first_attempt = evidence.timestamp
    return ModuleProgress(
        before.module, items, min(before.first_activity, evidence.timestamp),
        latest[0], before.attempts + evidence.concludes,
        before.failures + evidence.failed, max(scores, default=None),
        completed[0], passed[0], last[0], completed[1], passed[1], last[1], last[2], latest[1],
        first_attempt,
        tuple(sorted((*before.failed_at, evidence.timestamp))) if evidence.failed
        else before.failed_at)


def _first(timeline: list[Evidence], outcome: str) -> Evidence | None:
    return next((e for e in timeline if outcome in e.outcomes), None)


def changed_fields(before: ModuleProgress | None, after: ModuleProgress | None) -> tuple:
    """The aggregates that differ between two summaries of a module."""
    if before is None or after is None:
        return AGGREGATES if before is not after else ()
    return tuple(name for name in AGGREGATES if getattr(before, name) != getattr(after, name))

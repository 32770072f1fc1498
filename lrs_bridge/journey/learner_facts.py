"""What the progress worker keeps of each learner for the journey metrics, worked out from
their progress state, their directory entry and the mapping (never from the clock):

- per phase and month: whether they were in the phase's audience, and how many statements of
  theirs belong to the phase (activity);
- per day and short module: completions (microlearning);
- per survey statement: when, and its scaled score (leavers' feedback);
- per path they follow now: its anchor and last due date, and when they completed it;
- per skill their role needs: its level over time (skill gaps, skill decay);
- their start date, whether they follow an onboarding path from it and when they completed
  all of those, and their six-month day: still employed then, onboarded by then.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lrs_bridge.journey.audience import followed_now, onboarding_paths
from lrs_bridge.journey.dates import (
    BLOCK,
    add_months,
    day_number,
    day_start,
    month_index,
    utc_day,
)
from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.markers import short_modules, survey_modules
from lrs_bridge.journey.model import Mapping, Path
from lrs_bridge.journey.progress import valid_for
from lrs_bridge.journey.progress_state import Evidence, LearnerProgress
from lrs_bridge.journey.skill_pieces import Piece, pieces

RETENTION_MONTHS = 6  # retention is read on the start date plus this many calendar months


@dataclass(frozen=True)
class PhaseRow:
    """One phase and block of 60 months: months in the audience and with activity (bit
    masks), and the statements of each month with activity (month_index -> count)."""

    audience: int = 0
    active: int = 0
    counts: dict[int, int] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PathRow:
    path: str
    phase: str
    anchor: object  # date
    due: object  # date or None
    completed: datetime | None


@dataclass(frozen=True)
class SkillRow:
    skill: str
    role: str
    target: int
    piece: Piece


@dataclass(frozen=True)
class JourneyRow:
    """A learner's start, onboarding (`onboarding`: they follow an onboarding path from the
    start date; `onboarded`: when all of those were completed, `onboarding_days` after the
    start date) and six-month day (`retained`: still employed on it; `retention_onboarded`:
    onboarded by then)."""

    started: date
    onboarding: bool
    onboarded: datetime | None
    onboarding_days: int | None
    retention_day: date
    retained: bool
    retention_onboarded: bool


@dataclass(frozen=True)
class Response:
    """A statement on a survey module."""

    statement_id: str
    module: str
    at: datetime
    score: float | None


@dataclass(frozen=True)
class Marks:
    """The modules the facts of one piece of evidence depend on."""

    short: frozenset[str]
    surveys: frozenset[str]


def activity(evidence: Evidence) -> list[tuple[str, int]]:
    """(phase, month_index) of each phase the evidence belongs to."""
    month = month_index(utc_day(evidence.timestamp))
    return [(phase, month) for phase in evidence.phases]


def short_completion(evidence: Evidence, marks: Marks) -> tuple[int, str] | None:
    """(day number, module) when the evidence completes a short module (a pass does too)."""
    if evidence.module in marks.short and "completed" in evidence.outcomes:
        return day_number(utc_day(evidence.timestamp)), evidence.module
    return None


def response(evidence: Evidence, marks: Marks) -> Response | None:
    """The survey response the evidence is, if its module is a survey."""
    if evidence.module in marks.surveys:
        return Response(evidence.statement_id, evidence.module, evidence.timestamp,
                        evidence.score)
    return None


def phase_rows(audience: dict[str, set[int]],
               counts: Counter) -> dict[tuple[str, int], PhaseRow]:
    """The rows of each (phase, block) with audience months or activity; `counts`:
    (phase, month_index) -> statements."""
    masks: dict[tuple[str, int], list] = {}  # key -> [audience, active, counts]
    for phase, months in audience.items():
        for month in months:
            entry = masks.setdefault((phase, month // BLOCK), [0, 0, {}])
            entry[0] |= 1 << month % BLOCK
    for (phase, month), count in counts.items():
        if count:
            entry = masks.setdefault((phase, month // BLOCK), [0, 0, {}])
            entry[1] |= 1 << month % BLOCK
            entry[2][month] = count
    return {key: PhaseRow(*entry) for key, entry in masks.items()}


def with_counts(row: PhaseRow | None, changes: dict[int, int]) -> PhaseRow | None:
    """`row` with statements added (or taken back: negative) per month; None once it has
    neither audience nor activity."""
    row = row or PhaseRow()
    counts = dict(row.counts)
    for month, change in changes.items():
        counts[month] = counts.get(month, 0) + change
    counts = {month: n for month, n in counts.items() if n > 0}
    active = 0
    for month in counts:
        active |= 1 << month % BLOCK
    if not row.audience and not counts:
        return None
    return PhaseRow(row.audience, active, counts)


def completed_at(state: LearnerProgress, path: Path) -> datetime | None:
    """When the learner met the last required step of `path`; None while it is open.

    The rule of progress_views.path_status, without the steps' due dates and statuses that
    it works out too (this runs for every path of every learner a batch touches): the
    required steps are those not optional, else those met, else all.
    """
    met = []
    for step in path.steps:
        module = state.modules.get(step.module)
        met.append(module.first_showing(step.outcome)[1] if module is not None else None)
    required = [at for step, at in zip(path.steps, met, strict=True) if not step.optional] \
        or [at for at in met if at is not None] or met
    return None if None in required else max(required)


def path_rows(state: LearnerProgress, person: Person, mapping: Mapping) -> list[PathRow]:
    """A row per path the learner follows now (see audience.followed_now)."""
    paths = lookups(mapping).paths
    return [PathRow(f.path, f.phase, f.anchor, f.due, completed_at(state, paths[f.path]))
            for f in followed_now(person, mapping)]


def onboarding(state: LearnerProgress, person: Person,
               mapping: Mapping) -> tuple[bool, datetime | None]:
    """(follows an onboarding path from the start date, when all of those were completed)."""
    paths = lookups(mapping).paths
    done = [completed_at(state, paths[f.path]) for f in onboarding_paths(person, mapping)]
    if not done:
        return False, None
    return True, None if None in done else max(done)


def journey_row(state: LearnerProgress, person: Person, mapping: Mapping) -> JourneyRow:
    """The learner's start, onboarding and six-month day."""
    follows, done = onboarding(state, person, mapping)
    start, mark = person.start_date, add_months(person.start_date, RETENTION_MONTHS)
    return JourneyRow(start, follows, done, done and (utc_day(done) - start).days, mark,
                      person.leave_date is None or person.leave_date >= mark,
                      done is not None and utc_day(done) <= mark)


def skill_rows(state: LearnerProgress, person: Person, mapping: Mapping,
               only: set[str] | None = None) -> list[SkillRow]:
    """The pieces of each skill the learner's latest role needs (or of those in `only`)."""
    targets = lookups(mapping).role_targets.get(person.role, {})
    start = day_start(person.start_date)
    end = day_start(person.leave_date + timedelta(days=1)) if person.leave_date else None
    return [SkillRow(skill, person.role, target, piece)
            for skill, target in sorted(targets.items()) if only is None or skill in only
            for piece in pieces(state.skills.get(skill), valid_for(mapping, skill), start, end)]


def marks_of(mapping: Mapping) -> Marks:
    """The short and survey modules of `mapping` (see journey.markers)."""
    return Marks(short_modules(mapping), survey_modules(mapping))

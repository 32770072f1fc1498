"""The journey-metric rows of a batch's learners (journey.learner_facts): all of them for a
learner rebuilt, and for a fold only what its added and retracted evidence, its touched skills
and its paths change, so that folding gives the rows a rebuild gives."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection

from lrs_bridge.journey import learner_facts as facts
from lrs_bridge.journey.audience import audience_months, followed_now, onboarding_paths
from lrs_bridge.journey.dates import BLOCK
from lrs_bridge.journey.learners import Learner as Person
from lrs_bridge.journey.lookups import lookups
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress_state import Evidence, LearnerProgress
from lrs_bridge.store.progress_facts import FactWrites, phase_rows_in, short_days_in


@dataclass
class Fold:
    """What one fold changed: evidence added and taken back, the skills and modules it
    touched, the view state before and after, and the touched part of the state after."""

    added: list[Evidence]
    removed: list[Evidence]
    skills: set[str]
    modules: set[str]
    before: LearnerProgress
    after: LearnerProgress
    part: LearnerProgress


def rebuild(target: FactWrites, lid: int, person: Person, state: LearnerProgress,
            mapping: Mapping) -> None:
    """Every row of a learner rebuilt from all their evidence."""
    marks = facts.marks_of(mapping)
    target.rebuilt.append(lid)
    counts = Counter(key for e in state.evidence.values() for key in facts.activity(e))
    for (phase, block), row in facts.phase_rows(audience_months(person, mapping),
                                                counts).items():
        target.phases[(lid, phase, block)] = row
    for e in state.evidence.values():
        found = facts.short_completion(e, marks)
        if found is not None:
            target.short[(lid, *found)] = target.short.get((lid, *found), 0) + 1
        answer = facts.response(e, marks)
        if answer is not None:
            target.responses[(lid, answer.statement_id)] = answer
    for row in facts.path_rows(state, person, mapping):
        target.paths[(lid, row.path)] = row
    target.journeys[(lid,)] = facts.journey_row(state, person, mapping)
    _skills(target, lid, facts.skill_rows(state, person, mapping), None)


def fold(conn: Connection, target: FactWrites, people: dict[int, Person],
         folds: dict[int, Fold], mapping: Mapping) -> None:
    """The rows each fold of `folds` changes (existing rows read in `conn`)."""
    _evidence_changes(conn, target, folds, facts.marks_of(mapping))
    paths_of: dict[str, set[str]] = defaultdict(set)  # module -> the paths it is a step of
    for path in mapping.paths:
        for step in path.steps:
            paths_of[step.module].add(path.id)
    for lid, item in folds.items():
        touched = set().union(*(paths_of[m] for m in item.modules)) if item.modules else set()
        if touched:  # only a step's module can complete a path or onboarding
            _paths(target, lid, item, people[lid], mapping, touched)
        _skills(target, lid, facts.skill_rows(item.part, people[lid], mapping, item.skills),
                item.skills)


def _evidence_changes(conn: Connection, target: FactWrites, folds: dict[int, Fold],
                      marks: facts.Marks) -> None:
    """Phase months, short completions and responses of the evidence added and taken back."""
    phase_changes: dict[tuple[int, str, int], dict[int, int]] = defaultdict(dict)
    short_changes: Counter = Counter()
    for lid, item in folds.items():
        for sign, items in ((1, item.added), (-1, item.removed)):
            for e in items:
                for phase, month in facts.activity(e):
                    months = phase_changes[(lid, phase, month // BLOCK)]
                    months[month] = months.get(month, 0) + sign
                found = facts.short_completion(e, marks)
                if found is not None:
                    short_changes[(lid, *found)] += sign
                answer = facts.response(e, marks)
                if answer is not None:
                    target.responses[(lid, answer.statement_id)] = answer if sign > 0 else None
    held = phase_rows_in(conn, target.tenant_id, set(phase_changes))
    for key, months in phase_changes.items():
        if any(months.values()):
            target.phases[key] = facts.with_counts(held.get(key), months)
    counted = short_days_in(conn, target.tenant_id, set(short_changes))
    for key, change in short_changes.items():
        if change:
            target.short[key] = max(counted.get(key, 0) + change, 0)


def _paths(target: FactWrites, lid: int, item: Fold, person: Person, mapping: Mapping,
           touched: set[str]) -> None:
    """The rows of the followed paths among `touched` whose completion changed, and the
    journey row when an onboarding path is among them."""
    paths = lookups(mapping).paths
    for followed in followed_now(person, mapping):
        if followed.path in touched:
            path = paths[followed.path]
            done = facts.completed_at(item.after, path)
            if done != facts.completed_at(item.before, path):
                target.paths[(lid, path.id)] = facts.PathRow(
                    path.id, followed.phase, followed.anchor, followed.due, done)
    if any(f.path in touched for f in onboarding_paths(person, mapping)):
        journey = facts.journey_row(item.after, person, mapping)
        if journey != facts.journey_row(item.before, person, mapping):
            target.journeys[(lid,)] = journey


def _skills(target: FactWrites, lid: int, rows: list, touched: set[str] | None) -> None:
    """Rows grouped by skill, replacing the learner's rows of those skills."""
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row.skill].append(row)
    for skill, items in grouped.items():
        if touched is None or skill in touched:
            target.skills[(lid, skill)] = items

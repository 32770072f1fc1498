"""The demo's learning history: what each person of the roster did since they applied, as the
statements their content and HR tools send, read from the mapping (phases, modules, paths,
roles).

People follow their paths from the paths' anchor dates: most meet their steps before the due
date, some late, some skip one, some stall and go quiet; tests are failed and retaken;
microlearning and check-ins come back again and again; refreshers fall near the expiry of
what they refresh (their due dates); leavers hand over, have an exit talk and answer the exit
survey in their last weeks, and alumni read the alumni content afterwards. Pure: the same
mapping, people, seed and `now` give the same statements, and none is dated at or after
`now`, nor after a person's last day (alumni content excepted, for alumni).
"""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from lrs_bridge.demo.journal import Journal, moment_on
from lrs_bridge.demo.organisation import Person, workday
from lrs_bridge.demo.sessions import Habits, begin, take
from lrs_bridge.journey.dates import add_months
from lrs_bridge.journey.learners import Learner, RoleSpell, paths_on
from lrs_bridge.journey.model import Mapping, Module, Path

PACES = (("keen", 0.35), ("steady", 0.36), ("late", 0.17), ("stalls", 0.12))
LATE = {"keen": 0.03, "steady": 0.1, "late": 0.45, "stalls": 0.12}  # a step after its due date
SKIPS = {"keen": 0.01, "steady": 0.03, "late": 0.08, "stalls": 0.04}  # a step never taken
OPTIONAL = 0.45  # an optional step taken
LEAVING = 0.8  # a leaver takes a required offboarding step
NOTICE_DAYS = 30  # offboarding happens in the last month before the leave date
EARLY_QUIT = 0.7  # someone leaving within six months has stopped learning after a few weeks
WARNED = timedelta(days=90)  # a refresher is due this close to the expiry of what it renews


@dataclass
class Life:
    """One person's history as it is written: their statements, their dice, their habits, and
    when they met each module's outcome."""

    journal: Journal
    rng: random.Random
    habits: Habits
    modules: dict[str, Module]
    refreshers: set[tuple[str, str]]  # (path, module) steps that renew expiring evidence
    done: dict[str, datetime] = field(default_factory=dict)


def simulate(mapping: Mapping, people: list[Person], seed: int, now: datetime) -> list[dict]:
    """Every person's statements, each person's in the order they happened."""
    return [s for person in people for s in person_statements(mapping, person, seed, now)]


def person_statements(mapping: Mapping, person: Person, seed: int,
                      now: datetime) -> list[dict]:
    """One person's statements from their application until `now`, oldest first."""
    rng = random.Random(f"{seed}/{person.email}")  # noqa: S311 - not a secret
    life = Life(Journal(person, now, seed), rng, _habits(rng),
                {m.id: m for m in mapping.modules}, refreshers(mapping))
    working = _last_working_moment(person, now)
    until = working
    if life.habits.pace == "stalls":
        quiet = person.start_date + timedelta(days=rng.randint(12, 240))
        until = min(until, datetime.combine(quiet, time(), tzinfo=UTC))
    elif _early_leaver(person) and rng.random() < EARLY_QUIT:
        # Most who leave in their first months have stopped learning weeks before.
        quiet = person.start_date + timedelta(days=rng.randint(10, 45))
        until = min(until, datetime.combine(quiet, time(), tzinfo=UTC))
    _before_hire(life.journal, rng, mapping, person)
    for path in _followed(mapping, person, now.date()):
        if path.anchor == "leave_date":
            _leaving(life, path, person, working)
        else:
            _follow(life, path, _anchor(rng, path, person, now.date()), until)
    _again(life, until)
    if person.status == "alumni" and person.leave_date is not None:
        _alumni(life.journal, rng, mapping, person)
    life.journal.statements.sort(key=lambda s: s["timestamp"])
    return life.journal.statements


def refreshers(mapping: Mapping) -> set[tuple[str, str]]:
    """The (path, module) steps that renew evidence before it expires: due within three
    months of the `valid_for` of a skill the module gives (a yearly privacy or safety
    refresher)."""
    valid = {s.id: s.valid_for for s in mapping.skills if s.valid_for is not None}
    gives = {m.id: [valid[g.skill] for g in m.skills if g.skill in valid]
             for m in mapping.modules}
    origin = date(2000, 1, 1)  # durations in months compare only from a date
    return {(path.id, step.module) for path in mapping.paths for step in path.steps
            if step.due is not None and any(origin + step.due >= origin + expires - WARNED
                                            for expires in gives.get(step.module, ()))}


def _habits(rng: random.Random) -> Habits:
    draw, pace = rng.random(), PACES[-1][0]
    for name, share in PACES:
        if draw < share:
            pace = name
            break
        draw -= share
    return Habits(pace, rng.betavariate(5, 2), rng.random() < 0.6, rng.randint(10, 45))


def _early_leaver(person: Person) -> bool:
    """Leaving, or left, before the six-month mark."""
    return person.leave_date is not None and \
        person.leave_date < add_months(person.start_date, 6)


def _last_working_moment(person: Person, now: datetime) -> datetime:
    """The end of the person's last day (midnight UTC after it), or `now`."""
    if person.leave_date is None:
        return now
    return min(now, datetime.combine(person.leave_date + timedelta(days=1), time(), tzinfo=UTC))


def _followed(mapping: Mapping, person: Person, today: date) -> list[Path]:
    """The paths the person works on: those the progress engine reads the roster to give
    them, except the paths of no role (ambition paths) that are not the person's ambition."""
    learner = Learner(keys=frozenset(), roles=(RoleSpell(person.role, person.start_date),),
                      start_date=person.start_date, leave_date=person.leave_date,
                      status=person.status, paths=person.paths)
    ids = set(paths_on(learner, mapping, today))
    of_roles = {p for r in mapping.roles for p in r.paths}
    return [p for p in mapping.paths if p.id in ids
            and (p.id in of_roles or p.audience is None or p.id in person.paths)]


def _anchor(rng: random.Random, path: Path, person: Person, today: date) -> date:
    """The date a path starts for the person; an ambition path some months into the job."""
    if path.id in person.paths:
        tenure = (today - person.start_date).days
        return person.start_date + timedelta(days=rng.randint(min(150, tenure), tenure))
    return person.start_date  # the demo's people hold one role since their start date


def _follow(life: Life, path: Path, anchor: date, until: datetime) -> None:
    """The steps of a path, each on a day around its due date, after its prerequisites."""
    rng, done, previous = life.rng, life.done, anchor
    for step in path.steps:
        module = life.modules[step.module]
        if module.id in done:
            continue
        if any(p not in done for p in step.prerequisites) or _skipped(rng, step, life.habits):
            continue
        renews = (path.id, module.id) in life.refreshers
        day = _day(rng, step.due, anchor, previous, life.habits, renews)
        after = [done[p].date() + timedelta(days=rng.randint(1, 5)) for p in step.prerequisites]
        day = workday(max([day, *after]))
        start = moment_on(day, rng.randint(0, 540))
        if start >= until:
            if rng.random() < 0.4 and (day - timedelta(days=14)) < until.date():
                looked = until - timedelta(hours=rng.randint(2, 300))
                begin(life.journal, rng, module, max(looked, moment_on(anchor, 60)), until)
            continue
        met = take(life.journal, rng, module, step.outcome, start, life.habits, until)
        if met is not None:
            done[module.id] = met
            previous = met.date()


def _skipped(rng: random.Random, step, habits: Habits) -> bool:
    if step.optional:
        return rng.random() >= OPTIONAL
    return rng.random() < SKIPS[habits.pace]


def _day(rng: random.Random, due, anchor: date, previous: date, habits: Habits,
         refresher: bool) -> date:
    """When the person takes a step: mostly before its due date (long horizons nearer the end,
    refreshers in their last weeks), sometimes weeks after; a self-paced step some weeks after
    the one before."""
    if due is None:
        return previous + timedelta(days=rng.randint(7, 60))
    deadline = anchor + due
    span = (deadline - anchor).days
    if span <= 0:
        return anchor  # on the day itself: the first working day
    if rng.random() < LATE[habits.pace]:
        return deadline + timedelta(days=rng.randint(1, 45))
    low = 0.25 if span < 60 else 0.9 if refresher else 0.6
    return anchor + timedelta(days=round(span * rng.uniform(low, 1.0)))


def _leaving(life: Life, path: Path, person: Person, working: datetime) -> None:
    """The steps of a path anchored on the leave date, in the last weeks before it; the
    alumni content is for afterwards (`_alumni`)."""
    if person.leave_date is None:
        return
    rng = life.rng
    for step in path.steps:
        module = life.modules[step.module]
        chance = OPTIONAL + 0.15 if step.optional else LEAVING
        if _for_alumni(module) or module.id in life.done or rng.random() >= chance:
            continue
        day = workday(person.leave_date - timedelta(days=rng.randint(2, NOTICE_DAYS)))
        met = take(life.journal, rng, module, step.outcome,
                   moment_on(day, rng.randint(0, 480)), life.habits, working)
        if met is not None:
            life.done[module.id] = met


def _again(life: Life, until: datetime) -> None:
    """Microlearning again every few weeks ("10-minute moments"), and the check-in
    touchpoints of the retention phase every few months, until the person stops."""
    rng = life.rng
    for module_id, first in sorted(life.done.items()):
        module = life.modules[module_id]
        if module.type == "microlearning" and not _for_alumni(module):
            every, verb = life.habits.micro_every, "experienced"
        elif module.type == "on-the-job" and module.phase == "retention":
            every, verb = 120, "attended"
        else:
            continue
        moment = first
        for _ in range(12):
            moment += timedelta(days=rng.randint(every // 2, every * 3 // 2),
                                minutes=rng.randint(-90, 90))
            result = {"completion": True} if verb == "attended" else None
            if not life.journal.say(moment, verb, module, result=result, until=until):
                break


def _before_hire(journal: Journal, rng: random.Random, mapping: Mapping, person: Person) -> None:
    """As a candidate: employer-brand content, and the application's steps (the modules of
    the phases before the first phase with a path), weeks before the start date."""
    on_paths = {s.module for p in mapping.paths for s in p.steps}
    path_phases = {p.phase for p in mapping.paths}
    first = next((n for n, ph in enumerate(mapping.phases) if ph.id in path_phases), 0)
    early = {ph.id for ph in mapping.phases[:first]}
    targets = next((r.skills for r in mapping.roles if r.id == person.role), {})
    candidate = Habits("keen", 0.9, True, 30)
    for module in mapping.modules:
        if module.phase not in early or module.id in on_paths or rng.random() >= 0.55:
            continue
        if module.skills and not any(g.skill in targets for g in module.skills):
            continue  # another role's selection test
        day = workday(person.start_date - timedelta(days=rng.randint(20, 90)))
        outcome = "passed" if module.type == "assessment" else "completed"
        take(journal, rng, module, outcome, moment_on(day, rng.randint(0, 600)), candidate,
             journal.now)


def _alumni(journal: Journal, rng: random.Random, mapping: Mapping, person: Person) -> None:
    """Alumni who come back to the alumni content now and then after they left."""
    for module in mapping.modules:
        if not _for_alumni(module) or rng.random() >= 0.5:
            continue
        day = person.leave_date + timedelta(days=rng.randint(3, 40))
        for _ in range(rng.randint(1, 4)):
            journal.say(moment_on(day, rng.randint(0, 720)), "experienced", module,
                        lesson="nieuws" if module.activity_prefix else None)
            day += timedelta(days=rng.randint(14, 90))


def _for_alumni(module: Module) -> bool:
    """Content for former staff: the alumni portal's (its id or activity says so)."""
    return "alumni" in module.id or "alumni" in (module.activity or module.activity_prefix or "")

"""How a person goes through one module, by its type: the statements of an e-learning with its
lessons, a test taken until passed (or given up), classroom days, buddy meetings, a touchpoint
the HR tool records, a survey answered with a score."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from lrs_bridge.demo.journal import Journal, score
from lrs_bridge.demo.organisation import workday
from lrs_bridge.journey.model import Module

PASS_MARK = 0.7  # the content's own mastery score; a skill may ask more (min_score)
MOST_ATTEMPTS = 4


@dataclass(frozen=True)
class Habits:
    """How one person learns: `pace` keen, steady, late or stalls; `ability` (0-1) sets their
    scores; a `persistent` person retakes a failed test until they pass."""

    pace: str
    ability: float
    persistent: bool
    micro_every: int  # days between two microlearning moments


def take(journal: Journal, rng: random.Random, module: Module, outcome: str, start: datetime,
         habits: Habits, until: datetime) -> datetime | None:
    """The person takes `module` from `start`; when they first showed `outcome` (completed or
    passed), or None when they did not before `until`."""
    minutes = _minutes(module, rng)
    if module.type == "assessment":
        journal.say(start, "attempted", module, until=until)
        if outcome == "completed":  # a scan: a score, no pass or fail
            done = start + timedelta(minutes=minutes)
            scaled = _score(rng, habits)
            return done if journal.say(done, "completed", module, until=until,
                                       result=score(scaled, None, minutes)) else None
        return exam(journal, rng, module, start + timedelta(minutes=minutes), habits, until)
    if module.type == "survey":
        result = score(round(rng.uniform(0.35, 1.0), 2), None, minutes)
        return start if journal.say(start, "responded", module, result=result,
                                    until=until) else None
    if module.type in ("classroom", "mentoring") and (module.activity_prefix
                                                      or module.type == "mentoring"):
        start = _meetings(journal, rng, module, start, until)
    elif module.type in ("e-learning", "microlearning"):
        start = _lessons(journal, rng, module, start, until)
    if outcome == "passed":
        return exam(journal, rng, module, start, habits, until)
    verb = "attended" if module.type in ("classroom", "on-the-job") else "completed"
    result = {"completion": True, "duration": f"PT{minutes}M"}
    return start if journal.say(start, verb, module, result=result, until=until) else None


def begin(journal: Journal, rng: random.Random, module: Module, moment: datetime,
          until: datetime) -> None:
    """A first look at a module, left unfinished."""
    verb = "attempted" if module.type in ("e-learning", "assessment") else "experienced"
    lesson = "les-1" if module.activity_prefix else None
    journal.say(moment, verb, module, lesson=lesson, until=until)


def exam(journal: Journal, rng: random.Random, module: Module, moment: datetime,
         habits: Habits, until: datetime) -> datetime | None:
    """A test taken until passed: a few days between attempts; someone who is not persistent
    gives up after the third failure."""
    minutes = _minutes(module, rng)
    for attempt in range(1, MOST_ATTEMPTS + 1):
        scaled = _score(rng, habits)
        passed = scaled >= PASS_MARK
        if not journal.say(moment, "passed" if passed else "failed", module, until=until,
                           result=score(scaled, passed, minutes)):
            return None
        if passed:
            return moment
        if attempt >= 3 and not habits.persistent:
            return None
        moment = _later(moment, rng.randint(2, 12), rng)
    return None


def _lessons(journal: Journal, rng: random.Random, module: Module, start: datetime,
             until: datetime) -> datetime:
    """A session through an e-learning's lessons (or a microlearning's one page); when it ends."""
    if module.type == "e-learning":
        journal.say(start, "attempted", module, until=until, registration=journal.new_id())
    count = rng.randint(2, 4) if module.activity_prefix else 1
    moment = start
    for number in range(1, count + 1):
        moment += timedelta(minutes=rng.randint(4, 15))
        journal.say(moment, "experienced", module, until=until,
                    lesson=f"les-{number}" if module.activity_prefix else None)
    return moment + timedelta(minutes=rng.randint(1, 5))


def _meetings(journal: Journal, rng: random.Random, module: Module, start: datetime,
              until: datetime) -> datetime:
    """Classroom days of a programme (each an activity under its prefix) or buddy meetings,
    about a week apart; the last one's moment."""
    moment = start
    for number in range(1, rng.randint(3, 5) + 1):
        if number > 1:
            moment = _later(moment, rng.randint(5, 10), rng)
        lesson = f"dag-{number}" if module.activity_prefix else None
        journal.say(moment, "attended", module, lesson=lesson, until=until)
    return moment + timedelta(hours=rng.randint(1, 6))


def _later(moment: datetime, days: int, rng: random.Random) -> datetime:
    day = workday((moment + timedelta(days=days)).date())
    return datetime.combine(day, moment.timetz()) + timedelta(minutes=rng.randint(-60, 60))


def _score(rng: random.Random, habits: Habits) -> float:
    return round(min(1.0, max(0.3, rng.gauss(0.52 + 0.42 * habits.ability, 0.11))), 2)


def _minutes(module: Module, rng: random.Random) -> int:
    """About the module's duration, in minutes (half an hour when it has none)."""
    duration = module.duration
    base = duration.total_seconds() / 60 if isinstance(duration, timedelta) else 30
    return max(1, round(base * rng.uniform(0.7, 1.3)))

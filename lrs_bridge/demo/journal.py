"""One person's statements as their content and HR tools would send them: the xAPI shape of a
verb on a module's activity at a moment, with its result and context."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

from lrs_bridge.demo.organisation import Person
from lrs_bridge.journey.model import Module

ADL = "http://adlnet.gov/expapi/verbs/"
# The kind of activity each module type is, as the content describes itself.
ACTIVITY_TYPES = {
    "e-learning": "http://adlnet.gov/expapi/activities/course",
    "microlearning": "http://adlnet.gov/expapi/activities/module",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "classroom": "http://adlnet.gov/expapi/activities/meeting",
    "mentoring": "http://adlnet.gov/expapi/activities/meeting",
    "survey": "http://id.tincanapi.com/activitytype/survey",
    "on-the-job": "http://adlnet.gov/expapi/activities/performance",
}
LESSON = "http://adlnet.gov/expapi/activities/lesson"
NAMESPACE = uuid.UUID("6f1d3c0e-8a4b-4f5e-9c1d-2b7a3e5f9d10")  # of the demo's statement ids


class Journal:
    """Collects a person's statements; drops any that would fall at or after `until` (now,
    or their last day), so nothing is ever dated in the future or after they left."""

    def __init__(self, person: Person, now: datetime, seed: int):
        self.person, self.now, self.seed = person, now, seed
        self.statements: list[dict] = []
        self._count = 0

    def new_id(self) -> str:
        """A statement or registration id: the same seed, person and `now` give the same."""
        self._count += 1
        name = f"{self.seed}/{self.now.isoformat()}/{self.person.email}/{self._count}"
        return str(uuid.uuid5(NAMESPACE, name))

    def say(self, moment: datetime, verb: str, module: Module, *, lesson: str | None = None,
            result: dict | None = None, registration: str | None = None,
            until: datetime | None = None) -> bool:
        """Record `verb` on the module (on one of its lessons, when `lesson` is given), unless
        `moment` is at or after `until` (default: now); whether it was recorded."""
        if moment >= min(until or self.now, self.now):
            return False
        statement = {
            "id": self.new_id(),
            "actor": {"objectType": "Agent", "name": self.person.name,
                      "mbox": f"mailto:{self.person.email}"},
            "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": _activity(module, lesson),
            "timestamp": stamp(moment),
            "context": _context(module, lesson, registration),
        }
        if result:
            statement["result"] = result
        self.statements.append(statement)
        return True


def module_iri(module: Module) -> str:
    """The activity id a module's content sends for the module as a whole (a course published
    under a prefix sends the prefix itself)."""
    return module.activity or module.activity_prefix or ""


def moment_on(day: date, minutes: int) -> datetime:
    """`minutes` after 07:00 UTC on `day` (8 or 9 o'clock in the Netherlands)."""
    return datetime.combine(day, time(7), tzinfo=UTC) + timedelta(minutes=minutes)


def stamp(moment: datetime) -> str:
    """An xAPI timestamp, UTC with milliseconds."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def score(scaled: float, success: bool | None, minutes: int) -> dict:
    """A result with a scaled score (and raw out of 100), completion, success and duration."""
    result = {"score": {"scaled": scaled, "raw": round(scaled * 100), "min": 0, "max": 100},
              "completion": True, "duration": f"PT{minutes}M"}
    if success is not None:
        result["success"] = success
    return result


def _activity(module: Module, lesson: str | None) -> dict:
    if lesson is not None:
        return {"objectType": "Activity", "id": module.activity_prefix + lesson,
                "definition": {"name": {"en-US": f"{module.title.en}: {lesson}",
                                        "nl-NL": f"{module.title.nl}: {lesson}"},
                               "type": LESSON}}
    return {"objectType": "Activity", "id": module_iri(module),
            "definition": {"name": {"en-US": module.title.en, "nl-NL": module.title.nl},
                           "type": ACTIVITY_TYPES.get(module.type, LESSON)}}


def _context(module: Module, lesson: str | None, registration: str | None) -> dict:
    host = module_iri(module).split("/")[2] if "://" in module_iri(module) else "lms"
    context = {"platform": host, "language": "nl-NL"}
    if registration:
        context["registration"] = registration
    if lesson is not None:
        context["contextActivities"] = {"parent": [{"objectType": "Activity",
                                                    "id": module.activity_prefix}]}
    return context

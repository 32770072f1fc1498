"""Which module a statement is about, and what its verb and result say was achieved."""

from lrs_bridge.journey.model import Mapping, Module

# A statement tags itself with our xAPI profile: category context activities with these IRIs.
PROFILE = "https://w3id.org/xapi/lrs-bridge"
PHASE_TAG = PROFILE + "/phases/"
SKILL_TAG = PROFILE + "/skills/"


class ModuleIndex:
    """Finds the module of an activity IRI: an exact match first, then the longest prefix."""

    def __init__(self, modules: tuple[Module, ...]):
        self.exact = {m.activity: m for m in modules if m.activity}
        self.prefixes = sorted(((m.activity_prefix, m) for m in modules if m.activity_prefix),
                               key=lambda pair: len(pair[0]), reverse=True)

    def match(self, activity_id: str) -> tuple[Module, str] | None:
        """The module and how it matched ("activity" or "activity_prefix"), or None."""
        module = self.exact.get(activity_id)
        if module is not None:
            return module, "activity"
        for prefix, module in self.prefixes:
            if activity_id.startswith(prefix):
                return module, "activity_prefix"
        return None


def object_activity(statement: dict) -> str | None:
    """The id of the statement's object when it is an Activity."""
    obj = statement.get("object")
    if isinstance(obj, dict) and obj.get("objectType", "Activity") == "Activity":
        return obj.get("id")
    return None


def self_tags(statement: dict) -> tuple[list[str], list[tuple[str, int | None]]]:
    """The phases and (skill, level) pairs a statement tags itself with (README: profile).

    Category IRIs: PHASE_TAG + phase id; SKILL_TAG + skill id, optionally + "/levels/" + n.
    """
    context = statement.get("context") if isinstance(statement.get("context"), dict) else {}
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    category = groups.get("category") if isinstance(groups, dict) else None
    phases, skills = [], []
    for activity in category if isinstance(category, list) else [category]:
        iri = activity.get("id", "") if isinstance(activity, dict) else ""
        if iri.startswith(PHASE_TAG) and iri[len(PHASE_TAG):]:
            phases.append(iri[len(PHASE_TAG):])
        elif iri.startswith(SKILL_TAG) and iri[len(SKILL_TAG):]:
            skill, _, level = iri[len(SKILL_TAG):].partition("/levels/")
            number = level.isascii() and level.isdigit() and len(level) <= 3
            skills.append((skill, int(level) if number else None))
    return phases, skills


def verb_meaning(mapping: Mapping, statement: dict) -> str | None:
    """What the statement's verb means for progress; None when the mappings do not say."""
    verb = statement.get("verb")
    return mapping.verbs.get(verb.get("id")) if isinstance(verb, dict) else None


def outcomes(meaning: str | None, result: dict | None) -> set[str]:
    """The outcomes (completed, passed) a statement shows, from its verb meaning and result.

    A pass is also a completion; cmi5's satisfied and a waiver are both; otherwise the result's
    completion and success flags speak, except for a failure.
    """
    result = result if isinstance(result, dict) else {}
    if meaning in ("passed", "satisfied", "waived"):
        return {"completed", "passed"}
    if meaning in ("failed", "ignored", None):
        return set()
    found = {"completed"} if meaning == "completed" or result.get("completion") is True else set()
    if result.get("success") is True and found:
        found.add("passed")
    return found


def scaled_score(statement: dict) -> float | None:
    """result.score.scaled, when the statement has one."""
    result = statement.get("result")
    score = result.get("score") if isinstance(result, dict) else None
    value = score.get("scaled") if isinstance(score, dict) else None
    return value if isinstance(value, int | float) else None

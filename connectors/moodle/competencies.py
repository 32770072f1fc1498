"""A skill's new level becomes a rating of the competency the skill maps to, in a course or
on the learner's own competency, with a note naming the statements that are its evidence."""

from lrs_bridge_connectors.base import LmsUser, Result
from lrs_bridge_connectors.moodle import shapes, users
from lrs_bridge_connectors.moodle.client import MoodleClient, MoodleError

IN_COURSE = "core_competency_grade_competency_in_course"
ON_USER = "core_competency_grade_competency"
LIST = "core_competency_list_competencies"
NOTE_STATEMENTS = 10  # a note names at most this many statements


class CompetencyIds:
    """Competency ids by (framework, ID number), looked up once per connector."""

    def __init__(self, client: MoodleClient):
        self.client = client
        self._ids: dict[tuple[int | None, str], int] = {}

    def of(self, target: dict) -> int:
        """The id of the competency `target` (a skill's Moodle mapping) names."""
        if "competency_id" in target:
            return target["competency_id"]
        key = (target.get("framework"), target["competency"])
        if key not in self._ids:
            self._ids[key] = self._look_up(*key)
        return self._ids[key]

    def _look_up(self, framework: int | None, idnumber: str) -> int:
        filters = [{"column": "idnumber", "value": idnumber}]
        if framework is not None:
            filters.append({"column": "competencyframeworkid", "value": framework})
        found = self.client.call(LIST, filters=filters)
        where = f" in framework {framework}" if framework is not None else ""
        if not found:
            raise MoodleError(Result.permanent(
                f"Moodle has no competency with ID number {idnumber!r}{where} (or the service "
                f"user may not see it: moodle/competency:competencyview)"))
        if len(found) > 1:
            frameworks = ", ".join(str(c.get("competencyframeworkid")) for c in found)
            raise MoodleError(Result.permanent(
                f"competency ID number {idnumber!r} is used in frameworks {frameworks}: give "
                f"the skill's \"framework\""))
        return int(found[0]["id"])


def deliver_skill(client: MoodleClient, ids: CompetencyIds, skills: dict, event: dict,
                  user: LmsUser | None) -> Result:
    """Rate `user` on the skill's competency at the scale value of the skill's level."""
    skill, level = event.get("skill"), event.get("level")
    target, skip = shapes.target_of("skill", skill, skills)
    if skip is not None:
        return skip
    grade = shapes.scale_value(target, level)
    if grade is None:
        return Result.ok(f"skill {skill} at level {level}: no Moodle rating for it")
    refused = users.unusable(client, user, f"rating of {skill}")
    if refused:
        return refused
    competency = ids.of(target)
    note = _note(skill, level, event.get("evidence") or [])
    if target.get("course") is not None:
        evidence = client.call(IN_COURSE, courseid=target["course"], userid=int(user.id),
                               competencyid=competency, grade=grade, note=note)
    else:
        evidence = client.call(ON_USER, userid=int(user.id), competencyid=competency,
                               grade=grade, note=note)
    if evidence.get("grade") != grade:
        return Result.permanent(f"Moodle recorded rating {evidence.get('grade')} of competency "
                                f"{competency}, not {grade}")
    where = f" in course {target['course']}" if target.get("course") is not None else ""
    return Result.ok(f"competency {competency} rated {evidence.get('gradename') or grade}"
                     f"{where} for Moodle user {user.id}")


def _note(skill: str, level, statements: list) -> str:
    shown = ", ".join(str(s) for s in statements[:NOTE_STATEMENTS])
    more = len(statements) - NOTE_STATEMENTS
    tail = f" and {more} more" if more > 0 else ""
    evidence = f"; evidence: xAPI statements {shown}{tail}" if statements else ""
    return f"lrs-bridge: {skill} at level {level}{evidence}"

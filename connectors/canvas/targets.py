"""Where progress goes in Canvas: the `lms.canvas` entry of a module, path or skill in the
mapping, checked, and the value an event writes there.

Shapes (`course` is a Canvas course id, or `sis_course_id:<id>`):

- module: `{course, assignment, grade}`: when the step is completed or passed, the grade
  posted to the learner's submission: `complete` (the default), `pass`, `score` (the step's
  scaled score as a percentage; `100%` without a score) or a number of points. Other statuses
  post nothing: a completion in Canvas is never undone.
  Or `{course, column}`: the step's status (`passed 2026-03-21`, `in progress`) in a custom
  gradebook column, given by its title or id.
- path: `{course, column}` or `{course, assignment}`: the share of required steps met, as a
  percentage (`40%`), always the current one.
- skill: `{course, column}`: the level (blank, which clears the cell, without one).
"""

import math
from numbers import Real
from urllib.parse import quote

from lrs_bridge_connectors.base import Result

SECTIONS = {"module": "modules", "modules": "modules", "path": "paths", "paths": "paths",
            "skill": "skills", "skills": "skills"}
TARGETS = {"modules": ("assignment", "column"), "paths": ("assignment", "column"),
           "skills": ("column",)}
GRADES = ("complete", "pass", "score")
MET = ("completed", "passed")


def check_lms(kind: str, data) -> list[str]:
    """What is wrong with the `lms.canvas` entry `data` of a module, path or skill."""
    section = SECTIONS.get(kind)
    if section is None:
        return [f"{kind!r} is not a module, path or skill"]
    targets = TARGETS[section]
    if not isinstance(data, dict):
        return [f"expected a mapping such as {{course: 12, {targets[-1]}: ...}}"]
    allowed = {"course", *targets} | ({"grade"} if section == "modules" else set())
    problems = [f"unknown key {key!r} (known: {', '.join(sorted(allowed))})"
                for key in data if key not in allowed]
    if "course" not in data:
        problems.append("course is missing: the Canvas course id (a number, or "
                        "sis_course_id:<id>)")
    elif not _course(data["course"]):
        problems.append(f"course {data['course']!r} is not a Canvas course id (a number, "
                        f"or sis_course_id:<id>)")
    chosen = [t for t in targets if t in data]
    if not chosen:
        problems.append(f"{' or '.join(targets)} is missing: where the value goes")
    elif len(chosen) > 1:
        problems.append(f"give {' or '.join(targets)}, not both")
    if "assignment" in data and not _count(data["assignment"]):
        problems.append(f"assignment {data['assignment']!r} is not a Canvas assignment id")
    if "column" in data and not (_count(data["column"]) or _text(data["column"])):
        problems.append(f"column {data['column']!r} is neither a column title nor an id")
    if "grade" in data:
        grade = data["grade"]
        if "assignment" not in data:
            problems.append("grade goes with assignment")
        elif grade not in GRADES and not (_number(grade) and grade > 0):
            problems.append(f"grade {grade!r} is not one of {', '.join(GRADES)} or a "
                            f"number of points")
    return problems


def value(event: dict, target: dict) -> str | None:
    """The grade or column content the event writes to `target`; None when it writes
    nothing."""
    kind = event["type"]
    if kind == "step.changed":
        if "column" in target:
            return _status(event)
        return _grade(event, target.get("grade", "complete")) if event["status"] in MET else None
    if kind == "path.changed":
        return f"{math.floor(event['progress'] * 100 + 1e-9)}%"
    if kind == "skill.changed":
        return "" if event.get("level") is None else str(event["level"])
    return None


def course_ref(course) -> str:
    """A course as a URL path segment: its id, or `sis_course_id:` and the escaped SIS id."""
    return quote(str(course), safe=":")


def missing_column(course, columns: list) -> Result:
    """The failure of a column title the course does not have."""
    names = ", ".join(repr(c) for c in columns)
    return Result.permanent(f"course {course} has no custom gradebook column {names}: create "
                            f"it (POST /api/v1/courses/{course}/custom_gradebook_columns with "
                            f"column[title]), or fix the mapping")


def _grade(event: dict, grade) -> str:
    if grade == "score":
        score = event.get("score")
        return "100%" if score is None else f"{max(0, round(score * 100))}%"
    return grade if isinstance(grade, str) else f"{grade:g}"


def _status(event: dict) -> str:
    words = event["status"].replace("_", " ")
    return f"{words} {event['completed_at'][:10]}" if event.get("completed_at") else words


def _course(value) -> bool:
    return _count(value) or (_text(value) and value.startswith("sis_course_id:")
                             and len(value) > len("sis_course_id:"))


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())

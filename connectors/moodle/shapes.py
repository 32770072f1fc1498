"""What a mapping object's `lms.moodle` dict may hold, and the problems of one that does not
fit (for `mappings check` and for a delivery that meets one).

- module: {"cmid": 12, "course": 3}. `cmid` is the course module id (the N of the activity's
  address mod/<type>/view.php?id=N). `course`, optional, is its course id: when given, a
  completion is sent only for a learner enrolled there (Moodle records one for anybody).
- skill: {"competency": "PRIV-1", "framework": 2, "course": 3, "levels": {"1": 1, "2": 2}}.
  `competency` is the competency's ID number (or `competency_id`, its id); `framework`, its
  framework's id, is needed when the ID number is used in more than one framework. With
  `course` the learner is rated in that course (the competency must be linked to it and the
  learner enrolled); without, on their own competency (their learning plans). `levels` maps a
  skill level to a value of the competency's scale (1 is its first value); without it level N
  is scale value N. A level without a value sends nothing.
- path: {} (nothing: Moodle works out course completion itself from the activities).
"""

from lrs_bridge_connectors.base import Result

SHAPES = {
    "module": '{"cmid": <course module id>, "course": <course id, optional>}',
    "skill": '{"competency": "<competency ID number>" or "competency_id": <id>, '
             '"framework": <framework id, optional>, "course": <course id, optional>, '
             '"levels": {"<skill level>": <scale value, 1 = the first>} (optional)}',
    "path": "{} (Moodle takes nothing for a path)",
}

_KEYS = {"module": {"cmid", "course"},
         "skill": {"competency", "competency_id", "framework", "course", "levels"},
         "path": set()}


def problems(kind: str, data) -> list[str]:
    """What is wrong with `data` as the `lms.moodle` dict of a mapping object of `kind`
    (module, skill or path; plurals too); [] when nothing is."""
    kind = kind[:-1] if kind.endswith("s") else kind
    if kind not in SHAPES:
        return [f"Moodle knows no mapping object of kind {kind!r} "
                f"(module, skill or path)"]
    if not isinstance(data, dict):
        return [f"the Moodle {kind} must be a mapping: {SHAPES[kind]}"]
    found = [f"unknown key {key!r} (a Moodle {kind} is {SHAPES[kind]})"
             for key in sorted(set(data) - _KEYS[kind], key=str)
             if not (key == "idnumber" and kind != "path")]  # said better below
    if kind == "module":
        found += _module_problems(data)
    elif kind == "skill":
        found += _skill_problems(data)
    return found


def _module_problems(data: dict) -> list[str]:
    found = []
    if "idnumber" in data:
        found.append("Moodle has no web service that finds an activity by its ID number: "
                     "give its cmid (the N of mod/<type>/view.php?id=N)")
    elif "cmid" not in data:
        found.append("cmid is missing (the N of mod/<type>/view.php?id=N)")
    found += _ids(data, ("cmid", "course"))
    return found


def _skill_problems(data: dict) -> list[str]:
    found = []
    if "idnumber" in data:
        found.append("give the competency's ID number as \"competency\", not \"idnumber\"")
    named = [key for key in ("competency", "competency_id") if key in data]
    if len(named) != 1:
        found.append('give exactly one of "competency" (its ID number) and "competency_id"')
    if "competency" in data and not (isinstance(data["competency"], str)
                                     and data["competency"].strip()):
        found.append("competency must be the competency's ID number (text)")
    found += _ids(data, ("competency_id", "framework", "course"))
    levels = data.get("levels", {})
    if not isinstance(levels, dict):
        found.append("levels must map skill levels to scale values")
        return found
    for level, value in levels.items():
        if not str(level).isdigit():
            found.append(f"levels: {level!r} is not a skill level (0, 1, 2…)")
        if not _positive_int(value):
            found.append(f"levels: {level}: {value!r} is not a scale value (1 is the first)")
    return found


def _ids(data: dict, keys: tuple[str, ...]) -> list[str]:
    return [f"{key} must be a Moodle id (a whole number above 0), not {data[key]!r}"
            for key in keys if key in data and not _positive_int(data[key])]


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def scale_value(data: dict, level: int | None) -> int | None:
    """The scale value a skill level is rated with; None when it is rated with none."""
    if level is None:
        return None
    levels = data.get("levels")
    if levels is None:
        return level if level >= 1 else None
    value = levels.get(str(level), levels.get(level))
    return value if _positive_int(value) else None


def target_of(kind: str, name, table: dict) -> tuple[dict | None, Result | None]:
    """The `lms.moodle` dict of the mapping object `name` of `kind`, or what a delivery
    answers when there is none to act on (not mapped: ok; of the wrong shape: permanent)."""
    target = table.get(name)
    if target is None:
        return None, Result.ok(f"{kind} {name} is not mapped to Moodle")
    wrong = problems(kind, target)
    if wrong:
        return None, Result.permanent(f"the Moodle mapping of {kind} {name}: "
                                      + "; ".join(wrong))
    return target, None

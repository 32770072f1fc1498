"""Load a mappings folder into a Mapping, collecting every problem with its file and line."""

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from marshmallow import ValidationError

from lrs_bridge.journey import defaults
from lrs_bridge.journey.checks import Problem, check_mapping
from lrs_bridge.journey.model import (
    Mapping,
    Module,
    Origin,
    Phase,
    Role,
    Scale,
    Skill,
    SkillGrant,
    Step,
    Text,
)
from lrs_bridge.journey.model import (
    Path as LearningPath,
)
from lrs_bridge.mapping_files import schemas
from lrs_bridge.mapping_files.yaml_lines import (
    LineDict,
    describe_yaml_error,
    field_lines,
    line_at,
    load_yaml,
)

FILES = ("phases", "skills", "roles", "modules", "paths", "verbs", "alerts")
# Files whose top-level key holds a list of objects, each checked on its own.
_ITEM_SCHEMAS = {"phases": schemas.PhaseSchema, "skills": schemas.SkillSchema,
                 "roles": schemas.RoleSchema, "modules": schemas.ModuleSchema,
                 "paths": schemas.PathSchema}


@dataclass(frozen=True)
class Loaded:
    """A mapping and the problems found; a mapping with problems must not be put to use."""

    mapping: Mapping
    problems: list[Problem]
    cross_checked: bool = True  # False: the files have problems of their own, fix those first


def load_mapping(folder: Path | str) -> Loaded:
    """Read every mapping file of `folder`; files left out take their defaults."""
    folder = Path(folder)
    if not folder.is_dir():
        return Loaded(Mapping(), [Problem(str(folder), 0, "", "not a folder")], False)
    problems: list[Problem] = []
    items: dict[str, list] = {name: [] for name in _ITEM_SCHEMAS}
    extra: dict[str, LineDict] = {}
    for path, kind in _mapping_files(folder, problems):
        data = _read(path, folder, problems)
        if data is None:
            continue
        shown = _shown(path, folder)
        if kind in _ITEM_SCHEMAS:
            items[kind] += _load_items(kind, data, shown, problems)
        else:
            loaded = _load_whole(kind, data, shown, problems)
            if loaded is not None:
                extra[kind] = (loaded, data)
    mapping = _assemble(items, extra, folder)
    if problems:
        # Objects with problems were left out, so checks across files would report their
        # absence too: those run once every file is valid on its own.
        return Loaded(mapping, sorted(problems), cross_checked=False)
    return Loaded(mapping, check_mapping(mapping))


def _mapping_files(folder: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    found = []
    candidates = [*sorted(folder.glob("*.y*ml")), *sorted(folder.glob("modules/*.y*ml"))]
    for path in candidates:
        in_modules = path.parent != folder
        kind = "modules" if in_modules else path.stem
        if path.suffix == ".yaml" and kind in FILES:
            found.append((path, kind))
        else:
            problems.append(Problem(_shown(path, folder), 0, "",
                                    f"not a mapping file; the files are "
                                    f"{', '.join(f + '.yaml' for f in FILES)} and modules/*.yaml"))
    if not candidates:
        problems.append(Problem(str(folder), 0, "", "holds no mapping files"))
    return found


def _read(path: Path, folder: Path, problems: list[Problem]):
    shown = _shown(path, folder)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        problems.append(Problem(shown, 0, "", f"cannot be read: {err}"))
        return None
    except RecursionError:
        problems.append(Problem(shown, 0, "", "nested too deeply to read"))
        return None
    except yaml.YAMLError as err:
        line, message = describe_yaml_error(err)
        problems.append(Problem(shown, line, "", f"not valid YAML: {message}"))
        return None
    if not isinstance(data, LineDict):
        problems.append(Problem(shown, 1, "", "must be a mapping with a top-level key"))
        return None
    return data


def _load_items(kind: str, data: LineDict, shown: str, problems: list[Problem]) -> list:
    """The valid objects of a list file, each as (validated data, raw node, origin)."""
    allowed = {kind, "scale"} if kind == "skills" else {kind}
    for key in sorted(set(data) - allowed, key=str):
        problems.append(Problem(shown, data.lines[key], str(key), "unknown key"))
    if kind not in data:
        problems.append(Problem(shown, data.line, kind, f"required: a list of {kind}"))
        return []
    raw = data[kind]
    if not isinstance(raw, list):
        problems.append(Problem(shown, line_at(data, [kind]), kind, f"must be a list of {kind}"))
        return []
    if kind == "phases" and not raw:
        problems.append(Problem(shown, line_at(data, [kind]), kind,
                                "must name at least one phase (leave the file out for the "
                                "default six)"))
    schema = _ITEM_SCHEMAS[kind]()
    loaded = []
    for index, node in enumerate(raw):
        where = f"{kind}[{_item_name(node, index)}]"
        try:
            value = schema.load(node)
        except ValidationError as err:
            problems += _problems(err.messages, raw, shown, where, [index])
            continue
        origin = Origin(shown, line_at(raw, [index]), where, field_lines(node))
        loaded.append((value, origin))
    if kind == "skills" and "scale" in data:
        try:
            data_scale = schemas.ScaleSchema().load(data["scale"])
            loaded = [({**v, "scale": v.get("scale", data_scale)}, o) for v, o in loaded]
        except ValidationError as err:
            problems += _problems(err.messages, data, shown, "scale", ["scale"])
    return loaded


def _item_name(node, index: int):
    """An object's id, which the author knows it by, else its place in the list."""
    name = node.get("id") if isinstance(node, dict) else None
    return name if isinstance(name, str) and re.match(schemas.ID_PATTERN, name) else index


def _load_whole(kind: str, data: LineDict, shown: str, problems: list[Problem]):
    try:
        return schemas.FILE_SCHEMAS[kind]().load(data)
    except ValidationError as err:
        problems += _problems(err.messages, data, shown, "")
        return None


def _problems(messages, node, shown: str, where: str, base: list | None = None) -> list[Problem]:
    """marshmallow's nested messages as problems at the line of each field; `base` leads from
    `node` to the object the messages are about."""
    found = []
    base = base or []

    def walk(value, path: list):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, path if key == "_schema" else [*path, key])
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            name = _field_name(where, path)
            for message in value:
                found.append(Problem(shown, line_at(node, [*base, *path]), name,
                                     _message(message)))
        else:
            for inner in value:
                walk(inner, path)

    walk(messages, [])
    return found


def _field_name(where: str, path: list) -> str:
    name = where
    for step in path:
        if step in ("key", "value"):
            continue
        name += f"[{step}]" if isinstance(step, int) else (f".{step}" if name else str(step))
    return name


def _message(message: str) -> str:
    return {"Missing data for required field.": "required",
            "Unknown field.": "unknown key"}.get(message, message.rstrip("."))


def _shown(path: Path, folder: Path) -> str:
    return str(folder / path.relative_to(folder))


def _text(data: dict) -> Text:
    return Text(data["en"], data["nl"])


def _assemble(items: dict, extra: dict, folder: Path) -> Mapping:
    phases = tuple(Phase(v["id"], _text(v["name"]), v.get("kind"), o) for v, o in items["phases"])
    skills = tuple(
        Skill(v["id"], _text(v["name"]), Scale(**v["scale"]) if "scale" in v else Scale(),
              v.get("uri"), v.get("valid_for"), o, dict(v["lms"])) for v, o in items["skills"])
    roles = tuple(Role(v["id"], _text(v["name"]), dict(v["skills"]), tuple(v["paths"]), o)
                  for v, o in items["roles"])
    modules = tuple(_module(v, o) for v, o in items["modules"])
    paths = tuple(_path(v, o) for v, o in items["paths"])
    verbs = dict(defaults.VERBS)
    if "verbs" in extra:
        verbs.update(extra["verbs"][0]["verbs"])
    alerts = defaults.ALERTS
    if "alerts" in extra:
        loaded, node = extra["alerts"]
        alerts = replace(defaults.ALERTS, **loaded["alerts"],
                         origin=Origin(_shown(folder / "alerts.yaml", folder), node.line))
    return Mapping(phases or defaults.PHASES, skills, roles, modules, paths, verbs, alerts)


def _module(v: dict, origin: Origin) -> Module:
    grants = tuple(SkillGrant(g["skill"], g["level"], g["outcome"], g.get("min_score"),
                              Origin(origin.file, origin.line_of(f"skills[{i}]"),
                                     f"{origin.path}.skills[{i}]"))
                   for i, g in enumerate(v["skills"]))
    return Module(v["id"], _text(v["title"]), v["type"], v["phase"], v.get("activity"),
                  v.get("activity_prefix"), v.get("duration"), grants, origin, dict(v["lms"]))


def _path(v: dict, origin: Origin) -> LearningPath:
    steps = tuple(Step(s["module"], s.get("due"), s["outcome"], s["optional"],
                       tuple(s["prerequisites"]),
                       Origin(origin.file, origin.line_of(f"steps[{i}]"),
                              f"{origin.path}.steps[{i}]"))
                  for i, s in enumerate(v["steps"]))
    return LearningPath(v["id"], _text(v["name"]), v["phase"], v["audience"], v["anchor"],
                        steps, origin, dict(v["lms"]))


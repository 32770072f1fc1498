"""Checks across the mapping files: references, activity matches, cycles, levels.

The loader checks each file's own shape; these checks need the whole mapping. Each problem
names the file, line and field to fix.
"""

from collections import Counter
from dataclasses import dataclass

from lrs_bridge.journey.model import Mapping, Origin


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix, as `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else \
            f"{where}: {self.message}"


def problem(origin: Origin, name: str, message: str) -> Problem:
    """A problem in field `name` of the object written at `origin`."""
    where = f"{origin.path}.{name}" if origin.path and name else origin.path or name
    return Problem(origin.file, origin.line_of(name), where, message)


def check_mapping(mapping: Mapping) -> list[Problem]:
    """Every cross-file problem of the mapping, sorted by file and line."""
    found = (_duplicate_ids(mapping) + _references(mapping) + _activity_matches(mapping)
             + _prerequisite_cycles(mapping) + _levels(mapping) + _phase_kinds(mapping))
    return sorted(set(found))


def _duplicate_ids(mapping: Mapping) -> list[Problem]:
    found = []
    for kind, items in (("phase", mapping.phases), ("skill", mapping.skills),
                        ("role", mapping.roles), ("module", mapping.modules),
                        ("path", mapping.paths)):
        counts = Counter(item.id for item in items)
        seen = set()
        for item in items:
            if counts[item.id] > 1 and item.id in seen:
                found.append(problem(item.origin, "id", f"{kind} {item.id!r} is defined twice"))
            seen.add(item.id)
    return found


def _references(mapping: Mapping) -> list[Problem]:
    phases = {p.id for p in mapping.phases}
    skills = {s.id for s in mapping.skills}
    roles = {r.id for r in mapping.roles}
    modules = {m.id for m in mapping.modules}
    paths = {p.id for p in mapping.paths}
    found = []

    def unknown(origin, name, kind, value, known):
        if value not in known:
            found.append(problem(origin, name, f"unknown {kind} {value!r}"))

    for module in mapping.modules:
        unknown(module.origin, "phase", "phase", module.phase, phases)
        for index, grant in enumerate(module.skills):
            unknown(module.origin, f"skills[{index}].skill", "skill", grant.skill, skills)
    for role in mapping.roles:
        for skill in role.skills:
            unknown(role.origin, f"skills.{skill}", "skill", skill, skills)
        for index, path in enumerate(role.paths):
            unknown(role.origin, f"paths[{index}]", "path", path, paths)
    for path in mapping.paths:
        unknown(path.origin, "phase", "phase", path.phase, phases)
        for index, role in enumerate(path.audience or ()):
            unknown(path.origin, f"audience[{index}]", "role", role, roles)
        in_path = {step.module for step in path.steps}
        for index, step in enumerate(path.steps):
            unknown(path.origin, f"steps[{index}].module", "module", step.module, modules)
            earlier = {s.module for s in path.steps[:index]}
            for n, prerequisite in enumerate(step.prerequisites):
                if prerequisite not in in_path:
                    message = f"{prerequisite!r} is not a step of path {path.id!r}"
                elif prerequisite not in earlier:
                    message = f"{prerequisite!r} is not an earlier step of path {path.id!r}"
                else:
                    continue
                found.append(problem(path.origin, f"steps[{index}].prerequisites[{n}]",
                                     message))
        for module, count in Counter(step.module for step in path.steps).items():
            if count > 1:
                found.append(problem(path.origin, "steps",
                                     f"module {module!r} is a step more than once"))
    return found


def _activity_matches(mapping: Mapping) -> list[Problem]:
    """Two modules must never claim the same activity IRI.

    Each problem is reported on the later of the two modules. Prefixes are found by looking
    up every leading part of an IRI, so thousands of modules check in well under a second.
    """
    claims = []  # (iri, is_prefix, module), in file order
    for module in mapping.modules:
        if module.activity:
            claims.append((module.activity, False, module))
        if module.activity_prefix:
            claims.append((module.activity_prefix, True, module))
    exact: dict[str, int] = {}
    prefixes: dict[str, list[int]] = {}
    for index, (iri, is_prefix, _) in enumerate(claims):
        if is_prefix:
            prefixes.setdefault(iri, []).append(index)
        else:
            exact.setdefault(iri, index)
    found = []
    for index, (iri, is_prefix, module) in enumerate(claims):
        name = "activity_prefix" if is_prefix else "activity"
        first = (prefixes if is_prefix else exact).get(iri)
        first = first[0] if isinstance(first, list) else first
        if first is not None and first < index and claims[first][2] is not module:
            found.append(problem(module.origin, name,
                                 f"module {claims[first][2].id!r} already matches {iri!r}"))
        for length in range(1, len(iri) + (0 if is_prefix else 1)):
            for other in prefixes.get(iri[:length], ()):
                other_module = claims[other][2]
                if other_module is module:
                    continue
                if other < index:
                    found.append(problem(module.origin, name,
                                         f"{iri!r} falls under the activity_prefix of module "
                                         f"{other_module.id!r}"))
                else:
                    found.append(problem(other_module.origin, "activity_prefix",
                                         f"covers {iri!r}, which module {module.id!r} matches"))
    return found


def _prerequisite_cycles(mapping: Mapping) -> list[Problem]:
    found = []
    for path in mapping.paths:
        needs: dict[str, set[str]] = {}
        for step in path.steps:
            needs.setdefault(step.module, set()).update(step.prerequisites)
        for index, step in enumerate(path.steps):
            if _reaches(needs, step.module, step.module):
                found.append(problem(path.origin, f"steps[{index}].prerequisites",
                                     f"{step.module!r} depends on itself through its "
                                     "prerequisites"))
    return found


def _reaches(needs: dict[str, set[str]], start: str, goal: str) -> bool:
    stack, seen = list(needs.get(start, ())), set()
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(needs.get(current, ()))
    return False


def _levels(mapping: Mapping) -> list[Problem]:
    scales = {s.id: s.scale for s in mapping.skills}
    best: dict[str, int] = {}
    found = []
    for module in mapping.modules:
        for index, grant in enumerate(module.skills):
            scale = scales.get(grant.skill)
            if scale and not scale.min <= grant.level <= scale.max:
                found.append(problem(module.origin, f"skills[{index}].level",
                                     f"level {grant.level} is outside the scale "
                                     f"{scale.min}–{scale.max} of {grant.skill!r}"))
            best[grant.skill] = max(best.get(grant.skill, scale.min if scale else 0), grant.level)
    for role in mapping.roles:
        for skill, level in role.skills.items():
            scale = scales.get(skill)
            if scale is None:
                continue
            if not scale.min <= level <= scale.max:
                found.append(problem(role.origin, f"skills.{skill}",
                                     f"level {level} is outside the scale "
                                     f"{scale.min}–{scale.max} of {skill!r}"))
            elif level > best.get(skill, scale.min):
                found.append(problem(role.origin, f"skills.{skill}",
                                     f"needs level {level}, but no module gives {skill!r} "
                                     f"above level {best.get(skill, scale.min)}"))
    return found


def _phase_kinds(mapping: Mapping) -> list[Problem]:
    """One phase at most of each kind: the metrics of that kind read one phase."""
    found, first = [], {}
    for phase in mapping.phases:
        if phase.kind is None:
            continue
        if phase.kind in first:
            found.append(problem(phase.origin, "kind", f"phase {first[phase.kind]!r} is "
                                 f"already the {phase.kind} phase; mark one phase of each kind"))
        else:
            first[phase.kind] = phase.id
    return found

"""`mappings check` of the `lms` parts of modules, paths and skills: each names an installed
connector kind, and that connector finds its part complete (`check_lms`)."""

from lrs_bridge.journey.checks import Problem
from lrs_bridge.journey.model import Mapping
from lrs_bridge_connectors.registry import UnknownKind, connector_class, kinds


def lms_problems(mapping: Mapping) -> list[Problem]:
    """Every problem of the mapping's `lms` parts, in file order."""
    found = []
    for group, items in (("modules", mapping.modules), ("paths", mapping.paths),
                         ("skills", mapping.skills)):
        for item in items:
            for kind, data in sorted(item.lms.items()):
                where = f"{item.origin.path or f'{group}[{item.id}]'}.lms.{kind}"
                line = item.origin.line_of(f"lms.{kind}")
                try:
                    checker = getattr(connector_class(kind), "check_lms", None)
                except UnknownKind:
                    known = ", ".join(sorted(kinds())) or "none"
                    found.append(Problem(item.origin.file, line, where,
                                         f"no connector of kind {kind!r} is installed "
                                         f"(installed: {known})"))
                    continue
                for message in checker(group[:-1], data) if checker else ():
                    found.append(Problem(item.origin.file, line, where, message))
    return found

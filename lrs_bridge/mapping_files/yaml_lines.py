"""YAML that remembers where each value was written, for `file:line` messages."""

import re

import yaml


class LineDict(dict):
    """A YAML mapping, with `line` (its own first line) and `lines` (the line of each key)."""

    line: int = 0
    lines: dict


class LineList(list):
    """A YAML sequence, with `line` and the line of each item in `lines`."""

    line: int = 0
    lines: list


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry 1-based line numbers, and which reads
    only true/false as booleans (YAML 1.2): `on`, `no` or `yes` stay words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                              re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    written = [key_node for key_node, _ in node.value
               if key_node.tag != "tag:yaml.org,2002:merge"]
    seen = set()
    for key_node in written:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.MarkedYAMLError("while reading a mapping", node.start_mark,
                                       "keys must be plain text", key_node.start_mark)
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.MarkedYAMLError("while reading a mapping", node.start_mark,
                                       f"the key {key!r} is written twice",
                                       key_node.start_mark)
        seen.add(key)
    loader.flatten_mapping(node)  # `<<: *anchor` merges come first; written keys override
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml(text: str):
    """Parse YAML text; mappings and sequences come back as LineDict and LineList.

    Raises yaml.YAMLError (with a `problem_mark`) when the text is not YAML.
    """
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def line_at(data, path: list) -> int:
    """The line of the deepest value along `path` (keys and indexes) that exists in `data`."""
    line = getattr(data, "line", 1) or 1
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.lines[step]
            node = node[step]
        else:
            break
    return line


def field_lines(node, prefix: str = "") -> dict[str, int]:
    """Every field path under a mapping ("skills[0].level") with the line it is written on."""
    found = {}
    if isinstance(node, LineDict):
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found[name] = node.lines[key]
            found.update(field_lines(value, name))
    elif isinstance(node, LineList):
        for index, value in enumerate(node):
            name = f"{prefix}[{index}]"
            found[name] = node.lines[index]
            found.update(field_lines(value, name))
    return found


def describe_yaml_error(err: yaml.YAMLError) -> tuple[int, str]:
    """The line of a YAML mistake and a sentence about it an author understands.

    PyYAML reports where it gave up (`problem_mark`), often the line after the mistake; for
    an unclosed bracket or quote or a key without ':' the mistake is where the thing it was
    reading began (`context_mark`).
    """
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None) or ""
    mark = getattr(err, "problem_mark", None)
    start = getattr(err, "context_mark", None) or mark
    if context.startswith("while parsing a flow"):
        opened, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return _line(start), (f"the '{opened}' on this line is not closed: a '{closing}' is "
                             f"missing, or a ',' between its items")
    if context.startswith("while scanning a simple key"):
        return _line(start), "a key without ':' after it (write `key: value`)"
    if "quoted scalar" in context and "end of stream" in problem:
        return _line(start), "the quote opened on this line is not closed"
    if problem.startswith("expected <block end>"):
        return _line(mark), "the indentation of this line does not line up with the lines above"
    if problem == "mapping values are not allowed here":
        return _line(mark), ("a ':' where none can be: put a text containing ': ' in quotes, "
                            "or check the indentation")
    if problem.startswith("found character '\\t'"):
        return _line(mark), "a tab: indent with spaces"
    if problem.startswith("found undefined alias"):
        name = problem.split("'")[1] if problem.count("'") >= 2 else ""
        return _line(mark), f"*{name} refers to an anchor &{name} that is not written above it"
    if "cannot start any token" in problem:
        character = problem.split("'")[1] if problem.count("'") >= 2 else "it"
        return _line(mark), f"a value cannot start with {character}: put the value in quotes"
    return _line(mark), problem


def _line(mark) -> int:
    return mark.line + 1 if mark else 0  # marks count from 0

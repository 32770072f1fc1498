"""How Moodle's REST server reads a call's form fields: PHP turns `a[0][b]=x` into nested
arrays, then core_external validates them against the function's declared parameters. Used by
the fake Moodle; a refusal is Moodle's invalid_parameter_exception."""

import re

INT, BOOL, TEXT = "int", "bool", "text"
_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


class Invalid(ValueError):
    """Moodle would answer invalidparameter; the text is what its debuginfo says."""


def php_arrays(fields: list[tuple[str, str]]) -> dict:
    """The nested arrays PHP builds from form fields (a later field replaces an earlier one,
    as PHP does with a repeated name)."""
    top: dict = {}
    for key, value in fields:
        match = _KEY.match(key)
        if not match:
            top[key] = value
            continue
        path = [match.group(1)] + re.findall(r"\[([^\[\]]*)\]", match.group(2))
        node = top
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[path[-1]] = value
    return top


def validate(schema, value, name: str = "params"):
    """`value` (strings and dicts, as PHP has them) checked and cleaned against `schema`:
    a dict is a single structure (keys ending in "?" optional), a one-item list a multiple
    structure, INT/BOOL/TEXT a value."""
    if isinstance(schema, dict):
        return _structure(schema, value, name)
    if isinstance(schema, list):
        if not isinstance(value, dict):
            raise Invalid(f"{name} => Only arrays accepted. The bad value is: '{value}'")
        return [validate(schema[0], item, f"{name}[{key}]") for key, item in value.items()]
    if isinstance(value, dict):
        raise Invalid(f"{name} => Invalid parameter value detected: an array where a value "
                      f"was expected")
    return _scalar(schema, value, name)


def _structure(schema: dict, value, name: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{name} => Only arrays accepted. The bad value is: '{value}'")
    keys = {key.rstrip("?"): key.endswith("?") for key in schema}
    unexpected = sorted(set(value) - set(keys))
    if unexpected:
        raise Invalid(f"Unexpected keys ({', '.join(unexpected)}) detected in parameter "
                      f"array.")
    cleaned = {}
    for key, optional in keys.items():
        if key not in value:
            if optional:
                continue
            raise Invalid(f"Missing required key in single structure: {key}")
        inner = schema[key + "?" if optional else key]
        cleaned[key] = validate(inner, value[key], key)
    return cleaned


def _scalar(kind: str, value: str, name: str):
    if kind == INT:
        if not re.fullmatch(r"-?\d+", value):
            raise Invalid(f"{name} => Invalid parameter value detected: Invalid external api "
                          f"parameter: the value is \"{value}\", the server was expecting "
                          f"\"int\" type")
        return int(value)
    if kind == BOOL:
        if value not in ("0", "1"):
            raise Invalid(f"{name} => Invalid parameter value detected: Invalid external api "
                          f"parameter: the value is \"{value}\", the server was expecting "
                          f"\"bool\" type")
        return value == "1"
    return value

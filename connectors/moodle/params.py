"""Function arguments as Moodle's REST server reads them: form fields named in PHP array
syntax (`values[0]=a@x.nl`, `criteria[0][key]=email`), booleans as 1 and 0."""


def php_fields(params: dict) -> list[tuple[str, str]]:
    """The form fields of `params`: nested dicts and lists flattened recursively, booleans
    as "1"/"0", None left out (an optional argument not sent)."""
    fields: list[tuple[str, str]] = []
    for name, value in params.items():
        _flatten(str(name), value, fields)
    return fields


def _flatten(name: str, value, fields: list[tuple[str, str]]) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{name}[{key}]", item, fields)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _flatten(f"{name}[{index}]", item, fields)
    elif isinstance(value, bool):
        # PARAM_BOOL takes only 1/0 over the wire: "True" (what requests would send) fails.
        fields.append((name, "1" if value else "0"))
    else:
        fields.append((name, str(value)))

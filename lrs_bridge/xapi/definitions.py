"""Canonical Activity definitions, built from the definitions statements carry.

Data §2.4.4.1.s4: the LRS decides whom it lets change a definition (here: credentials with
the `define` scope) and may make small corrections, but should not make significant changes
such as to the correct responses. So names, descriptions, the type, moreInfo and extensions
follow the newest statement (language maps are combined per language), while the interaction
type, its correct responses and the set of interaction components are fixed by the first
definition; later ones can only add languages to the components' descriptions.
"""

from collections.abc import Iterator

# Interaction component lists whose items carry a "description" language map (Data §2.4.4.1.s14).
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_LANGUAGE_MAPS = ("name", "description")
_REPLACED = ("type", "moreInfo")
_FIXED = ("interactionType", "correctResponsesPattern")


def activities_of(statement: dict) -> Iterator[dict]:
    """Every Activity object of a statement that carries a definition, SubStatement included."""
    obj = statement.get("object")
    if isinstance(obj, dict):
        object_type = obj.get("objectType", "Activity")
        if object_type == "Activity":
            yield obj
        elif object_type == "SubStatement":
            yield from activities_of(obj)
    context = statement.get("context")
    groups = context.get("contextActivities") if isinstance(context, dict) else None
    if isinstance(groups, dict):
        for value in groups.values():
            yield from (v for v in (value if isinstance(value, list) else [value])
                        if isinstance(v, dict))


def definitions_in(statements: list[dict]) -> dict[str, dict]:
    """Activity id -> the definition the batch says, merged in batch order."""
    found: dict[str, dict] = {}
    for statement in statements:
        for activity in activities_of(statement):
            definition = activity.get("definition")
            if isinstance(definition, dict) and definition and "id" in activity:
                found[activity["id"]] = merge_definition(found.get(activity["id"]), definition)
    return found


def merge_definition(canonical: dict | None, incoming: dict) -> dict:
    """The canonical definition after a statement carrying `incoming` is accepted."""
    if not canonical:
        return {k: v for k, v in incoming.items()}
    merged = dict(canonical)
    for name in _LANGUAGE_MAPS:
        if isinstance(incoming.get(name), dict):
            merged[name] = {**(canonical.get(name) or {}), **incoming[name]}
    for name in _REPLACED:
        if name in incoming:
            merged[name] = incoming[name]
    if isinstance(incoming.get("extensions"), dict):
        merged["extensions"] = {**(canonical.get("extensions") or {}), **incoming["extensions"]}
    if "interactionType" not in canonical:
        # Not an interaction yet: the first interaction definition is taken whole.
        for name in (*_FIXED, *COMPONENT_LISTS):
            if name in incoming:
                merged[name] = incoming[name]
        return merged
    for list_name in COMPONENT_LISTS:
        # Only the component lists the interaction has; another list would make the
        # definition invalid for its interaction type.
        if list_name in incoming and list_name in canonical:
            merged[list_name] = _merge_components(canonical[list_name], incoming[list_name])
    return merged


def _merge_components(known: list | None, incoming: list) -> list:
    """Components keep their ids and order; descriptions gain the new languages."""
    if not known:
        return list(incoming)
    new_descriptions = {c.get("id"): c.get("description") for c in incoming
                        if isinstance(c, dict)}
    result = []
    for component in known:
        extra = new_descriptions.get(component.get("id"))
        if isinstance(extra, dict):
            component = {**component,
                         "description": {**(component.get("description") or {}), **extra}}
        result.append(component)
    return result

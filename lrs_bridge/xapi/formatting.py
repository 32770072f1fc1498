"""The ``format`` parameter of GET /statements: ids and canonical (Communication §2.1.3).

Both functions build new dicts and leave the stored statement untouched; ``exact`` needs no code.
"""

import copy

from lrs_bridge.xapi.agents import CONTEXT_ACTOR_LISTS, ifi_property
from lrs_bridge.xapi.definitions import COMPONENT_LISTS, activities_of

_AGENT_TYPES = ("Agent", "Group")


def to_ids_format(statement: dict) -> dict:
    """The statement with Agents, Groups, Activities and Verbs reduced to what identifies them."""
    return _reduce_statement(statement)


def to_canonical_format(statement: dict, languages: list[str],
                        definitions: dict[str, dict] | None = None) -> dict:
    """The statement with each Activity's definition replaced by the canonical one, where
    `definitions` has it, and every Activity and Verb language map reduced to one entry."""
    result = copy.deepcopy(statement)
    for activity in activities_of(result):
        canonical = (definitions or {}).get(activity.get("id"))
        if canonical:
            activity["definition"] = copy.deepcopy(canonical)
    _canonical_in_place(result, languages)
    return result


def canonical_definition(definition: dict, languages: list[str]) -> dict:
    """A copy of an Activity definition with its language maps reduced to one entry each."""
    return _canonical_activity({"definition": copy.deepcopy(definition)}, languages)["definition"]


def choose_language(language_map: dict, languages: list[str]) -> dict:
    """The single entry of a language map the ordered language ranges prefer (RFC 2616 §14.4)."""
    if not isinstance(language_map, dict) or len(language_map) <= 1:
        return dict(language_map) if isinstance(language_map, dict) else language_map
    # Sorted, so the choice does not depend on the order the client wrote the keys in.
    tags = sorted(language_map, key=lambda tag: (tag.lower(), tag))
    tag = _matching_tag(tags, languages) or _fallback_tag(tags, languages)
    return {tag: language_map[tag]}


def _matching_tag(tags: list[str], languages: list[str]) -> str | None:
    """The tag of the best-ranked range: an exact match before a prefix match, then '*'."""
    ranges = [language_range.strip().lower() for language_range in languages]
    best = None
    for tag in tags:  # sorted, so ties go to the first tag
        rank = _rank(tag, ranges)
        if rank is None:
            continue
        key = (rank, tag.lower() != ranges[rank])
        if best is None or key < best[0]:
            best = (key, tag)
    return best[1] if best else None


def _rank(tag: str, ranges: list[str]) -> int | None:
    """Position of the range whose quality applies to the tag; None when none applies.

    RFC 2616 §14.4: a tag gets the quality of the longest range matching it, and "*" matches
    every tag no other range matches. Positions stand in for qualities: the list is sorted.
    """
    matching = [index for index, language_range in enumerate(ranges)
                if _matches(language_range, tag)]
    if matching:
        return max(matching, key=lambda index: len(ranges[index]))
    return ranges.index("*") if "*" in ranges else None


def _matches(language_range: str, tag: str) -> bool:
    """RFC 2616 §14.4: the range equals the tag or a prefix of it followed by "-"."""
    tag = tag.lower()
    return language_range != "*" and (tag == language_range or tag.startswith(language_range + "-"))


def _fallback_tag(tags: list[str], languages: list[str]) -> str:
    """No range matched: prefer a tag sharing a range's primary language ("en-GB" → "en")."""
    for language_range in languages:
        primary = language_range.strip().lower().split("-")[0]
        for tag in tags:
            if tag.lower().split("-")[0] == primary:
                return tag
    return tags[0]


def _canonical_in_place(statement: dict, languages: list[str]) -> None:
    verb = statement.get("verb")
    if isinstance(verb, dict) and isinstance(verb.get("display"), dict):
        verb["display"] = choose_language(verb["display"], languages)
    obj = statement.get("object")
    if isinstance(obj, dict):
        if obj.get("objectType", "Activity") == "Activity":
            _canonical_activity(obj, languages)
        elif obj.get("objectType") == "SubStatement":
            _canonical_in_place(obj, languages)
    context = statement.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        groups = context["contextActivities"]
        for context_type, value in groups.items():
            groups[context_type] = [
                _canonical_activity(activity, languages) for activity in _as_list(value)]


def _canonical_activity(activity: dict, languages: list[str]) -> dict:
    definition = activity.get("definition") if isinstance(activity, dict) else None
    if not isinstance(definition, dict):
        return activity
    for name in ("name", "description"):
        if isinstance(definition.get(name), dict):
            definition[name] = choose_language(definition[name], languages)
    for list_name in COMPONENT_LISTS:
        for component in definition.get(list_name) or ():
            if isinstance(component, dict) and isinstance(component.get("description"), dict):
                component["description"] = choose_language(component["description"], languages)
    return activity


def _reduce_statement(statement: dict) -> dict:
    """A copy with every Agent, Group, Activity and Verb reduced; other properties kept."""
    reduced = copy.deepcopy(statement)
    if "actor" in reduced:
        reduced["actor"] = _reduce_actor(reduced["actor"])
    if isinstance(reduced.get("verb"), dict):
        reduced["verb"] = {"id": reduced["verb"].get("id")}
    if isinstance(reduced.get("object"), dict):
        reduced["object"] = _reduce_object(reduced["object"])
    if isinstance(reduced.get("authority"), dict):
        reduced["authority"] = _reduce_actor(reduced["authority"])
    if isinstance(reduced.get("context"), dict):
        reduced["context"] = _reduce_context(reduced["context"])
    return reduced


def _reduce_object(obj: dict) -> dict:
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        # objectType defaults to Activity, so the id alone identifies it.
        return {"id": obj.get("id")}
    if object_type in _AGENT_TYPES:
        return _reduce_actor(obj)
    if object_type == "SubStatement":
        return _reduce_statement(obj)
    return obj  # a StatementRef is nothing but its identifier


def _reduce_actor(actor) -> dict:
    """objectType and IFI; an anonymous Group keeps its members, each reduced to its IFI."""
    if not isinstance(actor, dict):
        return actor
    object_type = actor.get("objectType", "Agent")
    name = ifi_property(actor)
    if name is not None:
        return {"objectType": object_type, name: actor[name]}
    members = actor.get("member") or []
    return {"objectType": object_type, "member": [_reduce_actor(m) for m in members]}


def _reduce_context(context: dict) -> dict:
    for role in ("instructor", "team"):
        if isinstance(context.get(role), dict):
            context[role] = _reduce_actor(context[role])
    for list_name, role in CONTEXT_ACTOR_LISTS:  # xAPI 2.0
        for entry in context.get(list_name) or ():
            if isinstance(entry, dict) and isinstance(entry.get(role), dict):
                entry[role] = _reduce_actor(entry[role])
    groups = context.get("contextActivities")
    if isinstance(groups, dict):
        context["contextActivities"] = {
            context_type: [_reduce_object(activity) for activity in _as_list(value)]
            for context_type, value in groups.items()
        }
    return context


def _as_list(value) -> list:
    # Data §2.4.6.2.s4.b3: contextActivities values are returned as arrays.
    if isinstance(value, list):
        return value
    return [value] if value is not None else []

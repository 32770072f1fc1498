"""The Person object of the Agents resource (Communication §2.4): what the LRS knows of one
Agent, every property an array."""

from collections.abc import Iterator

from lrs_bridge.xapi.agents import context_actors, ifi_key, ifi_property


def person_of(agent: dict, statements: list[dict]) -> dict:
    """The Person for `agent`: its identifier, and the names it went by in `statements` (newest
    first, then the name given in the request). Identifiers are not joined across IFIs: the
    LRS has no directory that says two IFIs are one person."""
    key = ifi_key(agent)
    names = []
    for statement in statements:
        for found in _agents_in(statement):
            if ifi_key(found) == key and isinstance(found.get("name"), str):
                names.append(found["name"])
    if isinstance(agent.get("name"), str):
        names.append(agent["name"])
    person: dict = {"objectType": "Person"}
    if names:
        person["name"] = list(dict.fromkeys(names))
    prop = ifi_property(agent)
    person[prop] = [agent[prop]]
    return person


def _agents_in(statement: dict) -> Iterator[dict]:
    context = statement.get("context") if isinstance(statement.get("context"), dict) else {}
    for candidate in (statement.get("actor"), statement.get("object"),
                      context.get("instructor"), context.get("team"),
                      *context_actors(context)):
        if not isinstance(candidate, dict):
            continue
        if candidate.get("objectType") == "SubStatement":
            yield from _agents_in(candidate)
            continue
        yield candidate
        for member in candidate.get("member") or ():
            if isinstance(member, dict):
                yield member

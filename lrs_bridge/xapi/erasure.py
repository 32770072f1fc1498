"""Which stored records are a person's own, for erasing a person (README: Forgetting a person).

A person is named by their directory keys (xapi.agents.learner_key). A statement is theirs
when they are its actor or its object as an Agent: their own learning record, or one about
them. A statement that names them anywhere else (an instructor, a Group's member, a context
agent, a sub-statement) is somebody else's record.
"""

from lrs_bridge.xapi.agents import learner_key


def directory_form(key: str) -> str:
    """The directory key of an IFI key (xapi.agents.ifi_key): a mailto IRI in lower case."""
    return key.lower() if key.startswith("mbox:") else key


def is_own(statement: dict, keys: frozenset[str]) -> bool:
    """Whether the person with directory keys `keys` is the statement's actor, or its object
    as an Agent."""
    actor = statement.get("actor")
    if isinstance(actor, dict) and actor.get("objectType", "Agent") == "Agent" \
            and learner_key(actor) in keys:
        return True
    target = statement.get("object")
    return isinstance(target, dict) and target.get("objectType") == "Agent" \
        and learner_key(target) in keys


def attachment_hashes(statement: dict) -> set[str]:
    """The sha2 of every attachment a statement (or its sub-statement) declares."""
    found = set()
    for holder in (statement, statement.get("object")):
        if not isinstance(holder, dict):
            continue
        for attachment in holder.get("attachments") or ():
            if isinstance(attachment, dict) and isinstance(attachment.get("sha2"), str):
                found.add(attachment["sha2"])
    return found

"""Agents and Groups by their Inverse Functional Identifier (Data §2.4.2.1–§2.4.2.3).

An IFI key is one text value per Agent or identified Group, so that "the same IFI with an equal
value" (Communication §2.1.3, agent parameter) becomes string equality and an index lookup.
"""

import hashlib

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def ifi_property(actor: dict) -> str | None:
    """The name of the IFI property the Agent or Group uses; None when it has none."""
    if not isinstance(actor, dict):
        return None
    for name in IFI_PROPERTIES:
        if actor.get(name) is not None:
            return name
    return None


def ifi_key(actor: dict) -> str | None:
    """A canonical text key of an Agent's or identified Group's IFI; None for an anonymous Group."""
    name = ifi_property(actor)
    if name is None:
        return None
    value = actor[name]
    if name == "mbox":
        return "mbox:" + normalise_mbox(value)
    if name == "mbox_sha1sum":
        return "mbox_sha1sum:" + value.lower()
    if name == "openid":
        return "openid:" + value
    return "account:" + _account_text(value)


def agent_keys(actor: dict) -> set[str]:
    """The actor's own IFI key plus, for a Group, the IFI keys of its members."""
    if not isinstance(actor, dict):
        return set()
    keys = {ifi_key(actor)}
    if actor.get("objectType") == "Group":
        # Communication §2.1.3: a Group with a member matching the agent filter is a match.
        keys.update(ifi_key(member) for member in actor.get("member") or ())
    keys.discard(None)
    return keys


# xAPI 2.0 context lists: the property of each entry that holds its Agent or Group.
CONTEXT_ACTOR_LISTS = (("contextAgents", "agent"), ("contextGroups", "group"))


def context_actors(context) -> list[dict]:
    """The Agents of a context's contextAgents and the Groups of its contextGroups (xAPI
    2.0), in order; nothing for a 1.0.x context."""
    if not isinstance(context, dict):
        return []
    found = []
    for list_name, role in CONTEXT_ACTOR_LISTS:
        entries = context.get(list_name)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get(role), dict):
                found.append(entry[role])
    return found


def learner_key(actor: dict) -> str | None:
    """The key the learner directory resolves an Agent by: its IFI key, a mailto IRI whole in
    lower case."""
    key = ifi_key(actor)
    # People type e-mail addresses in any case and mean one mailbox; the spec's normal form
    # (domain only) would split one learner in two.
    return key.lower() if key is not None and key.startswith("mbox:") else key


def email_keys(email: str) -> tuple[str, str]:
    """The directory keys of an e-mail address: as `mbox` and as `mbox_sha1sum` (Data
    §2.4.2.3: the SHA-1 of the mailto IRI)."""
    mailto = "mailto:" + email.strip().lower()
    sha1 = hashlib.sha1(mailto.encode()).hexdigest()  # noqa: S324 - xAPI defines this hash
    return learner_key({"mbox": mailto}), learner_key({"mbox_sha1sum": sha1})


def account_key(home_page: str, name: str) -> str:
    """The directory key of an account (homePage, name)."""
    return learner_key({"account": {"homePage": home_page, "name": name}})


def normalise_mbox(mbox: str) -> str:
    """A mailto IRI with its scheme and domain in lower case (Data §2.4.2.3.s4.b1)."""
    scheme, _, address = mbox.partition(":")
    local, at, domain = address.rpartition("@")
    if not at:
        return scheme.lower() + ":" + address
    return f"{scheme.lower()}:{local}@{domain.lower()}"


def _account_text(account: dict) -> str:
    # The key splits at the first "|": an IRI cannot hold a bare "|" (RFC 3987), so escaping
    # one that slipped through keeps the split unambiguous, whatever the name contains.
    home_page = str(account.get("homePage", "")).replace("|", "%7C")
    return f"{home_page}|{account.get('name', '')}"


def credential_key(statement: dict, authority_home: str) -> str | None:
    """The key of this LRS's credential that stored `statement`: the name of its authority's
    account when the account is on `authority_home`; None for any other authority."""
    account = (statement.get("authority") or {}).get("account") or {}
    if account.get("homePage") != authority_home:
        return None
    return account.get("name")

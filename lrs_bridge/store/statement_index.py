"""Rows of the statement query index: which filter values each statement answers to."""

from collections.abc import Callable, Iterable

from lrs_bridge.xapi.index_keys import index_keys, key_hash, statement_ref_target

# Filter kinds and their number in statement_index.kind. Never renumber: rows are stored.
KINDS = {
    "verb": 1,
    "registration": 2,
    "agent": 3,
    "agent_related": 4,
    "activity": 5,
    "activity_related": 6,
    "authority": 7,
}

Keys = set[tuple[int, int]]


def own_keys(statement: dict) -> Keys:
    """(kind, key hash) pairs of a statement's own filter values."""
    return {
        (KINDS[kind], key_hash(kind, value))
        for kind, values in index_keys(statement).items()
        for value in values
    }


def authority_pair(authority_key: str) -> tuple[int, int]:
    """The index pair that marks a statement as stored under a credential (read/mine)."""
    return KINDS["authority"], key_hash("authority", authority_key)


def filter_keys(statement: dict, lookup: Callable[[str], dict | None]) -> Keys:
    """Own filter values plus those of the statements it targets by StatementRef, recursively.

    Communication §2.1.3: a statement targeting another meets every non-time filter the
    target meets. The authority is not a filter, so it is not inherited.
    """
    keys = own_keys(statement)
    seen = set()
    target_id = statement_ref_target(statement)
    while target_id and target_id not in seen:
        seen.add(target_id)
        target = lookup(target_id)
        if target is None:
            break
        keys |= own_keys(target)
        target_id = statement_ref_target(target)
    return keys


def index_rows(tenant_id: int, stored: int, seq: int, keys: Iterable[tuple[int, int]]) -> list:
    """The statement_index rows for one statement."""
    return [
        {"tenant_id": tenant_id, "kind": kind, "key": key, "stored": stored, "seq": seq}
        for kind, key in keys
    ]

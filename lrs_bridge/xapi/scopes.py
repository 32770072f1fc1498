"""Authorization scopes: xAPI's (Communication §4.2), lrs-bridge's own, and what each one lets a
client do."""

from dataclasses import dataclass

SCOPES = (
    "statements/write",
    "statements/read",
    "statements/read/mine",
    "state",
    "define",
    "profile",
    "all/read",
    "all",
    # lrs-bridge's: read learners' progress, alerts and the engine's status under /api/v1,
    # and nothing under /xapi.
    "progress/read",
)

# What a request needs -> the scopes that grant it.
_GRANTED_BY = {
    "statements/write": {"statements/write", "all"},
    "statements/read": {"statements/read", "all/read", "all"},
    "statements/read/mine": {"statements/read/mine", "statements/read", "all/read", "all"},
    "state": {"state", "all"},
    "state/read": {"state", "all/read", "all"},
    "profile": {"profile", "all"},
    "profile/read": {"profile", "all/read", "all"},
    "define": {"define", "all"},
    # The Activities and Agents resources (not in §4.2's table): activity definitions are
    # content metadata; the names of people come from statements, so need statements/read.
    "activities/read": {"statements/read", "all/read", "all", "define", "profile"},
    "agents/read": {"statements/read", "all/read", "all"},
    # /api/v1: the mapping is configuration, for those who may read everything or define.
    "mappings/read": {"all/read", "all", "define"},
    "progress/read": {"progress/read", "all/read", "all"},
}


@dataclass(frozen=True)
class Credential:
    """An authenticated client: who it is, what it may do, which tenant's store it sees."""

    id: int
    name: str
    key: str
    scopes: frozenset[str]
    tenant_id: int

    def allows(self, need: str) -> bool:
        """Whether the credential's scopes grant `need` (a key of the scope table)."""
        return bool(_GRANTED_BY[need] & self.scopes)

    def reads_only_own_statements(self) -> bool:
        """True when the credential may read statements only if it is their authority."""
        return not self.allows("statements/read") and self.allows("statements/read/mine")


def check_scopes(scopes: list[str]) -> list[str]:
    """Return the scopes unchanged, or raise ValueError naming the first unknown one."""
    if not scopes:
        raise ValueError("at least one scope is required")
    for scope in scopes:
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}; known scopes: {', '.join(SCOPES)}")
    return scopes

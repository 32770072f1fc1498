"""Configuration read once from LRS_BRIDGE_* environment variables into a frozen Settings."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

PREFIX = "LRS_BRIDGE_"


@dataclass(frozen=True)
class Settings:
    """Everything the app, the worker and the CLI need to know about their environment."""

    database_url: str = "sqlite:///lrs-bridge.db"
    mappings: str = "mappings"
    # Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = 20 * 1024 * 1024
    # Largest number of statements in one POST (413 above it).
    max_batch: int = 1000
    # Statements per page of GET /statements when the client asks for limit=0 or more.
    page_limit: int = 500
    # The homePage of the account that identifies a credential as statement authority.
    authority_home: str = "https://lrs-bridge.invalid/credentials"
    # Seconds subtracted from "now" in X-Experience-API-Consistent-Through. A statement is
    # visible once its transaction commits and `stored` is taken inside that transaction,
    # so the lag is the commit time of one write (milliseconds); raise it for replicas.
    consistency_lag: float = 0.0
    # Seconds a process keeps a credential row before reading it again: a revoked
    # credential stops working within this time.
    credential_cache_seconds: float = 2.0
    log_level: str = "INFO"
    # werkzeug password-hash method for credential secrets (tests use a cheap one).
    secret_hash_method: str = "scrypt"  # noqa: S105 (a method name, not a secret)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Read LRS_BRIDGE_<FIELD> variables; keyword overrides win over the environment."""
        environ = os.environ if environ is None else environ
        values = {}
        for field in fields(cls):
            raw = environ.get(PREFIX + field.name.upper())
            if raw is None:
                continue
            try:
                values[field.name] = _convert(field.type, raw)
            except ValueError:
                raise ValueError(
                    f"{PREFIX}{field.name.upper()}: {raw!r} is not a valid {field.type}"
                ) from None
        return replace(cls(**values), **overrides)


def _convert(kind, raw: str):
    if kind in (int, "int"):
        return int(raw)
    if kind in (float, "float"):
        return float(raw)
    return raw

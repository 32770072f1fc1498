"""Configuration read once from LRS_BRIDGE_* environment variables into a frozen Settings."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PREFIX = "LRS_BRIDGE_"
DATABASE_FILE = "lrs-bridge.db"
MAPPINGS_FOLDER = "mappings"
_TYPE_NAMES = {int: "whole number", float: "number",
               bool: "yes/no value (1, 0, true, false, yes, no)"}
_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True,
             "0": False, "false": False, "no": False, "off": False, "": False}


@dataclass(frozen=True)
class Settings:
    """Everything the app, the worker and the CLI need to know about their environment."""

    # The data folder: the default database and mappings folder live in it, so every command
    # finds the same ones wherever it is run from. Stored as an absolute path.
    home: str = "."
    # Empty: sqlite:///<home>/lrs-bridge.db. A relative SQLite path is made absolute (from the
    # current folder, as SQLite would read it) so that every message names the real file.
    database_url: str = ""
    # Empty: <home>/mappings. Stored as an absolute path.
    mappings: str = ""
    # Largest request body accepted, in bytes (413 above it).
    max_body_bytes: int = 20 * 1024 * 1024
    # Largest number of statements in one POST (413 above it).
    max_batch: int = 1000
    # Statements per page of GET /statements when the client asks for limit=0 or more.
    page_limit: int = 500
    # The homePage of the account that identifies a credential as statement authority.
    authority_home: str = "https://lrs-bridge.invalid/credentials"
    # Seconds subtracted from X-Experience-API-Consistent-Through. The header is exact when
    # every writer reads `stored` from the clock of the host that answers (the write
    # barrier, store/write_barrier.py, waits for the writes in flight); raise the lag by
    # the clock difference when servers on several hosts share one PostgreSQL, or by how
    # far the clock may be stepped back, or by the delay of a replica if reads ever go to one.
    consistency_lag: float = 0.0
    # Seconds a process keeps a credential row before reading it again: a revoked
    # credential stops working within this time.
    credential_cache_seconds: float = 2.0
    log_level: str = "INFO"
    # The key (Fernet, `lrs-bridge connector key` makes one) that LMS tokens stored with
    # `connector add --store-token` are encrypted with. Never logged.
    secret_key: str = field(default="", repr=False)
    # Minutes between two runs of the time-based alert rules (overdue, stalled, expiring …)
    # in the progress worker.
    alert_scan_minutes: float = 15.0
    # Marks the progress worker claims per transaction. On SQLite a batch holds the write
    # lock while it runs, so a smaller batch keeps statement writes waiting less.
    worker_batch: int = 200
    # Seconds a delivery worker holds the events it took; if it dies meanwhile (even killed
    # outright), they fall due again after this long. Longer than the slowest LMS answer.
    delivery_lease_seconds: float = 120.0
    # Failed attempts after which a delivery is a dead letter (5 s doubling to 6 h between
    # attempts, with jitter: 20 attempts span one to two days of an LMS that is down).
    delivery_attempts: int = 20
    # Deliveries a worker has under way at once (threads waiting on the LMS), each for
    # another learner or connector.
    delivery_threads: int = 8
    # How much lower than requests the worker `serve` starts runs (a niceness, 0 to 19):
    # requests come first, and folding and deliveries use the CPU they leave.
    worker_nice: int = 10
    # werkzeug password-hash method for credential secrets (tests use a cheap one).
    secret_hash_method: str = "scrypt"  # noqa: S105 (a method name, not a secret)
    # The key that signs dashboard sessions (at least 32 characters). Empty: a random key
    # made once and kept in <home>/session.key. Every process behind one address must use
    # the same key (give several hosts this variable). Never logged.
    session_key: str = field(default="", repr=False)
    # Mark the dashboard's session cookie Secure (sent over HTTPS only): set it when the
    # dashboard is reached over HTTPS, as it should be anywhere but on one's own machine.
    secure_cookies: bool = False

    def __post_init__(self):
        home = os.path.abspath(os.path.expanduser(self.home))
        database_url = self.database_url or f"sqlite:///{os.path.join(home, DATABASE_FILE)}"
        mappings = os.path.expanduser(self.mappings or os.path.join(home, MAPPINGS_FOLDER))
        # The dataclass is frozen for everyone else; resolving happens once, here.
        object.__setattr__(self, "home", home)
        object.__setattr__(self, "database_url", absolute_sqlite_url(database_url))
        object.__setattr__(self, "mappings", os.path.abspath(mappings))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Read LRS_BRIDGE_<FIELD> variables; keyword overrides win over the environment."""
        environ = os.environ if environ is None else environ
        values = {}
        for setting in fields(cls):
            raw = environ.get(PREFIX + setting.name.upper())
            if raw is None:
                continue
            try:
                values[setting.name] = _convert(setting.type, raw)
            except ValueError:
                raise ValueError(
                    f"{PREFIX}{setting.name.upper()}: {raw!r} is not a valid "
                    f"{_TYPE_NAMES.get(setting.type, setting.type)}"
                ) from None
        return cls(**{**values, **overrides})


def variable_names() -> list[str]:
    """The environment variable of every setting, e.g. LRS_BRIDGE_DATABASE_URL."""
    return [PREFIX + setting.name.upper() for setting in fields(Settings)]


def absolute_sqlite_url(url: str) -> str:
    """`url` with a relative SQLite file path made absolute; any other URL unchanged."""
    if not url.startswith("sqlite"):
        return url
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # the command that opens it says what is wrong
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:") \
            or os.path.isabs(database):
        return url
    return parsed.set(database=os.path.abspath(database)).render_as_string(hide_password=False)


def _convert(kind, raw: str):
    if kind in (bool, "bool"):
        if raw.strip().lower() not in _BOOLEANS:
            raise ValueError(raw)
        return _BOOLEANS[raw.strip().lower()]
    if kind in (int, "int"):
        return int(raw)
    if kind in (float, "float"):
        return float(raw)
    return raw

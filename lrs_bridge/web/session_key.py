"""The key that signs dashboard sessions: LRS_BRIDGE_SESSION_KEY, else one made once and
kept in the data folder, so that `serve` works on a fresh machine and every process on it
(gunicorn's workers, a restart) signs with the same key."""

import os
import secrets
from pathlib import Path

from lrs_bridge.settings import Settings

KEY_FILE = "session.key"
MIN_LENGTH = 32


class SessionKeyError(ValueError):
    """No usable session key: too short, or the data folder cannot keep one."""


def session_key(settings: Settings) -> str:
    """The session-signing key for these settings (made and stored on first use)."""
    if settings.session_key:
        if len(settings.session_key) < MIN_LENGTH:
            raise SessionKeyError(f"LRS_BRIDGE_SESSION_KEY: too short; give at least "
                                  f"{MIN_LENGTH} random characters")
        return settings.session_key
    return stored_key(Path(settings.home) / KEY_FILE)


def key_source(settings: Settings) -> str:
    """Where the key comes from, for the start-up banner (never the key itself)."""
    if settings.session_key:
        return "LRS_BRIDGE_SESSION_KEY"
    return str(Path(settings.home) / KEY_FILE)


def stored_key(path: Path) -> str:
    """The key in `path`; a new random one written there (readable by its owner only) when
    the file does not exist yet."""
    try:
        try:
            return _read(path)
        except FileNotFoundError:
            _create(path)
            return _read(path)
    except OSError as err:
        raise SessionKeyError(
            f"cannot keep the dashboard's session key in {path}: {err.strerror or err}; make "
            f"the folder writable, or set LRS_BRIDGE_SESSION_KEY") from None


def _create(path: Path) -> None:
    # Written whole under a private name, then linked into place: a process starting at the
    # same moment either links first (and the other reads its key) or finds the file
    # complete, never half written.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: everyone uses theirs
    finally:
        temporary.unlink(missing_ok=True)


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_LENGTH:
        raise SessionKeyError(f"{path}: the session key in it is too short; delete the file "
                              f"(everyone is signed out) or set LRS_BRIDGE_SESSION_KEY")
    return key

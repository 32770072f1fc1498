"""HTTP Basic authentication against hashed credentials, and scope checks."""

import hashlib
import secrets
import threading
import time

from flask import Flask, current_app
from werkzeug.datastructures import Authorization
from werkzeug.security import check_password_hash, generate_password_hash

from lrs_bridge.store.credentials import CredentialStore
from lrs_bridge.xapi.errors import Forbidden, Unauthorized
from lrs_bridge.xapi.scopes import Credential

# Verified (credential id, secret hash) pairs are remembered this long, so that the slow
# password hash runs once per client and not on every request.
_VERIFIED_SECONDS = 300


class Authenticator:
    """Checks Basic credentials; caches successful secret checks for a few minutes."""

    def __init__(self, store: CredentialStore, row_seconds: float = 0.0):
        self.store = store
        # Credential rows are re-read after this many seconds, so a revocation takes effect
        # within that time (0: on the next request).
        self.row_seconds = row_seconds
        self._rows: dict[str, tuple[float, tuple]] = {}
        # Checked against when the key is unknown, so that a wrong key costs as much time as
        # a wrong secret and response times don't tell which keys exist.
        self._dummy_hash = generate_password_hash(secrets.token_hex(16), store.hash_method)
        self._verified: dict[tuple[int, bytes], float] = {}
        self._lock = threading.Lock()

    def authenticate(self, header: str | None) -> Credential:
        """The credential named by an Authorization header; Unauthorized when it is not valid."""
        try:
            auth = Authorization.from_header(header) if header else None
        except ValueError:  # werkzeug lets base64's error for non-ASCII text through
            auth = None
        if auth is None or auth.type != "basic" or not auth.username:
            raise Unauthorized("HTTP Basic credentials are required")
        # No key has control characters (PostgreSQL cannot even look one with NUL up).
        found = self._find(auth.username) if auth.username.isprintable() else None
        if found is None:
            check_password_hash(self._dummy_hash, auth.password or "")
            raise Unauthorized("unknown key or wrong secret")
        credential, secret_hash = found
        if not self._secret_ok(credential.id, secret_hash, auth.password or ""):
            raise Unauthorized("unknown key or wrong secret")
        return credential

    def _find(self, key: str):
        now = time.monotonic()
        cached = self._rows.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        found = self.store.find(key)
        # Only found rows are kept: a credential created a moment ago works at once.
        if found is not None and self.row_seconds > 0:
            if len(self._rows) > 10_000:
                self._rows.clear()
            self._rows[key] = (now + self.row_seconds, found)
        return found

    def _secret_ok(self, credential_id: int, secret_hash: str, secret: str) -> bool:
        token = (credential_id, hashlib.sha256(f"{secret_hash}\0{secret}".encode()).digest())
        now = time.monotonic()
        with self._lock:
            if self._verified.get(token, 0) > now:
                return True
        if not check_password_hash(secret_hash, secret):
            return False
        with self._lock:
            if len(self._verified) > 10_000:
                self._verified = {k: t for k, t in self._verified.items() if t > now}
            self._verified[token] = now + _VERIFIED_SECONDS
        return True


def init_app(app: Flask, store: CredentialStore, row_seconds: float = 0.0) -> None:
    """Attach an Authenticator to `app`."""
    app.extensions["lrs_bridge_auth"] = Authenticator(store, row_seconds)


def authenticate(header: str | None) -> Credential:
    """Authenticate a request's Authorization header with the current app's Authenticator."""
    return current_app.extensions["lrs_bridge_auth"].authenticate(header)


def require(credential: Credential, need: str) -> None:
    """Forbidden unless the credential's scopes grant `need`."""
    if not credential.allows(need):
        raise Forbidden(f"the credential's scopes do not allow {need}")

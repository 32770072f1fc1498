"""LMS tokens at rest: encrypted with Fernet (the `cryptography` package) under the key in
LRS_BRIDGE_SECRET_KEY, or not stored at all (read from an environment variable when used)."""

import os

from cryptography.fernet import Fernet, InvalidToken


class TokenError(ValueError):
    """A token cannot be had; the message says what to do, and never holds the token."""


def new_key() -> str:
    """A new key for LRS_BRIDGE_SECRET_KEY."""
    return Fernet.generate_key().decode()


def seal(token: str, key: str) -> str:
    return _fernet(key).encrypt(token.encode()).decode()


def unseal(sealed: str, key: str) -> str:
    try:
        return _fernet(key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise TokenError("the stored token cannot be decrypted with LRS_BRIDGE_SECRET_KEY "
                         "(was the key changed?); add the connector again") from None


def from_environment(variable: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        raise TokenError(f"the environment variable {variable} that holds the token is not "
                         f"set in this process")
    return value


def _fernet(key: str) -> Fernet:
    if not key:
        raise TokenError("LRS_BRIDGE_SECRET_KEY is not set: make one with "
                         "`lrs-bridge connector key` and set it for every lrs-bridge process")
    try:
        return Fernet(key.encode())
    except ValueError:
        raise TokenError("LRS_BRIDGE_SECRET_KEY is not a key `lrs-bridge connector key` "
                         "made (32 url-safe base64-encoded bytes)") from None

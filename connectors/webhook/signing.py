"""Standard Webhooks signatures (https://www.standardwebhooks.com/, the `v1` scheme).

The signature is `v1,` and the base64 HMAC-SHA256, keyed with the secret, of
`"{webhook-id}.{webhook-timestamp}.{body}"`; the header may hold several, separated by spaces
(a receiver rotating its secret). The secret is shown as `whsec_` + base64; a secret without
that prefix is used as it is (its UTF-8 bytes).
"""

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

PREFIX = "whsec_"
TOLERANCE = 300  # seconds either side of now, as the Standard Webhooks libraries allow


def secret_bytes(secret: str | bytes) -> bytes:
    """The HMAC key of a secret: the base64 after `whsec_`, else the secret's own bytes."""
    if isinstance(secret, bytes):
        return secret
    if secret.startswith(PREFIX):
        try:
            return base64.b64decode(secret[len(PREFIX):], validate=True)
        except binascii.Error:
            raise ValueError("the secret after whsec_ is not base64") from None
    return secret.encode()


def sign(secret: str | bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` of `body` as sent with this id and timestamp."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str | bytes, headers: Mapping[str, str], body: bytes | str,
           tolerance: int = TOLERANCE, now: float | None = None) -> bool:
    """True when `body` and `headers` (webhook-id, webhook-timestamp, webhook-signature, in
    any case) carry a signature made with `secret`, stamped within `tolerance` seconds of now."""
    found = {name.lower(): value for name, value in headers.items()}
    message_id = found.get("webhook-id")
    stamp = found.get("webhook-timestamp", "")
    signatures = found.get("webhook-signature", "")
    if not message_id or not stamp.isdigit():
        return False
    moment = time.time() if now is None else now
    if abs(moment - int(stamp)) > tolerance:
        return False  # stale or from the future: a replay, or a clock to fix
    raw = body.encode() if isinstance(body, str) else body
    expected = sign(secret, message_id, int(stamp), raw).encode()
    # Compare every offered signature in constant time, so timing tells nothing.
    return any(hmac.compare_digest(offered.encode(), expected)
               for offered in signatures.split())

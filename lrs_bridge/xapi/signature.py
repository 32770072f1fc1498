"""Signed statements: JWS signature attachments (Data §2.6)."""

import base64

import orjson
from cryptography import x509
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.util import urlsafe_b64decode

from lrs_bridge.xapi.compare import statements_equivalent
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.multipart import AttachmentPart

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
_ALGORITHMS = ("RS256", "RS384", "RS512")  # Data §2.6.s4.b4
_PREFIX = "signature attachment"


def _registry() -> jws.JWSRegistry:
    # joserfc allows only its "recommended" algorithms by default; xAPI names these three.
    # Private header parameters are legal in a JWS (RFC 7515 §4.3), so do not refuse them.
    registry = jws.JWSRegistry(algorithms=_ALGORITHMS, strict_check_header=False)
    # An x5c chain outgrows joserfc's 512-byte header limit, RSA keys over 6144 bits its
    # signature limit, and a statement its payload limit; the request size is capped upstream.
    registry.max_header_length = 64 * 1024
    registry.max_signature_length = 4 * 1024
    registry.max_payload_length = 64 * 1024 * 1024
    return registry


def check_signatures(statement: dict, parts_by_sha2: dict[str, AttachmentPart]) -> None:
    """Refuse a statement whose signature attachment is not a valid JWS of the statement."""
    for attachment in statement.get("attachments") or ():
        if attachment.get("usageType") == SIGNATURE_USAGE:
            _check_signature(attachment, statement, parts_by_sha2)


def _check_signature(attachment: dict, statement: dict, parts: dict[str, AttachmentPart]):
    media_type = str(attachment.get("contentType", "")).partition(";")[0].strip().lower()
    if media_type != "application/octet-stream":
        raise BadRequest(f"{_PREFIX}: contentType must be application/octet-stream "
                         "(Data §2.6.s4.b1)")
    part = parts.get(attachment["sha2"].lower())
    if part is None:
        # The LRS must decode the JWS (Data §2.6.s5.b3), so a fileUrl alone will not do.
        raise BadRequest(f"{_PREFIX}: its JWS must be sent as a part of a multipart/mixed "
                         "request")
    _check_jws(part.data.strip(), _unsigned(statement))


def _check_jws(token: bytes, statement: dict) -> None:
    registry = _registry()
    try:
        signed = jws.extract_compact(token, registry=registry)
    except (JoseError, ValueError, TypeError):
        raise BadRequest(f"{_PREFIX}: not a JWS in compact serialization "
                         "(Data §2.6.s4.b2)") from None
    if not _decodes(signed.segments["signature"]):
        raise BadRequest(f"{_PREFIX}: the JWS signature is missing or not base64url")
    algorithm = signed.protected.get("alg")
    if algorithm not in _ALGORITHMS:
        raise BadRequest(f"{_PREFIX}: JWS alg {algorithm!r} is not one of "
                         f"{', '.join(_ALGORITHMS)} (Data §2.6.s4.b4)")
    try:
        payload = orjson.loads(signed.payload)
    except orjson.JSONDecodeError:
        raise BadRequest(f"{_PREFIX}: the JWS payload is not JSON") from None
    if not isinstance(payload, dict) or not statements_equivalent(payload, statement, strict=True):
        raise BadRequest(f"{_PREFIX}: the JWS payload is not the statement as it was before "
                         "the signature was added (Data §2.6.s5.b3)")
    if "x5c" in signed.protected:
        key = _certificate_key(signed.protected["x5c"])
        try:
            jws.deserialize_compact(token, key, algorithms=[algorithm], registry=registry)
        except (JoseError, ValueError, TypeError):
            raise BadRequest(f"{_PREFIX}: the JWS signature does not verify with the key of "
                             "its x5c certificate") from None


def _decodes(segment: bytes) -> bool:
    # Without an x5c certificate nothing verifies the signature, but it must still be there.
    try:
        return bool(urlsafe_b64decode(segment))
    except ValueError:
        return False


def _certificate_key(chain) -> RSAKey:
    """The RSA public key of the signing certificate, the first in the x5c chain."""
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise BadRequest(f"{_PREFIX}: x5c must be a list of base64 DER certificates")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        return RSAKey.import_key(certificate.public_key())
    except (JoseError, ValueError, TypeError):
        raise BadRequest(f"{_PREFIX}: the first x5c entry is not an X.509 certificate "
                         "holding an RSA key") from None


def _unsigned(statement: dict) -> dict:
    """The statement as it was before the signature attachment was added."""
    kept = [a for a in statement.get("attachments") or () if a.get("usageType") != SIGNATURE_USAGE]
    unsigned = {key: value for key, value in statement.items() if key != "attachments"}
    if kept:
        unsigned["attachments"] = kept
    return unsigned

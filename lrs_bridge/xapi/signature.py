"""Signed statements: JWS signature attachments (Data §2.6)."""

import base64
import binascii

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from lrs_bridge.xapi.compare import statements_equivalent
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.multipart import AttachmentPart

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
_ALGORITHMS = ("RS256", "RS384", "RS512")


def _registry() -> jws.JWSRegistry:
    # joserfc allows only its "recommended" algorithms by default; xAPI names these three.
    registry = jws.JWSRegistry(algorithms=_ALGORITHMS)
    # An x5c certificate chain does not fit joserfc's default 512-byte header limit, and a
    # statement may be larger than its payload limit; the request size is capped upstream.
    registry.max_header_length = 64 * 1024
    registry.max_payload_length = 64 * 1024 * 1024
    return registry


def check_signatures(statement: dict, parts_by_sha2: dict[str, AttachmentPart]) -> None:
    """Refuse a statement whose signature attachment is not a valid JWS of the statement."""
    for attachment in statement.get("attachments") or ():
        if attachment.get("usageType") != SIGNATURE_USAGE:
            continue
        if attachment.get("contentType") != "application/octet-stream":
            raise BadRequest("signature attachment: contentType must be application/octet-stream")
        part = parts_by_sha2.get(attachment["sha2"].lower())
        if part is None:
            raise BadRequest("signature attachment: its JWS must be sent as a multipart part")
        _check_jws(part.data, _unsigned(statement))


def _check_jws(token: bytes, statement: dict) -> None:
    algorithm = _header_algorithm(token)
    if algorithm not in _ALGORITHMS:
        raise BadRequest(f"signature attachment: alg must be one of {', '.join(_ALGORITHMS)}")
    try:
        signed = jws.extract_compact(token.strip(), registry=_registry())
    except (JoseError, ValueError, binascii.Error):
        raise BadRequest("signature attachment: not a valid JWS in compact serialization") from None
    try:
        payload = orjson.loads(signed.payload)
    except orjson.JSONDecodeError:
        raise BadRequest("signature attachment: the JWS payload is not JSON") from None
    if not isinstance(payload, dict) or not statements_equivalent(payload, statement):
        raise BadRequest("signature attachment: the JWS payload differs from the statement")
    if "x5c" in signed.protected:
        _verify_with_certificate(token.strip(), signed.protected["x5c"], algorithm)


def _header_algorithm(token: bytes) -> str | None:
    """The alg of a compact JWS, read before joserfc refuses algorithms it does not allow."""
    try:
        header = token.strip().split(b".")[0]
        return orjson.loads(base64.urlsafe_b64decode(header + b"=" * (-len(header) % 4)))["alg"]
    except (ValueError, TypeError, KeyError, IndexError, binascii.Error):
        raise BadRequest("signature attachment: not a JWS in compact serialization") from None


def _verify_with_certificate(token: bytes, chain, algorithm: str) -> None:
    try:
        der = base64.b64decode(chain[0], validate=True)
        public_key = x509.load_der_x509_certificate(der).public_key()
        jws.deserialize_compact(token, RSAKey.import_key(public_key), algorithms=[algorithm],
                                registry=_registry())
    except (JoseError, ValueError, TypeError, IndexError, binascii.Error, InvalidSignature):
        raise BadRequest(
            "signature attachment: the signature does not verify with its x5c certificate"
        ) from None


def _unsigned(statement: dict) -> dict:
    """The statement as it was before the signature attachment was added."""
    kept = [a for a in statement.get("attachments") or () if a.get("usageType") != SIGNATURE_USAGE]
    unsigned = {key: value for key, value in statement.items() if key != "attachments"}
    if kept:
        unsigned["attachments"] = kept
    return unsigned

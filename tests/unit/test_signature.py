"""Signed statements: JWS structure, algorithm, payload and x5c checks (Data §2.6)."""

import base64
import copy
import datetime
import hashlib
import json

import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st
from joserfc import jws
from joserfc.jwk import ECKey, OctKey, RSAKey

from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.multipart import AttachmentPart
from lrs_bridge.xapi.signature import SIGNATURE_USAGE, check_signatures

STATEMENT = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {"mbox": "mailto:anna@example.com", "name": "Anna"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
    "object": {"id": "https://example.com/exams/privacy"},
}
# The test signs with algorithms the LRS refuses, and with a private header parameter.
REGISTRY = jws.JWSRegistry(algorithms=["RS256", "RS384", "RS512", "HS256", "ES256", "PS256"],
                           strict_check_header=False)
REGISTRY.max_header_length = 16 * 1024


def _certificate(private_key) -> str:
    """A self-signed certificate for the key, base64 DER as x5c carries it."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "content signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(private_key, hashes.SHA256()))
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


@pytest.fixture(scope="module")
def signer():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return RSAKey.import_key(key), _certificate(key)


def _token(key, alg="RS256", payload=STATEMENT, **header) -> bytes:
    raw = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    return jws.serialize_compact({"alg": alg, **header}, raw, key, registry=REGISTRY).encode()


def _raw_token(header: dict, signature: bytes = b"sig") -> bytes:
    """A compact JWS put together by hand, for headers joserfc would not sign."""
    segments = [orjson.dumps(header), orjson.dumps(STATEMENT), signature]
    return b".".join(base64.urlsafe_b64encode(s).rstrip(b"=") for s in segments)


def _signed(token: bytes, statement=STATEMENT, content_type="application/octet-stream"):
    """The statement with the token as its signature attachment, and the parts by sha2."""
    sha = hashlib.sha256(token).hexdigest()
    signed = {**statement, "attachments": [*statement.get("attachments", ()), {
        "usageType": SIGNATURE_USAGE, "display": {"en-US": "signature"},
        "contentType": content_type, "length": len(token), "sha2": sha}]}
    return signed, {sha: AttachmentPart(sha, content_type, token)}


def _accepted(statement: dict, parts: dict) -> None:
    """The statement passes (a refusal raises BadRequest) and is left as it was: it is
    stored with its signature attachment."""
    before = copy.deepcopy(statement)
    check_signatures(statement, parts)
    assert statement == before


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_statement_signed_with_an_rs_algorithm_and_x5c_is_accepted(signer, alg):
    key, cert = signer
    _accepted(*_signed(_token(key, alg, x5c=[cert])))


def test_signature_without_x5c_is_accepted_unverified():
    # Data §2.6.s5.b3.b3 validates against an X.509 certificate only when the header has
    # one: without it the LRS holds no key, so a signature by any key is well formed.
    _accepted(*_signed(_token(RSAKey.generate_key(2048))))


def test_payload_serialised_differently_from_the_statement_is_accepted(signer):
    key, cert = signer
    # Appendix D signs an indented, CRLF-separated serialization with its own key order.
    raw = json.dumps(dict(reversed(STATEMENT.items())), indent=4).replace("\n", "\r\n")
    _accepted(*_signed(_token(key, payload=raw.encode(), x5c=[cert])))


def test_other_attachments_stay_beside_the_signature(signer):
    key, cert = signer
    other = {"usageType": "https://example.com/essay", "display": {"en-US": "essay"},
             "contentType": "text/plain", "length": 5, "sha2": "ab" * 32}
    statement = {**STATEMENT, "attachments": [other]}
    _accepted(*_signed(_token(key, payload=statement, x5c=[cert]), statement))


def test_signature_part_with_a_trailing_line_end_is_accepted(signer):
    key, cert = signer
    _accepted(*_signed(_token(key, x5c=[cert]) + b"\r\n"))


def test_private_header_parameters_are_allowed(signer):
    key, cert = signer
    _accepted(*_signed(_token(key, x5c=[cert], **{"x-signed-by": "exam service"})))


def test_signature_by_another_key_than_the_x5c_certificate_is_refused(signer):
    _, cert = signer
    with pytest.raises(BadRequest, match="does not verify"):
        check_signatures(*_signed(_token(RSAKey.generate_key(2048), x5c=[cert])))


def test_payload_tampered_after_signing_is_refused(signer):
    key, cert = signer
    header, _, signature = _token(key, x5c=[cert]).split(b".")
    tampered = {**STATEMENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    payload = base64.urlsafe_b64encode(orjson.dumps(tampered)).rstrip(b"=")
    with pytest.raises(BadRequest, match="does not verify"):
        check_signatures(*_signed(b".".join([header, payload, signature]), tampered))


def test_payload_that_differs_from_the_statement_is_refused(signer):
    key, cert = signer
    tampered = {**STATEMENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    with pytest.raises(BadRequest, match="before the signature was added"):
        check_signatures(*_signed(_token(key, payload=tampered, x5c=[cert])))


@pytest.mark.parametrize("alg, key", [
    ("HS256", OctKey.import_key(b"a-shared-secret-of-enough-length-1234")),
    ("ES256", ECKey.generate_key("P-256")),
    ("PS256", RSAKey.generate_key(2048)),
])
def test_algorithms_other_than_rs256_384_512_are_refused(alg, key):
    with pytest.raises(BadRequest, match=f"alg '{alg}' is not one of RS256"):
        check_signatures(*_signed(_token(key, alg)))


def test_unsecured_jws_is_refused():
    with pytest.raises(BadRequest, match="signature is missing"):
        check_signatures(*_signed(_raw_token({"alg": "none"}, signature=b"")))


@pytest.mark.parametrize("token", [
    b"", b"not-a.jws", b"a.b.c", b"\xff\xfe.\x00.\x01", b"eyJhbGciOiJSUzI1NiJ9.@@@.c2ln",
    # JWS JSON serialization: Data §2.6.s4.b2 has the signer use the compact one.
    orjson.dumps({"payload": "e30", "signatures": [{"protected": "e30", "signature": "c2ln"}]}),
])
def test_broken_jws_is_refused(token):
    with pytest.raises(BadRequest, match="not a JWS in compact serialization"):
        check_signatures(*_signed(token))


@pytest.mark.parametrize("payload, message", [
    (b"{'single': 'quotes'}", "not JSON"),
    (b"[]", "before the signature was added"),
])
def test_payload_that_is_not_a_json_statement_is_refused(signer, payload, message):
    key, _ = signer
    with pytest.raises(BadRequest, match=message):
        check_signatures(*_signed(_token(key, payload=payload)))


@pytest.mark.parametrize("x5c, message", [
    ("MIIB", "x5c must be a list"),
    ([], "x5c must be a list"),
    (["@@not base64@@"], "not an X.509 certificate"),
    ([base64.b64encode(b"not DER").decode()], "not an X.509 certificate"),
])
def test_malformed_x5c_is_refused(x5c, message):
    with pytest.raises(BadRequest, match=message):
        check_signatures(*_signed(_raw_token({"alg": "RS256", "x5c": x5c})))


def test_x5c_certificate_without_an_rsa_key_is_refused(signer):
    key, _ = signer
    ec_cert = _certificate(ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(BadRequest, match="holding an RSA key"):
        check_signatures(*_signed(_token(key, x5c=[ec_cert])))


@pytest.mark.parametrize("content_type", ["text/plain", "application/jose"])
def test_signature_attachment_must_be_octet_stream(signer, content_type):
    key, _ = signer
    with pytest.raises(BadRequest, match="octet-stream"):
        check_signatures(*_signed(_token(key), content_type=content_type))


def test_signature_sent_only_as_a_file_url_is_refused(signer):
    key, _ = signer
    statement, _ = _signed(_token(key))
    with pytest.raises(BadRequest, match="multipart/mixed"):
        check_signatures(statement, {})


def test_statements_without_signatures_pass_untouched():
    _accepted(STATEMENT, {})


@given(st.binary(max_size=300))
def test_any_bytes_as_the_signature_part_are_refused_with_bad_request(data):
    # No JWS of STATEMENT fits in 300 random bytes: each is malformed (Data §2.6.s5.b1).
    with pytest.raises(BadRequest, match="^signature attachment: "):
        check_signatures(*_signed(data))


@given(st.binary(min_size=1, max_size=512))
def test_any_other_signature_value_fails_against_x5c_and_passes_without(signer, data):
    key, cert = signer
    signature = base64.urlsafe_b64encode(data).rstrip(b"=")
    for header, verifiable in ((_token(key, x5c=[cert]), True), (_token(key), False)):
        forged = b".".join([*header.split(b".")[:2], signature])
        if verifiable:
            with pytest.raises(BadRequest, match="does not verify"):
                check_signatures(*_signed(forged))
        else:
            _accepted(*_signed(forged))

"""Signed statements: JWS structure, algorithm, payload and x5c checks (Data §2.6)."""

import base64
import datetime
import hashlib

import orjson
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from joserfc import jws
from joserfc.jwk import OctKey, RSAKey

from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.multipart import AttachmentPart
from lrs_bridge.xapi.signature import SIGNATURE_USAGE, check_signatures

STATEMENT = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {"mbox": "mailto:anna@example.com"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
    "object": {"id": "https://example.com/exams/privacy"},
}


@pytest.fixture(scope="module")
def signer():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "content signer")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    return RSAKey.import_key(key), base64.b64encode(der).decode()


def _signed(token: bytes, statement=STATEMENT, content_type="application/octet-stream"):
    sha = hashlib.sha256(token).hexdigest()
    signed = {**statement, "attachments": [{
        "usageType": SIGNATURE_USAGE, "display": {"en-US": "signature"},
        "contentType": content_type, "length": len(token), "sha2": sha}]}
    return signed, {sha: AttachmentPart(sha, content_type, token)}


REGISTRY = jws.JWSRegistry(algorithms=["RS256", "RS384", "RS512", "HS256"])


def _token(key, alg="RS256", payload=STATEMENT, **header) -> bytes:
    return jws.serialize_compact({"alg": alg, **header}, orjson.dumps(payload), key,
                                 registry=REGISTRY).encode()


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_statement_signed_with_an_rs_algorithm_is_accepted(signer, alg):
    key, _ = signer
    check_signatures(*_signed(_token(key, alg)))


def test_signature_verified_against_its_x5c_certificate(signer):
    key, cert = signer
    check_signatures(*_signed(_token(key, x5c=[cert])))


def test_signature_by_another_key_than_the_x5c_certificate_is_refused(signer):
    _, cert = signer
    other = RSAKey.generate_key(2048)
    with pytest.raises(BadRequest, match="x5c"):
        check_signatures(*_signed(_token(other, x5c=[cert])))


def test_other_algorithms_are_refused():
    token = _token(OctKey.import_key(b"a-shared-secret-of-enough-length-1234"), "HS256")
    with pytest.raises(BadRequest, match="RS256"):
        check_signatures(*_signed(token))


def test_payload_that_differs_from_the_statement_is_refused(signer):
    key, _ = signer
    tampered = {**STATEMENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    with pytest.raises(BadRequest, match="differs"):
        check_signatures(*_signed(_token(key, payload=tampered)))


def test_broken_jws_is_refused():
    with pytest.raises(BadRequest, match="compact"):
        check_signatures(*_signed(b"not-a.jws"))


def test_payload_that_is_not_json_is_refused(signer):
    key, _ = signer
    token = jws.serialize_compact({"alg": "RS256"}, b"{'single': 'quotes'}", key).encode()
    with pytest.raises(BadRequest, match="not JSON"):
        check_signatures(*_signed(token))


def test_signature_attachment_must_be_octet_stream(signer):
    key, _ = signer
    with pytest.raises(BadRequest, match="octet-stream"):
        check_signatures(*_signed(_token(key), content_type="text/plain"))


def test_statements_without_signatures_pass_untouched():
    check_signatures(STATEMENT, {})

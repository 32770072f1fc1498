"""multipart/mixed parsing, attachment matching and response building."""

import hashlib
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.multipart import (
    AttachmentPart,
    build_multipart,
    match_attachments,
    parse_multipart,
    require_no_raw_attachments,
)

JSON = b'{"actor": {"mbox": "mailto:anna@example.com"}}'


def _body(boundary: str, parts: list[tuple[dict, bytes]]) -> bytes:
    chunks = []
    for headers, data in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks.append(f"--{boundary}\r\n{head}\r\n".encode() + data + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--".encode()


def _attachment_headers(sha: str, encoding: str = "binary") -> dict:
    return {"Content-Type": "application/pdf", "Content-Transfer-Encoding": encoding,
            "X-Experience-API-Hash": sha}


def _statement(sha: str, **extra) -> dict:
    return {"attachments": [{"sha2": sha, "contentType": "application/pdf", "length": 1,
                             "usageType": "https://example.com/u", "display": {"en": "x"},
                             **extra}]}


@given(st.binary(max_size=2000))
def test_binary_data_comes_out_byte_for_byte(data):
    sha = hashlib.sha256(data).hexdigest()
    body = _body("b0undary", [({"Content-Type": "application/json"}, JSON),
                              (_attachment_headers(sha), data)])
    json_bytes, parts = parse_multipart(body, "multipart/mixed; boundary=b0undary")
    assert json_bytes == JSON
    assert parts == [AttachmentPart(sha2=sha, content_type="application/pdf", data=data)]


def test_build_then_parse_round_trips():
    data = os.urandom(3000) + b"\r\n--"
    part = AttachmentPart(hashlib.sha256(data).hexdigest(), "image/png", data)
    body, content_type = build_multipart(JSON, [part])
    assert content_type.startswith("multipart/mixed; boundary=")
    assert parse_multipart(body, content_type) == (JSON, [part])
    assert body.count(part.sha2.encode()) == 1


@pytest.mark.parametrize("content_type, body, message", [
    ("multipart/mixed", b"--x\r\n\r\n{}\r\n--x--", "boundary parameter"),
    ("multipart/mixed; boundary=x", b"no boundary at all", "boundary"),
    ("multipart/mixed; boundary=x", _body("x", [({"Content-Type": "text/plain"}, JSON)]),
     "first part"),
])
def test_malformed_bodies_are_refused(content_type, body, message):
    with pytest.raises(BadRequest, match=message):
        parse_multipart(body, content_type)


def test_attachment_part_needs_binary_encoding_and_a_hash():
    base64_part = _body("x", [({"Content-Type": "application/json"}, JSON),
                              (_attachment_headers("ab", "base64"), b"eA==")])
    with pytest.raises(BadRequest, match="binary"):
        parse_multipart(base64_part, "multipart/mixed; boundary=x")
    no_hash = _body("x", [({"Content-Type": "application/json"}, JSON),
                          ({"Content-Type": "application/json"}, JSON)])
    with pytest.raises(BadRequest, match="X-Experience-API-Hash"):
        parse_multipart(no_hash, "multipart/mixed; boundary=x")


def test_parts_must_match_declared_attachments():
    data = b"certificate"
    sha = hashlib.sha256(data).hexdigest()
    good = AttachmentPart(sha, "application/pdf", data)
    assert match_attachments([_statement(sha)], [good]) == {sha: good}
    with pytest.raises(BadRequest, match="does not match"):
        match_attachments([_statement(sha)], [AttachmentPart(sha, "application/pdf", b"x")])
    with pytest.raises(BadRequest, match="no statement declares"):
        match_attachments([{}], [good])
    with pytest.raises(BadRequest, match="no fileUrl"):
        match_attachments([_statement(sha)], [])


def test_sha512_attachments_are_checked_with_sha512():
    data = b"long hash"
    sha = hashlib.sha512(data).hexdigest()
    part = AttachmentPart(sha, "text/plain", data)
    assert match_attachments([_statement(sha)], [part]) == {sha: part}


def test_json_requests_may_only_carry_file_url_attachments():
    require_no_raw_attachments([_statement("ab" * 32, fileUrl="https://example.com/a.pdf")])
    with pytest.raises(BadRequest, match="multipart"):
        require_no_raw_attachments([_statement("ab" * 32)])

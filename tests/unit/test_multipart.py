"""multipart/mixed parsing, attachment matching and response building (Communication §1.5.2)."""

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
JSON_PART = {"Content-Type": "application/json"}
BINARY = bytes(range(256)) + b"\r\n--\r\n\r\n\xff\xfe\x00\r\r\n\n"


def _body(boundary: str, parts: list[tuple[dict, bytes]], close: bool = True) -> bytes:
    chunks = []
    for headers, data in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks.append(f"--{boundary}\r\n{head}\r\n".encode() + data + b"\r\n")
    return b"".join(chunks) + (f"--{boundary}--".encode() if close else b"")


def _headers(sha: str, content_type: str = "application/pdf", encoding: str = "binary") -> dict:
    return {"Content-Type": content_type, "Content-Transfer-Encoding": encoding,
            "X-Experience-API-Hash": sha}


def _attachment(sha: str, **extra) -> dict:
    return {"sha2": sha, "contentType": "application/pdf", "length": 1,
            "usageType": "https://example.com/u", "display": {"en": "x"}, **extra}


def _statement(sha: str, **extra) -> dict:
    return {"attachments": [_attachment(sha, **extra)]}


def _part(data: bytes, content_type: str = "application/pdf", algorithm: str = "sha256"):
    return AttachmentPart(hashlib.new(algorithm, data).hexdigest(), content_type, data)


@given(st.binary(max_size=2000))
def test_binary_data_comes_out_byte_for_byte(data):
    part = _part(data)
    body = _body("b0undary", [(JSON_PART, JSON), (_headers(part.sha2), data)])
    assert parse_multipart(body, "multipart/mixed; boundary=b0undary") == (JSON, [part])


def test_build_then_parse_round_trips_binary_parts():
    parts = [_part(os.urandom(3000) + BINARY, "image/png"), _part(BINARY, "text/plain"),
             _part(b"")]
    body, content_type = build_multipart(JSON, parts)
    assert content_type.startswith("multipart/mixed; boundary=")
    assert parse_multipart(body, content_type) == (JSON, parts)


def test_built_parts_carry_binary_encoding_and_their_hash():
    part = _part(BINARY)
    body, content_type = build_multipart(JSON, [part])
    boundary = content_type.split("boundary=")[1].encode()
    assert body.startswith(b"--" + boundary + b"\r\nContent-Type: application/json\r\n\r\n")
    head = body.split(b"\r\n--" + boundary + b"\r\n")[1].split(b"\r\n\r\n")[0]
    assert head.split(b"\r\n") == [b"Content-Type: application/pdf",
                                   b"Content-Transfer-Encoding: binary",
                                   f"X-Experience-API-Hash: {part.sha2}".encode()]
    assert body.endswith(b"\r\n--" + boundary + b"--\r\n")


def test_spec_example_with_quoted_boundary_and_preamble_is_parsed():
    data = b"here is a simple attachment"
    sha = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"
    boundary = "abcABC0123'()+_,-./:=?"
    body = b"\r\n" + _body(boundary, [({"Content-Type": "application/json"}, JSON),
                                      (_headers(sha, "text/plain"), data)])
    json_bytes, parts = parse_multipart(body, f'multipart/mixed; boundary="{boundary}"')
    assert json_bytes == JSON
    assert parts == [AttachmentPart(sha, "text/plain", data)]
    assert match_attachments([_statement(sha)], parts) == {sha: parts[0]}


@pytest.mark.parametrize("content_type", [
    "message/rfc822", "multipart/alternative; boundary=inner", "message/delivery-status"])
def test_attached_messages_and_multiparts_keep_their_bytes(content_type):
    data = b"From: a@example.com\r\n\r\nhello\r\n--inner\r\nX: y\r\n\r\nbody\r\n--inner--"
    part = _part(data)
    body = _body("x", [(JSON_PART, JSON), (_headers(part.sha2, content_type), data)])
    (_, [parsed]) = parse_multipart(body, "multipart/mixed; boundary=x")
    assert parsed.data == data
    assert parsed.content_type.startswith(content_type.split(";")[0])


def test_part_without_content_type_is_taken_as_octet_stream():
    part = _part(b"raw")
    headers = {k: v for k, v in _headers(part.sha2).items() if k != "Content-Type"}
    (_, [parsed]) = parse_multipart(_body("x", [(JSON_PART, JSON), (headers, b"raw")]),
                                    "multipart/mixed; boundary=x")
    assert parsed.content_type == "application/octet-stream"


def test_statements_without_attachment_parts_are_accepted():
    body = _body("x", [(JSON_PART, JSON)])
    assert parse_multipart(body, "multipart/mixed; boundary=x") == (JSON, [])


@pytest.mark.parametrize("content_type, body, message", [
    ("multipart/mixed", _body("x", [(JSON_PART, JSON)]), "boundary parameter"),
    ("multipart/form-data; boundary=x", _body("x", [(JSON_PART, JSON)]), "multipart/mixed"),
    ("multipart/mixed; boundary=x", b"no boundary at all", "boundary"),
    ("multipart/mixed; boundary=x", _body("x", [(JSON_PART, JSON)], close=False),
     "closing boundary"),
    ("multipart/mixed; boundary=x", _body("x", [({"Content-Type": "text/plain"}, JSON)]),
     "first part"),
    ("multipart/mixed; boundary=x", _body("x", [({}, JSON)]), "first part"),
    ("multipart/mixed; boundary=\u00e9", _body("\u00e9", [(JSON_PART, JSON)]), "ASCII"),
])
def test_malformed_bodies_are_refused(content_type, body, message):
    with pytest.raises(BadRequest, match=message):
        parse_multipart(body, content_type)


@pytest.mark.parametrize("encoding", ["base64", "8bit", "quoted-printable"])
def test_attachment_part_needs_binary_encoding(encoding):
    body = _body("x", [(JSON_PART, JSON), (_headers("ab" * 32, encoding=encoding), b"eA==")])
    with pytest.raises(BadRequest, match="Content-Transfer-Encoding must be binary"):
        parse_multipart(body, "multipart/mixed; boundary=x")


def test_attachment_part_without_encoding_header_is_refused():
    headers = {"Content-Type": "text/plain", "X-Experience-API-Hash": "ab" * 32}
    with pytest.raises(BadRequest, match="Content-Transfer-Encoding"):
        parse_multipart(_body("x", [(JSON_PART, JSON), (headers, b"x")]),
                        "multipart/mixed; boundary=x")


def test_attachment_part_without_hash_header_is_refused():
    headers = {"Content-Type": "text/plain", "Content-Transfer-Encoding": "binary"}
    with pytest.raises(BadRequest, match="part 2: X-Experience-API-Hash"):
        parse_multipart(_body("x", [(JSON_PART, JSON), (headers, b"x")]),
                        "multipart/mixed; boundary=x")


def test_parts_matching_their_declared_attachments_are_returned_by_sha2():
    part = _part(b"certificate")
    assert match_attachments([_statement(part.sha2)], [part]) == {part.sha2: part}


def test_part_whose_data_does_not_hash_to_its_sha2_is_refused():
    sha = _part(b"certificate").sha2
    with pytest.raises(BadRequest, match="does not match its hash"):
        match_attachments([_statement(sha)], [AttachmentPart(sha, "application/pdf", b"x")])


def test_part_that_no_statement_declares_is_refused():
    part = _part(b"stray")
    with pytest.raises(BadRequest, match="no statement declares"):
        match_attachments([{}, _statement(_part(b"other").sha2, fileUrl="https://e.x/a")],
                          [part])


def test_attachment_without_file_url_or_part_is_refused():
    with pytest.raises(BadRequest, match="no fileUrl and no part"):
        match_attachments([_statement(_part(b"missing").sha2)], [])


def test_file_url_attachments_need_no_part_but_may_have_one():
    part = _part(b"hosted")
    hosted = _statement(part.sha2, fileUrl="https://example.com/a.pdf")
    assert match_attachments([hosted], []) == {}
    assert match_attachments([hosted], [part]) == {part.sha2: part}


def test_one_part_serves_every_statement_that_declares_its_hash():
    part = _part(b"shared")
    assert match_attachments([_statement(part.sha2)] * 3, [part]) == {part.sha2: part}


@pytest.mark.parametrize("algorithm", ["sha224", "sha256", "sha384", "sha512"])
def test_sha2_algorithm_is_chosen_by_the_hash_length(algorithm):
    part = _part(b"long hash", algorithm=algorithm)
    assert match_attachments([_statement(part.sha2)], [part]) == {part.sha2: part}


def test_sha2_that_is_no_sha2_digest_is_refused():
    part = AttachmentPart(hashlib.md5(b"x").hexdigest(), "text/plain", b"x")  # noqa: S324
    with pytest.raises(BadRequest, match="SHA-2 digest"):
        match_attachments([_statement(part.sha2)], [part])


def test_sha2_is_matched_regardless_of_hex_case():
    part = _part(b"case")
    assert match_attachments([_statement(part.sha2.upper())], [part]) == {part.sha2: part}


def test_sub_statement_attachments_are_matched_like_the_statements():
    part = _part(b"inner")
    statement = {"object": {"objectType": "SubStatement", **_statement(part.sha2)}}
    assert match_attachments([statement], [part]) == {part.sha2: part}
    with pytest.raises(BadRequest, match="no fileUrl and no part"):
        match_attachments([statement], [])


def test_json_requests_may_carry_file_url_attachments():
    require_no_raw_attachments([{}, _statement("ab" * 32, fileUrl="https://example.com/a.pdf")])


@pytest.mark.parametrize("statement", [
    _statement("ab" * 32),
    {"object": {"objectType": "SubStatement", **_statement("ab" * 32)}},
])
def test_json_requests_with_raw_attachments_are_refused(statement):
    with pytest.raises(BadRequest, match="multipart/mixed"):
        require_no_raw_attachments([statement])

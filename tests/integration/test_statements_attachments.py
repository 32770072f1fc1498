"""Attachments in multipart/mixed requests and responses (Communication §1.5.2)."""

import hashlib
import json

from tests.integration.statements_helpers import make_statement

BOUNDARY = "xapi-test-boundary"


def _multipart(statement_json: bytes, parts: list[tuple[bytes, str, str]]) -> bytes:
    chunks = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
              statement_json, b"\r\n"]
    for data, content_type, sha in parts:
        chunks += [f"--{BOUNDARY}\r\nContent-Type: {content_type}\r\n"
                   f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha}\r\n\r\n"
                   .encode(), data, b"\r\n"]
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks)


def _with_attachment(data: bytes, sha: str | None = None):
    sha = sha or hashlib.sha256(data).hexdigest()
    statement = make_statement(attachments=[{
        "usageType": "https://example.com/attachment-usage/certificate",
        "display": {"en-US": "certificate"}, "contentType": "application/pdf",
        "length": len(data), "sha2": sha}])
    return statement, sha


def test_statement_with_attachment_round_trips_byte_for_byte(xapi):
    data = bytes(range(256)) + b"\r\n--not-a-boundary\r\n"
    statement, sha = _with_attachment(data)
    body = _multipart(json.dumps(statement).encode(), [(data, "application/pdf", sha)])
    response = xapi.post("/xapi/statements", data=body,
                         content_type=f"multipart/mixed; boundary={BOUNDARY}")
    assert response.status_code == 200, response.get_json()
    got = xapi.get(f"/xapi/statements?statementId={statement['id']}&attachments=true")
    assert got.status_code == 200
    assert got.headers["Content-Type"].startswith("multipart/mixed")
    assert data in got.data
    plain = xapi.get(f"/xapi/statements?statementId={statement['id']}")
    assert plain.headers["Content-Type"] == "application/json"
    assert data not in plain.data


def test_attachment_whose_data_does_not_match_its_hash_is_rejected(xapi):
    statement, sha = _with_attachment(b"the real certificate")
    body = _multipart(json.dumps(statement).encode(), [(b"something else", "application/pdf", sha)])
    response = xapi.post("/xapi/statements", data=body,
                         content_type=f"multipart/mixed; boundary={BOUNDARY}")
    assert response.status_code == 400
    assert xapi.get(f"/xapi/statements?statementId={statement['id']}").status_code == 404


def test_attachment_declared_but_not_sent_is_rejected(xapi):
    statement, _ = _with_attachment(b"missing")
    assert xapi.post("/xapi/statements", json=statement).status_code == 400


def test_attachment_with_file_url_needs_no_data(xapi):
    statement, _ = _with_attachment(b"remote")
    statement["attachments"][0]["fileUrl"] = "https://example.com/certificates/1.pdf"
    assert xapi.post("/xapi/statements", json=statement).status_code == 200


def test_upper_case_sha2_round_trips_under_its_own_spelling(xapi):
    data = b"certificate with an upper-case hash"
    statement, sha = _with_attachment(data, hashlib.sha256(data).hexdigest().upper())
    body = _multipart(json.dumps(statement).encode(), [(data, "application/pdf", sha)])
    response = xapi.post("/xapi/statements", data=body,
                         content_type=f"multipart/mixed; boundary={BOUNDARY}")
    assert response.status_code == 200, response.get_json()
    got = xapi.get(f"/xapi/statements?statementId={statement['id']}&attachments=true")
    assert got.data.count(sha.encode()) == 2
    assert data in got.data


def test_substatement_attachment_without_data_is_rejected_in_json(xapi):
    statement, _ = _with_attachment(b"inner")
    inner = {"objectType": "SubStatement", "actor": statement["actor"],
             "verb": statement["verb"], "object": statement["object"],
             "attachments": statement.pop("attachments")}
    statement["object"] = inner
    response = xapi.post("/xapi/statements", json=statement)
    assert response.status_code == 400
    assert "multipart" in response.get_json()["error"]

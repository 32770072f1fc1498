"""Attachments in multipart/mixed requests and responses (Communication §1.5.2)."""

import hashlib
import json

import pytest

from lrs_bridge.xapi.multipart import parse_multipart
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


# --- tenants -------------------------------------------------------------------------------------
# Attachment data is kept per tenant under its sha2. A tenant gets back only the data it sent:
# a statement that declares the same sha2 with a fileUrl and no data gets no part at all.

SECRET = b"north's confidential certificate"


def _store_with_data(client, data: bytes) -> dict:
    statement, sha = _with_attachment(data)
    body = _multipart(json.dumps(statement).encode(), [(data, "application/pdf", sha)])
    response = client.post("/xapi/statements", data=body,
                           content_type=f"multipart/mixed; boundary={BOUNDARY}")
    assert response.status_code == 200, response.get_json()
    return statement


def _store_with_file_url(client, data: bytes) -> dict:
    statement, _ = _with_attachment(data)
    statement["attachments"][0]["fileUrl"] = "https://example.com/certificates/north.pdf"
    assert client.post("/xapi/statements", json=statement).status_code == 200
    return statement


def _received(response) -> tuple[dict, list[tuple[str, str, bytes]]]:
    """The JSON part and the attachment parts (sha2, type, data) of a multipart response."""
    assert response.status_code == 200
    json_part, parts = parse_multipart(response.data, response.headers["Content-Type"])
    return json.loads(json_part), [(p.sha2, p.content_type, p.data) for p in parts]


def _attachments_seen(client, statement: dict) -> list[list[tuple[str, str, bytes]]]:
    """The attachment parts of the statement's single GET and of a query for all statements."""
    single = _received(client.get(
        f"/xapi/statements?statementId={statement['id']}&attachments=true"))
    page = _received(client.get("/xapi/statements?attachments=true"))
    assert single[0]["id"] == statement["id"]
    assert [s["id"] for s in page[0]["statements"]] == [statement["id"]]
    return [single[1], page[1]]


@pytest.mark.parametrize("data_first", [True, False], ids=["data-first", "file-url-first"])
def test_a_file_url_of_the_same_sha2_gets_no_data_of_another_tenant(make_xapi, data_first):
    north = make_xapi("all", tenant="north")
    south = make_xapi("all", tenant="south")
    sha = hashlib.sha256(SECRET).hexdigest()
    if data_first:
        north_statement = _store_with_data(north, SECRET)
        south_statement = _store_with_file_url(south, SECRET)
    else:
        south_statement = _store_with_file_url(south, SECRET)
        north_statement = _store_with_data(north, SECRET)
    assert _attachments_seen(south, south_statement) == [[], []]
    assert _attachments_seen(north, north_statement) == [[(sha, "application/pdf", SECRET)]] * 2


def test_each_tenant_keeps_its_own_copy_of_the_same_data(make_xapi):
    north = make_xapi("all", tenant="north")
    south = make_xapi("all", tenant="south")
    sha = hashlib.sha256(SECRET).hexdigest()
    north_statement = _store_with_data(north, SECRET)
    south_statement = _store_with_data(south, SECRET)
    for client, statement in ((north, north_statement), (south, south_statement)):
        assert _attachments_seen(client, statement) == [[(sha, "application/pdf", SECRET)]] * 2

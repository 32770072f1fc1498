"""Reading statements from a request body: JSON, or multipart/mixed with attachments."""

from dataclasses import dataclass

import orjson

from lrs_bridge.schemas import validate_statements
from lrs_bridge.web.xapi.request import XAPIRequest
from lrs_bridge.xapi.errors import BadRequest, PayloadTooLarge
from lrs_bridge.xapi.multipart import (
    AttachmentPart,
    match_attachments,
    parse_multipart,
    require_no_raw_attachments,
)
from lrs_bridge.xapi.signature import check_signatures
from lrs_bridge.xapi.versions import XAPIVersion


@dataclass(frozen=True)
class StatementBody:
    """Validated statements and the attachment parts they carry, by sha2."""

    statements: list[dict]
    parts: dict[str, AttachmentPart]
    single: bool


def read_statements(xreq: XAPIRequest, max_batch: int, version: XAPIVersion) -> StatementBody:
    """Parse, size-check and validate (by the rules of `version`) the statements of a PUT or
    POST; a statement without a version gets the default of `version` (Data §2.4.10)."""
    parts: list[AttachmentPart] = []
    if xreq.content_type == "multipart/mixed":
        json_bytes, parts = parse_multipart(xreq.body, xreq.headers.get("Content-Type", ""))
    elif xreq.content_type == "application/json" or (xreq.alternate and not xreq.content_type):
        json_bytes = xreq.body
    else:
        raise BadRequest(
            f"Content-Type {xreq.content_type or '(none)'!r} is not accepted for statements; "
            "send application/json or multipart/mixed")
    data = parse_json(json_bytes)
    single = isinstance(data, dict)
    if isinstance(data, list) and len(data) > max_batch:
        raise PayloadTooLarge(
            f"batch of {len(data)} statements is larger than the maximum of {max_batch}")
    statements = validate_statements(data, version)
    if parts:
        by_sha = match_attachments(statements, parts)
    else:
        require_no_raw_attachments(statements)
        by_sha = {}
    for statement in statements:
        check_signatures(statement, by_sha)
    default = version.default_statement_version
    statements = [s if s.get("version") else {**s, "version": default} for s in statements]
    return StatementBody(statements, by_sha, single)


def parse_json(body: bytes):
    """The JSON value of a body; BadRequest when it is empty or not JSON."""
    if not body:
        raise BadRequest("the request body is empty")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as err:
        raise BadRequest(f"the request body is not valid JSON: {err}") from None

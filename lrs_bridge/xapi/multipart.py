"""multipart/mixed statement requests and responses with attachments (Communication §1.5.2)."""

import hashlib
import secrets
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesParser

from lrs_bridge.xapi.errors import BadRequest

_HASH_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}


@dataclass(frozen=True)
class AttachmentPart:
    """One attachment's raw data, its declared hash and its content type."""

    sha2: str
    content_type: str
    data: bytes


def parse_multipart(body: bytes, content_type: str) -> tuple[bytes, list[AttachmentPart]]:
    """Split a multipart/mixed body into the statements' JSON and the attachment parts."""
    message = _parse(body, content_type)
    parts = message.get_payload()
    if not isinstance(parts, list) or not parts:
        raise BadRequest("multipart/mixed: the body has no parts separated by the boundary")
    first = parts[0]
    if first.get_content_type() != "application/json":
        raise BadRequest("multipart/mixed: the first part must be application/json statements")
    return _payload(first), [_attachment(part, n) for n, part in enumerate(parts[1:], 2)]


def _parse(body: bytes, content_type: str) -> Message:
    head = Message()
    head["Content-Type"] = content_type
    if not head.get_param("boundary"):
        raise BadRequest("Content-Type: multipart/mixed needs a boundary parameter")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart() or message.defects:
        raise BadRequest("multipart/mixed: the body does not start with the boundary, "
                         "or a part is not delimited by it")
    return message


def _attachment(part: Message, number: int) -> AttachmentPart:
    sha2 = part.get("X-Experience-API-Hash")
    if not sha2:
        raise BadRequest(f"multipart/mixed part {number}: X-Experience-API-Hash header missing")
    encoding = (part.get("Content-Transfer-Encoding") or "").strip().lower()
    if encoding != "binary":
        raise BadRequest(
            f"multipart/mixed part {number}: Content-Transfer-Encoding must be binary")
    return AttachmentPart(sha2=sha2.strip().lower(), content_type=part.get_content_type(),
                          data=_payload(part))


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def match_attachments(statements: list[dict], parts: list[AttachmentPart]) -> dict:
    """Check parts against the statements' attachments; return the parts by sha2."""
    declared = _declared(statements)
    by_sha = {}
    for part in parts:
        if part.sha2 not in declared:
            raise BadRequest(f"attachment part {part.sha2}: no statement declares this sha2")
        if _digest(part.sha2, part.data) != part.sha2:
            raise BadRequest(f"attachment part {part.sha2}: the data does not match its hash")
        by_sha[part.sha2] = part
    missing = sorted(sha for sha, has_url in declared.items() if not has_url and sha not in by_sha)
    if missing:
        raise BadRequest(f"attachment {missing[0]}: no fileUrl and no part with its data")
    return by_sha


def require_no_raw_attachments(statements: list[dict]) -> None:
    """A JSON request may only carry attachments that have a fileUrl (§1.5.1)."""
    for sha, has_url in _declared(statements).items():
        if not has_url:
            raise BadRequest(f"attachment {sha}: without fileUrl its data must be sent as "
                             "multipart/mixed")


def _declared(statements: list[dict]) -> dict[str, bool]:
    """sha2 -> whether every attachment declaring it has a fileUrl."""
    declared: dict[str, bool] = {}
    for statement in statements:
        for attachment in statement.get("attachments") or ():
            sha = attachment["sha2"].lower()
            declared[sha] = declared.get(sha, True) and "fileUrl" in attachment
    return declared


def _digest(sha2: str, data: bytes) -> str | None:
    name = _HASH_BY_HEX_LENGTH.get(len(sha2))
    return hashlib.new(name, data).hexdigest() if name else None


def build_multipart(json_body: bytes, parts: list[AttachmentPart]) -> tuple[bytes, str]:
    """A multipart/mixed response body: the JSON first, then each attachment."""
    # Letters and digits only: some clients split on the boundary as a regular expression.
    boundary = secrets.token_hex(16)
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), json_body]
    for part in parts:
        chunks += [
            f"\r\n--{boundary}\r\nContent-Type: {part.content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {part.sha2}\r\n\r\n"
            .encode("latin-1"),
            part.data,
        ]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"

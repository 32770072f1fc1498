"""multipart/mixed statement requests and responses with attachments (Communication §1.5.2)."""

import hashlib
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP

from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.formats import MAX_CONTENT_TYPE, is_header_text

HASH_HEADER = "X-Experience-API-Hash"
# Data §2.4.11 asks for "the SHA-2 hash" without naming one; the hex length tells which.
_HASH_BY_HEX_LENGTH = {56: "sha224", 64: "sha256", 96: "sha384", 128: "sha512"}
# §1.5.2.s3.b6 has the LRS assume binary parts; a part without a type promises nothing more.
_DEFAULT_PART_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class AttachmentPart:
    """One attachment's raw data, its declared hash and its content type."""

    sha2: str
    content_type: str
    data: bytes


class _Part(EmailMessage):
    """A MIME part whose body stays raw bytes, even when its type is message/* or multipart/*."""

    def get_content_type(self) -> str:
        """The part's type, hiding nested types of attachment parts from the parser."""
        real = super().get_content_type()
        # The feed parser opens message/* and multipart/* bodies as nested messages and drops
        # their bytes, so an attached e-mail (message/rfc822) would no longer match its hash.
        if HASH_HEADER in self and real.partition("/")[0] in ("message", "multipart"):
            return _DEFAULT_PART_TYPE
        return real


# A policy is immutable; HTTP keeps CRLF line ends and unlimited header lines.
_POLICY = HTTP.clone(message_factory=_Part)


def parse_multipart(body: bytes, content_type: str) -> tuple[bytes, list[AttachmentPart]]:
    """Split a multipart/mixed body into the statements' JSON and the attachment parts."""
    parts = _parse(body, content_type).get_payload()
    if not isinstance(parts, list) or not parts:
        raise BadRequest("multipart/mixed: the body has no parts separated by the boundary")
    first = parts[0]
    if first.get_content_type() != "application/json":
        raise BadRequest("multipart/mixed: the first part must be the statements, with "
                         "Content-Type application/json (Communication §1.5.2)")
    return _body(first), [_attachment(part, n) for n, part in enumerate(parts[1:], 2)]


def _parse(body: bytes, content_type: str) -> EmailMessage:
    if not content_type.isascii() or "\r" in content_type or "\n" in content_type:
        raise BadRequest("Content-Type: the header value must be one line of ASCII")
    # The parser reads a whole MIME entity, so the HTTP Content-Type becomes its only header.
    message = BytesParser(policy=_POLICY).parsebytes(
        b"Content-Type: " + content_type.encode("ascii") + b"\r\n\r\n" + body)
    if message.get_content_type() != "multipart/mixed":
        raise BadRequest("Content-Type: attachments need multipart/mixed")
    if not message.get_boundary():
        raise BadRequest("Content-Type: multipart/mixed needs a boundary parameter")
    if not message.is_multipart() or message.defects:
        raise BadRequest("multipart/mixed: the body does not start with the boundary, "
                         "or does not end with the closing boundary")
    return message


def _attachment(part: EmailMessage, number: int) -> AttachmentPart:
    sha2 = str(part.get(HASH_HEADER, "")).strip().lower()
    if not sha2:
        raise BadRequest(f"multipart/mixed part {number}: {HASH_HEADER} header missing "
                         "(Communication §1.5.2.s2.b2.b3)")
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding != "binary":
        raise BadRequest(f"multipart/mixed part {number}: Content-Transfer-Encoding must be "
                         "binary (Communication §1.5.2.s2.b2.b4)")
    content_type = str(part.get("Content-Type", "")).strip() or _DEFAULT_PART_TYPE
    if not is_header_text(content_type):
        raise BadRequest(f"multipart/mixed part {number}: Content-Type must be printable "
                         f"ASCII of at most {MAX_CONTENT_TYPE} characters")
    return AttachmentPart(sha2=sha2, content_type=content_type, data=_body(part))


def _body(part: EmailMessage) -> bytes:
    # Binary and 8bit bodies come back as the octets sent (the parser keeps them escaped).
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def match_attachments(
    statements: list[dict], parts: list[AttachmentPart]
) -> dict[str, AttachmentPart]:
    """Check parts against the statements' attachments; return the parts by sha2."""
    declared = _declared(statements)
    by_sha2 = {}
    for part in parts:
        if part.sha2 not in declared:
            raise BadRequest(f"attachment part {part.sha2}: no statement declares this sha2")
        if _digest(part.sha2, part.data) != part.sha2:
            raise BadRequest(f"attachment part {part.sha2}: the data does not match its hash")
        by_sha2[part.sha2] = part
    for sha2, has_url in declared.items():
        if not has_url and sha2 not in by_sha2:
            raise BadRequest(f"attachment {sha2}: it has no fileUrl and no part carries its "
                             "data (Communication §1.5.2.s3.b5)")
    return by_sha2


def require_no_raw_attachments(statements: list[dict]) -> None:
    """Refuse a JSON request with attachments lacking a fileUrl (Communication §1.5.2.s2.b1)."""
    for sha2, has_url in _declared(statements).items():
        if not has_url:
            raise BadRequest(f"attachment {sha2}: without a fileUrl its data must be sent "
                             "in a multipart/mixed request")


def _declared(statements: list[dict]) -> dict[str, bool]:
    """sha2 -> whether every attachment declaring it has a fileUrl."""
    declared: dict[str, bool] = {}
    for attachment in _attachments(statements):
        sha2 = attachment["sha2"].lower()
        declared[sha2] = declared.get(sha2, True) and "fileUrl" in attachment
    return declared


def _attachments(statements: Iterable[dict]) -> Iterator[dict]:
    for statement in statements:
        yield from statement.get("attachments") or ()
        # A SubStatement may carry attachments too (Data §2.4.11), sent like the statement's.
        target = statement.get("object")
        if isinstance(target, dict) and target.get("objectType") == "SubStatement":
            yield from target.get("attachments") or ()


def _digest(sha2: str, data: bytes) -> str:
    name = _HASH_BY_HEX_LENGTH.get(len(sha2))
    if name is None:
        raise BadRequest(f"attachment {sha2}: sha2 must be a SHA-2 digest in hex "
                         "(56, 64, 96 or 128 digits)")
    return hashlib.new(name, data).hexdigest()


def build_multipart(json_body: bytes, parts: list[AttachmentPart]) -> tuple[bytes, str]:
    """A multipart/mixed response body: the JSON first, then each attachment."""
    boundary = _boundary([json_body, *(part.data for part in parts)])
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), json_body]
    for part in parts:
        head = (f"\r\n--{boundary}\r\nContent-Type: {part.content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\n{HASH_HEADER}: {part.sha2}\r\n\r\n")
        chunks += [head.encode("ascii"), part.data]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"


def _boundary(bodies: list[bytes]) -> str:
    # Letters and digits only: some clients split on the boundary as a regular expression.
    # RFC 2046 §5.1.1 wants a boundary that occurs in no body; a random one almost never does.
    while True:
        boundary = secrets.token_hex(16)
        if not any(boundary.encode() in body for body in bodies):
            return boundary

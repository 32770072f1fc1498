"""Documents of the State, Activity Profile and Agent Profile resources (Communication §2.2,
§3.1): ETags, the If-Match / If-None-Match preconditions, and the JSON merge of POST."""

import hashlib
import json
from dataclasses import dataclass

from lrs_bridge.xapi.errors import BadRequest, Conflict, PreconditionFailed
from lrs_bridge.xapi.formats import MAX_CONTENT_TYPE, is_header_text

JSON_TYPE = "application/json"


@dataclass(frozen=True)
class Document:
    """A stored document: its bytes, their media type, ETag and last update (epoch ms)."""

    contents: bytes
    content_type: str
    etag: str
    updated: int


def etag_of(contents: bytes) -> str:
    """The ETag of a document's contents: lower-case hex SHA-1, unquoted (§3.1.s4.b2)."""
    return hashlib.sha1(contents).hexdigest()  # noqa: S324 - the spec names SHA-1


def check_content_type(content_type: str) -> None:
    """BadRequest unless a document's Content-Type can be stored and sent back as a header."""
    if content_type and not is_header_text(content_type):
        raise BadRequest(f"Content-Type: must be printable ASCII of at most "
                         f"{MAX_CONTENT_TYPE} characters")


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower case, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Preconditions:
    """The concurrency headers of a request, as sent (None when absent)."""

    if_match: str | None = None
    if_none_match: str | None = None

    @property
    def given(self) -> bool:
        return self.if_match is not None or self.if_none_match is not None

    def check(self, current: Document | None) -> None:
        """Raise PreconditionFailed when a header does not hold for the current document."""
        if self.if_match is not None:
            # RFC 2616 §14.24: If-Match compares strongly, so weak tags never match.
            tags = _entity_tags(self.if_match, weak=False)
            if current is None or ("*" not in tags and current.etag not in tags):
                raise PreconditionFailed(
                    "If-Match does not match the document's current ETag; GET the document "
                    "again and retry with its ETag")
        if self.if_none_match is not None and current is not None:
            tags = _entity_tags(self.if_none_match, weak=True)
            if "*" in tags or current.etag in tags:
                raise PreconditionFailed(
                    "If-None-Match: the document exists already (or has that ETag)")


def check_profile_put(preconditions: Preconditions, current: Document | None) -> None:
    """Profile PUTs must say what they expect of the document (§3.1.s3.b1, §3.1.s4.b13)."""
    if preconditions.given:
        return
    if current is not None:
        raise Conflict(
            "the document exists: check its current state with GET, then send the PUT with "
            "an If-Match header holding its ETag")
    raise BadRequest(
        "a PUT to a profile document needs an If-Match header (the document's ETag) or "
        "If-None-Match: * (to create it only if it does not exist)")


def check_state_put(preconditions: Preconditions, current: Document | None) -> None:
    """xAPI 2.0: a State PUT without If-Match / If-None-Match may create a document but not
    replace one (1.0.3 exempts the State resource from this rule, §3.1)."""
    if preconditions.given or current is None:
        return
    raise Conflict(
        "the state document exists and xAPI 2.0.0 does not replace it without a concurrency "
        "header: GET it, then send the PUT with If-Match holding its ETag (or POST to merge "
        "into it)")


def merge_json(current: Document, contents: bytes, content_type: str | None) -> bytes:
    """The result of POSTing `contents` onto `current` (§2.2.s7): top-level properties of the
    posted object replace those of the stored one. BadRequest unless both are JSON objects."""
    if media_type(content_type) != JSON_TYPE or media_type(current.content_type) != JSON_TYPE:
        raise BadRequest(
            "POST merges JSON documents only: both the stored document and the posted one "
            "must have Content-Type application/json; use PUT to replace the document")
    stored = _json_object(current.contents, "the stored document")
    posted = _json_object(contents, "the posted document")
    try:
        return json.dumps({**stored, **posted}, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("the merged document holds text that is not valid Unicode") from None
    except ValueError:
        raise BadRequest("the merged document holds a number JSON cannot represent") from None


def check_new_json(contents: bytes, content_type: str | None) -> None:
    """A POST that creates a JSON document must hold a JSON object, or a later merge fails."""
    if media_type(content_type) == JSON_TYPE:
        _json_object(contents, "the posted document")


def _json_object(contents: bytes, what: str) -> dict:
    # The standard library, not orjson: it keeps integers of any size exact, and documents
    # are the learning content's own data.
    try:
        value = json.loads(contents)
    except (ValueError, RecursionError):
        raise BadRequest(f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise BadRequest(f"{what} is not a JSON object")
    return value


def _entity_tags(header: str, *, weak: bool) -> set[str]:
    """The entity tags of an If-Match / If-None-Match header without their quotes; "*" only
    for a bare asterisk. Weak tags (W/"…") count only where `weak` comparison applies."""
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag == "*":
            tags.add("*")
            continue
        if tag.startswith("W/"):
            if not weak:
                continue
            tag = tag[2:]
        if len(tag) >= 2 and tag.startswith('"') and tag.endswith('"'):
            tag = tag[1:-1]
        if tag and tag != "*":
            tags.add(tag.lower())
    return tags

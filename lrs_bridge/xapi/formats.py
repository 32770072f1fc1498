"""String formats of the xAPI data model (Data §2.2, §4): each check returns True or False.

The IRI, IRL and language-tag checks are best-effort, as Data §2.2.s4.b6–b7 allows.
"""

import re

from lrs_bridge.xapi.timestamps import parse_timestamp

# RFC 3987 forbids spaces, controls and these ASCII characters anywhere in an IRI; a "%" must
# start a percent-encoded octet. Non-ASCII characters are what makes an IRI more than a URI.
_IRI_CHAR = r"""(?:[^\s<>"{}|\\^`%\x00-\x1f\x7f]|%[0-9A-Fa-f]{2})"""
_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*"
_IRI = re.compile(rf"{_SCHEME}:{_IRI_CHAR}+")
_IRL = re.compile(rf"{_SCHEME}://{_IRI_CHAR}+")

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_SHA1 = re.compile(r"[0-9a-fA-F]{40}")
# SHA-224, SHA-256, SHA-384 and SHA-512 digests in hex.
_SHA2 = re.compile(r"(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})")
_MAILTO = re.compile(r"""mailto:[^\s@<>"\x00-\x1f\x7f]+@[^\s@<>"/?#\x00-\x1f\x7f]+""")

# RFC 5646 §2.1: langtag, private use, and the irregular grandfathered tags (the regular ones
# already fit the langtag form). re.ASCII keeps [a-z] from matching e.g. the Kelvin sign.
_LANGUAGE_TAG = re.compile(
    r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language, with up to three extlangs
    (?:-[a-z]{4})?                                # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                   # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*      # variants
    (?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*           # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                    # private use
    |x(?:-[a-z0-9]{1,8})+
    |en-gb-oed|sgn-(?:be-fr|be-nl|ch-de)
    |i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    """,
    re.IGNORECASE | re.ASCII | re.VERBOSE,
)

# ISO 8601:2004 §4.4.3.2 durations: PnYnMnDTnHnMnS or PnW (weeks stand alone); §4.4.3.3's
# alternative format (P0003-01-29T...) is forbidden by Data §4.6.
_NUMBER = r"[0-9]+(?:[.,][0-9]+)?"
_DURATION = re.compile(
    rf"P(?:{_NUMBER}W|(?=[0-9T])(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}D)?"
    rf"(?:T(?=[0-9])(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?)"
)
_FRACTION = re.compile(r"[.,][0-9]+[A-Z]")

_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(?:[ \t]*;.*)?",
    re.DOTALL,
)
_STATEMENT_VERSION = re.compile(r"1\.0(?:\.[0-9]+(?:-[0-9A-Za-z-]+)?)?")
_STATEMENT_VERSION_2 = re.compile(r"[12]\.0(?:\.[0-9]+(?:-[0-9A-Za-z-]+)?)?")


def is_iri(text) -> bool:
    """An absolute IRI: a scheme, a colon and at least one allowed character."""
    return isinstance(text, str) and _IRI.fullmatch(text) is not None


def is_irl(text) -> bool:
    """An absolute IRL: an IRI with a scheme followed by '//' and an address."""
    return isinstance(text, str) and _IRL.fullmatch(text) is not None


def is_uuid(text) -> bool:
    """A UUID in the standard 8-4-4-4-12 hex form, in any case."""
    return isinstance(text, str) and _UUID.fullmatch(text) is not None


def is_language_tag(text) -> bool:
    """An RFC 5646 language tag (the sequence and lengths of its subtags)."""
    return isinstance(text, str) and _LANGUAGE_TAG.fullmatch(text) is not None


def is_mailto_iri(text) -> bool:
    """A mailto IRI with one email address, e.g. mailto:anna@example.com."""
    return isinstance(text, str) and _MAILTO.fullmatch(text) is not None


def is_sha1_hex(text) -> bool:
    """A SHA-1 digest as 40 hex digits."""
    return isinstance(text, str) and _SHA1.fullmatch(text) is not None


def is_sha2_hex(text) -> bool:
    """A SHA-2 digest (224, 256, 384 or 512 bits) as hex digits."""
    return isinstance(text, str) and _SHA2.fullmatch(text) is not None


def is_duration(text) -> bool:
    """An ISO 8601 duration such as PT4H35M59.14S or P4W (Data §4.6)."""
    if not isinstance(text, str) or _DURATION.fullmatch(text) is None:
        return False
    # Only the smallest component given may carry a decimal fraction (ISO 8601 §4.4.3.2).
    fraction = _FRACTION.search(text)
    return fraction is None or fraction.end() == len(text)


def is_timestamp(text) -> bool:
    """An ISO 8601 timestamp the LRS can store; the offset -00:00 is refused (Data §4.5)."""
    # parse_timestamp's "$" also matches before a final newline.
    if not isinstance(text, str) or text.endswith("\n"):
        return False
    try:
        parse_timestamp(text)
    except ValueError:
        return False
    return True


# Longest Content-Type kept for a document or attachment (the column is VARCHAR(255)).
MAX_CONTENT_TYPE = 255


def is_header_text(text) -> bool:
    """Printable ASCII that fits a Content-Type column and an HTTP header line."""
    return (isinstance(text, str) and len(text) <= MAX_CONTENT_TYPE and text.isascii()
            and text.isprintable())


def is_media_type(text) -> bool:
    """An Internet media type, type/subtype with optional parameters (RFC 2046)."""
    return isinstance(text, str) and _MEDIA_TYPE.fullmatch(text) is not None


def is_statement_version(text) -> bool:
    """A statement version the LRS accepts: 1.0 or 1.0.<patch>, maybe with a pre-release tag."""
    return isinstance(text, str) and _STATEMENT_VERSION.fullmatch(text) is not None


def is_statement_version_2(text) -> bool:
    """A statement version accepted in xAPI 2.0: 1.0[.x] or 2.0[.x], maybe pre-release."""
    return isinstance(text, str) and _STATEMENT_VERSION_2.fullmatch(text) is not None

"""The xAPI versions one endpoint serves: 1.0.x (xAPI 1.0.3) and 2.0.x (IEEE 9274.1.1).

Each request names its version in X-Experience-API-Version; the LRS answers in the latest
patch of the same line (1.0.3 or 2.0.0) and applies that line's rules to the request.
"""

import re
from enum import Enum

from lrs_bridge.xapi.errors import BadRequest

HEADER = "X-Experience-API-Version"


class XAPIVersion(Enum):
    """A line of the specification, named by the patch version the LRS answers with."""

    V1 = "1.0.3"
    V2 = "2.0.0"

    @property
    def is_2(self) -> bool:
        return self is XAPIVersion.V2

    @property
    def default_statement_version(self) -> str:
        """What a stored statement without a version gets: 1.0.0 in 1.0.x (Data §2.4.10),
        2.0.0 in 2.0."""
        return "1.0.0" if self is XAPIVersion.V1 else "2.0.0"


# The versions the About resource lists, newest first.
ABOUT_VERSIONS = ["2.0.0", "1.0.3", "1.0.2", "1.0.1", "1.0.0"]
# What it lists to a 1.0.x client: 1.0 libraries such as TinCanPython refuse an About that
# names a version they do not know.
ABOUT_VERSIONS_1 = ABOUT_VERSIONS[1:]
LATEST = XAPIVersion.V2

_REQUEST_VERSION = {
    XAPIVersion.V1: re.compile(r"1\.0(?:\.\d+)?"),  # 1.0.3 Communication §3.3
    XAPIVersion.V2: re.compile(r"2\.0(?:\.\d+)?"),  # 2.0: "2.0" or "2.0.x"
}


def negotiate(header: str | None) -> XAPIVersion:
    """The version line a request follows; BadRequest when its header is absent or neither
    1.0.x nor 2.0.x."""
    if header is None:
        raise BadRequest(f"the {HEADER} header is required (1.0.3 or 2.0.0)")
    found = line_of(header)
    if found is None:
        raise BadRequest(f"{HEADER} {header!r} is not supported; use 1.0.x or 2.0.x")
    return found


def answering(header: str | None) -> XAPIVersion:
    """The version to answer with: the request's line, or the latest when it names none this
    LRS serves (a refused or version-less request)."""
    return line_of(header) or LATEST


def line_of(header: str | None) -> XAPIVersion | None:
    """The line a version header names, or None when it names none this LRS serves."""
    if header is None:
        return None
    value = header.strip()
    for version, pattern in _REQUEST_VERSION.items():
        if pattern.fullmatch(value):
            return version
    return None


def about_versions(header: str | None) -> list[str]:
    """The versions the About resource lists for a request with this version header."""
    return ABOUT_VERSIONS_1 if line_of(header) is XAPIVersion.V1 else ABOUT_VERSIONS

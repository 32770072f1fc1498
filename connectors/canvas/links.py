"""The `Link` header Canvas pages with (RFC 8288): `<url>; rel="next", <url>; rel="last"`.

The URLs are opaque (Canvas may page by bookmark), so they are followed as given.
"""

import re

# One link: <target> and its parameters, whose quoted values may hold ";" and ",".
_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,"=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,]*))?)*)')
_PARAM = re.compile(r';\s*([^;,"=\s]+)(?:\s*=\s*("[^"]*"|[^;,]*))?')


def links(header: str | None) -> dict[str, str]:
    """The target of each relation a `Link` header names, the first one where a relation
    repeats; relation names in lower case."""
    found: dict[str, str] = {}
    for target, params in _LINK.findall(header or ""):
        for name, value in _PARAM.findall(params):
            if name.lower() != "rel":
                continue
            for rel in value.strip().strip('"').split():  # rel="next last" names two
                found.setdefault(rel.lower(), target.strip())
    return found


def next_link(header: str | None) -> str | None:
    """The URL of the next page; None on the last one."""
    return links(header).get("next")

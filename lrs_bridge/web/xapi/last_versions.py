"""The xAPI version each credential last used, for answering a request that names none.

A request without X-Experience-API-Version (or with one this LRS does not serve) is refused,
and its X-Experience-API-Version response header tells the client which version to speak.
1.0.3 and 2.0 each say it is their own: so the LRS names the line this client last used with
a version it serves, and the latest (2.0.0) for a client it has not heard from. The memory
is per server process and bounded: it only chooses a header, never what a request may do.
"""

import threading
from collections import OrderedDict

from lrs_bridge.xapi.versions import XAPIVersion

_SIZE = 10_000


class LastVersions:
    """Credential key -> the version line of its latest accepted request, newest kept."""

    def __init__(self, size: int = _SIZE):
        self._size = size
        self._seen: OrderedDict[str, XAPIVersion] = OrderedDict()
        self._lock = threading.Lock()

    def note(self, key: str, version: XAPIVersion) -> None:
        """Remember that `key` just used `version`."""
        with self._lock:
            self._seen[key] = version
            self._seen.move_to_end(key)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)

    def of(self, key: str) -> XAPIVersion | None:
        """The version `key` last used, or None when this process has not seen it."""
        with self._lock:
            return self._seen.get(key)

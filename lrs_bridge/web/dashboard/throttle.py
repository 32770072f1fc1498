"""Failed sign-ins counted per e-mail address, whether or not a user has it: after too many,
that address waits, so guessing a password is slow and the wait tells nothing about which
addresses exist."""

import hashlib
import threading
import time
from collections.abc import Callable

FAILURES = 5  # failed sign-ins of one address in a window, after which it waits
WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    """Counts failures per address in this process (each server process counts its own)."""

    def __init__(self, failures: int = FAILURES, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.window = window
        self.clock = clock
        self._seen: dict[bytes, tuple[float, int]] = {}  # key -> (window start, failures)
        self._lock = threading.Lock()

    def wait_seconds(self, address: str) -> float:
        """How long `address` must wait before it may try again (0: it may now)."""
        now = self.clock()
        with self._lock:
            start, count = self._seen.get(_key(address), (now, 0))
        if count < self.failures or now - start >= self.window:
            return 0.0
        return self.window - (now - start)

    def failed(self, address: str) -> None:
        """Count a failed sign-in of `address`."""
        now, key = self.clock(), _key(address)
        with self._lock:
            if len(self._seen) > 10_000:  # forget finished windows rather than grow
                self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self.window}
            start, count = self._seen.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            self._seen[key] = (start, count + 1)

    def succeeded(self, address: str) -> None:
        """Forget the failures of `address` once it signs in."""
        with self._lock:
            self._seen.pop(_key(address), None)


def _key(address: str) -> bytes:
    # A digest: the process keeps no list of the addresses people typed.
    return hashlib.sha256(address.strip().lower().encode()).digest()

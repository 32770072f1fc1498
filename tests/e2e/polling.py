"""Waiting for a server process: read until the expected value shows, or fail showing the last."""

import time


def eventually(read, expected, seconds: float):
    """Read until `read()` equals `expected`; past `seconds`, fail showing the last read.

    The server's worker is a process of its own with nothing to wait on from a test, so
    polling it is.
    """
    deadline = time.monotonic() + seconds
    while True:
        got = read()
        if got == expected or time.monotonic() > deadline:
            assert got == expected
            return got
        time.sleep(0.2)

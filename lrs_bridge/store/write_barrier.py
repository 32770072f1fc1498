"""The write barrier: the moment before which every statement is committed.

A statement's `stored` is read from the clock inside its write transaction, some time before
that transaction commits. A reader that wants to say "everything stored before T is
visible" (X-Experience-API-Consistent-Through, Communication §2.1.3) must therefore know that
no transaction that read the clock before T is still open. Every statement write holds the
barrier shared from before it reads the clock until it ends; a reader reads the clock first
and then passes the barrier exclusively, which waits for exactly those writes.

On PostgreSQL the barrier is an advisory lock; on a SQLite file it is the write lock that
already lets one writer in at a time. Both rely on the writers and the reader reading the
same clock: settings.consistency_lag covers clocks of other hosts.
"""

import threading
import time

from sqlalchemy import Engine, text

from lrs_bridge.store.engine import writes_finished

# The two-int4 form of the advisory lock functions has a key space of its own, apart from
# the bigint id keys of StatementStore.begin_write, so the barrier shares no key with them.
_KEY = {"space": 0x6C727362, "key": 1}  # "lrsb"
_ENTER = text("SELECT pg_advisory_xact_lock_shared(:space, :key)")
_PASS = text("SELECT pg_advisory_xact_lock(:space, :key)")
_TRY = text("SELECT pg_try_advisory_xact_lock(:space, :key)")


class WriteBarrier:
    """The barrier of one database, and the latest moment this process saw settled."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._latest: int | None = None
        self._lock = threading.Lock()

    def enter(self, conn) -> None:
        """Hold the barrier for the rest of the write transaction `conn`; call it before the
        transaction reads the clock for `stored` and before it takes any other lock."""
        if conn.dialect.name == "postgresql":
            conn.execute(_ENTER, _KEY)

    def settle(self, max_age_ms: int = 0) -> int:
        """Epoch ms S such that every statement stored before S is committed: the current
        moment when no statement write is open; otherwise the latest moment this process
        settled if it is at most `max_age_ms` old; otherwise the current moment once the
        writes open now have ended. Holds nothing once it returns."""
        moment = _now_ms()
        if self._pass(wait=False):
            return self._keep(moment)
        with self._lock:
            latest = self._latest
        if latest is not None and moment - latest <= max_age_ms:
            return latest
        self._pass(wait=True)
        return self._keep(moment)

    def glance(self) -> int:
        """As settle(), with any moment this process settled before: waits at most once."""
        return self.settle(max_age_ms=2**62)

    def _pass(self, wait: bool) -> bool:
        if self.engine.dialect.name != "postgresql":
            return writes_finished(self.engine, wait)
        # Autocommit: the lock is released as the statement ends, before any query runs.
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            if wait:
                conn.execute(_PASS, _KEY)
                return True
            return conn.execute(_TRY, _KEY).scalar()

    def _keep(self, moment: int) -> int:
        with self._lock:
            self._latest = max(moment, self._latest or 0)
        return moment


def _now_ms() -> int:
    # The clock StatementStore reads for `stored`, at the same precision.
    return int(time.time() * 1000)

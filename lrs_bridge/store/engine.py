"""Engine creation, with the SQLite settings a multi-process web server needs."""

import fcntl
import threading
import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event

_IMMEDIATE = "lrs_bridge_immediate"
_WRITE_LOCKS: "weakref.WeakKeyDictionary[Engine, _WriteLock]" = weakref.WeakKeyDictionary()


class _WriteLock:
    """One writer at a time across the threads and processes sharing a SQLite file.

    SQLite's own busy handler waits by sleeping in steps of milliseconds, which under
    concurrent writes costs more than the writes. A file lock wakes the next writer as
    soon as the previous one commits.
    """

    def __init__(self, path: Path):
        self.path = path
        self.thread_lock = threading.Lock()
        self.local = threading.local()

    @contextmanager
    def held(self, wait: bool = True) -> Iterator[bool]:
        """Hold the lock for the block; without `wait`, yield False at once if it is taken."""
        if not self.thread_lock.acquire(blocking=wait):
            yield False
            return
        try:
            handle = getattr(self.local, "handle", None)
            if handle is None:
                handle = self.local.handle = open(self.path, "a+b")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            self.thread_lock.release()


_PROGRESS_LOCKS: "weakref.WeakKeyDictionary[Engine, _WriteLock]" = weakref.WeakKeyDictionary()


@contextmanager
def progress_lock(engine: Engine) -> Iterator[None]:
    """On a SQLite file, one progress writer at a time across processes (the worker `serve`
    runs, `reprocess`, `alerts scan`), so a batch can be worked out outside the write lock
    and written in a short write transaction; other databases need no such lock."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    lock = _PROGRESS_LOCKS.get(engine)
    if lock is None:
        lock = _PROGRESS_LOCKS.setdefault(engine, _WriteLock(Path(database + ".progress-lock")))
    with lock.held():
        yield


class WorkerRunning(RuntimeError):
    """Another worker runs on this SQLite database."""


WORKER_PARTS = ("progress", "delivery")


@contextmanager
def worker_lock(engine: Engine, parts: tuple[str, ...] = WORKER_PARTS) -> Iterator[None]:
    """On a SQLite file, make this process the one worker doing `parts` (folding progress,
    delivering to the LMS: `serve` runs each in a process of its own, `lrs-bridge worker`
    both) while the block runs; WorkerRunning when another holds one of them. PostgreSQL
    takes any number of workers."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with ExitStack() as held:
        for part in parts:
            # The progress part keeps the file name it had before the parts were apart.
            suffix = ".worker-lock" if part == "progress" else f".{part}-lock"
            handle = held.enter_context(open(database + suffix, "a+b"))  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise WorkerRunning(
                    f"another lrs-bridge worker (or `serve`, which runs one) is running on "
                    f"{database}; one worker is enough on SQLite") from None
        yield


def make_engine(url: str) -> Engine:
    """Create the engine for `url`; SQLite gets WAL, a busy timeout and serialised writes."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        _tune_sqlite(engine)
        database = engine.url.database
        if database and database != ":memory:":
            _WRITE_LOCKS[engine] = _WriteLock(Path(database + ".write-lock"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # The query index outgrows SQLite's 2 MiB default page cache quickly; each pooled
        # connection keeps its own cache, so this bounds a process's memory too.
        cursor.execute("PRAGMA cache_size=-16384")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        # A write transaction that first reads and then writes must take the write lock at
        # BEGIN; otherwise two of them deadlock on the upgrade and one fails with "locked".
        if connection.get_execution_options().get(_IMMEDIATE):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: committed on success, rolled back on any error."""
    lock = _WRITE_LOCKS.get(engine)
    with engine.connect() as connection:
        connection = connection.execution_options(**{_IMMEDIATE: True})
        if lock is None:
            with connection.begin():
                yield connection
            return
        with lock.held(), connection.begin():
            yield connection


def writes_finished(engine: Engine, wait: bool = True) -> bool:
    """On a SQLite file, pass through the write lock: True once no write transaction that
    began earlier is still open; without `wait`, False at once when one is. Other databases
    (and SQLite in memory) have no such lock: True."""
    lock = _WRITE_LOCKS.get(engine)
    if lock is None:
        return True
    with lock.held(wait) as got:
        return got


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction: one consistent snapshot for a whole query."""
    with engine.connect() as connection, connection.begin():
        yield connection

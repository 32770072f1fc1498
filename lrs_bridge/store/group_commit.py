"""Group commit: the statement saves of one process's concurrent requests share a transaction.

Each request's batch runs in a savepoint of its own, so one refused batch (a conflict, a
repeated id) is rolled back alone; the others commit together. A lone request is written
at once; under load, one commit and one lock hand-over serve many requests.
"""

import queue
import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from lrs_bridge.store.engine import write_transaction
from lrs_bridge.store.statements import StatementStore

_MAX_GROUP = 64


@dataclass
class _Job:
    tenant_id: int
    batch: list[dict]
    options: dict
    done: threading.Event = field(default_factory=threading.Event)
    result: list[str] | None = None
    error: BaseException | None = None


class GroupCommitter:
    """Saves statement batches through one writer thread per process."""

    def __init__(self, engine: Engine, store: StatementStore):
        self.engine = engine
        self.store = store
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def save(self, tenant_id: int, batch: list[dict], **options) -> list[str]:
        """Store a batch atomically (as StatementStore.save) and return its ids."""
        job = _Job(tenant_id, batch, options)
        self._ensure_writer()
        self._queue.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def _ensure_writer(self) -> None:
        # Started on first use, so that it lives in the process that serves (after a fork).
        if self._writer is not None and self._writer.is_alive():
            return
        with self._start_lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._run, name="group-commit",
                                                daemon=True)
                self._writer.start()

    def _run(self) -> None:
        while True:
            jobs = [self._queue.get()]
            while len(jobs) < _MAX_GROUP:
                try:
                    jobs.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(jobs)

    def _write(self, jobs: list[_Job], *, may_retry: bool = True) -> None:
        try:
            with write_transaction(self.engine) as conn:
                self.store.begin_write(conn, [(job.tenant_id, job.batch) for job in jobs])
                if len(jobs) == 1:  # alone, the transaction itself is the job's savepoint
                    jobs[0].result = self._save(conn, jobs[0])
                else:
                    for job in jobs:
                        try:
                            with conn.begin_nested():
                                job.result = self._save(conn, job)
                        except Exception as err:  # noqa: BLE001 - handed to the request
                            job.error = err
        except Exception as err:  # noqa: BLE001 - the commit failed: no job was stored
            for job in jobs:
                job.error = job.error or err
        # Another process stored the same statement (or attachment) between our look and
        # our insert (PostgreSQL): once it has committed, a second try sees it and judges
        # the job as a repeat or a conflict.
        retry = [job for job in jobs if may_retry and isinstance(job.error, IntegrityError)]
        for job in retry:
            job.error, job.result = None, None
        if retry:
            self._write(retry, may_retry=False)
        for job in jobs:
            job.done.set()

    def _save(self, conn, job: _Job) -> list[str]:
        return self.store.save_in(conn, job.tenant_id, job.batch, **job.options)

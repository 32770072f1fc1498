"""The progress worker: claims the marks statement writes and roster imports leave, folds
them into learners' state, and runs the time-based alert rules on a schedule.

Every batch is one transaction: the marks it claimed are deleted in the transaction that
writes their effect (state, alerts, outbox), so a crash loses nothing and repeats nothing.
"""

import logging
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import Engine, select, text

from lrs_bridge.clock import Clock
from lrs_bridge.delivery import learner_update
from lrs_bridge.delivery.connector_factory import EventFilter
from lrs_bridge.delivery.learner_update import Plan, Work
from lrs_bridge.journey.evidence import TagLimits
from lrs_bridge.journey.matching import ModuleIndex
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.progress import evidence_of
from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.store import progress_queue as queue
from lrs_bridge.store.engine import (
    progress_lock,
    read_transaction,
    write_transaction,
    writes_finished,
)
from lrs_bridge.store.learners import load_learners, owners
from lrs_bridge.store.progress import stamps, view_states
from lrs_bridge.store.progress_sources import (
    statements_by_id,
    statements_of,
    trusted_keys,
)
from lrs_bridge.store.tables import learners
from lrs_bridge.xapi.agents import credential_key, ifi_key, learner_key
from lrs_bridge.xapi.index_keys import key_hash

log = logging.getLogger(__name__)
_LOCK = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k "
             "ORDER BY k")


class ProgressWorker:
    """Folds marked statements into progress; one instance per thread."""

    def __init__(self, engine: Engine, mappings: MappingHolder, clock: Clock,
                 authority_home: str, batch: int = 200):
        self.engine = engine
        self.mappings = mappings
        self.clock = clock
        self.authority_home = authority_home
        self.batch = batch
        self._index: tuple[str, ModuleIndex, TagLimits] | None = None
        self._filter: tuple[str, EventFilter] | None = None

    def run_once(self) -> int:
        """Process one batch of marks; return how many were claimed (0: nothing waits)."""
        snapshot = self.mappings.current()
        if snapshot.mapping is None:
            return 0  # nothing to fold with: the marks wait for a working mapping
        mapping, version = snapshot.mapping, snapshot.version
        with self._phases() as (reading, writing):
            with reading() as conn:
                marks = queue.claim(conn, self.batch)
                if not marks:
                    return 0
                now = self.clock.now()
                by_tenant = defaultdict(list)
                for mark in marks:
                    by_tenant[mark.tenant_id].append(mark)
                plans = [self._tenant_batch(conn, tenant_id, tenant_marks, mapping, version,
                                            now)
                         for tenant_id, tenant_marks in sorted(by_tenant.items())]
                wants = self._wants(mapping, version)
                with writing(conn) as target:
                    for plan in plans:
                        learner_update.apply(target, plan, wants)
                    queue.done(target, marks)
        return len(marks)

    def drain(self, progress=None) -> int:
        """Process marks until none wait; `progress(n)` hears of each batch. Return the count."""
        total = 0
        while True:
            count = self.run_once()
            if not count:
                return total
            total += count
            if progress is not None:
                progress(count)

    def scan(self, tenant_id: int | None = None, chunk: int = 200) -> int:
        """Run the alert rules for every learner at the clock's time; return how many."""
        return sum(self.scan_steps(tenant_id, chunk))

    def scan_steps(self, tenant_id: int | None = None, chunk: int = 200):
        """scan() one chunk of learners at a time: yields how many each chunk had, so that a
        worker can fold statements between chunks."""
        snapshot = self.mappings.current()
        if snapshot.mapping is None:
            return
        query = select(learners.c.id, learners.c.tenant_id).order_by(learners.c.id)
        if tenant_id is not None:
            query = query.where(learners.c.tenant_id == tenant_id)
        with self.engine.connect() as conn:
            everyone = [tuple(row) for row in conn.execute(query)]
        now = self.clock.now()
        for start in range(0, len(everyone), chunk):
            part = everyone[start:start + chunk]
            with self._phases() as (reading, writing), reading() as conn:
                _lock(conn, part)
                people = load_learners(conn, {lid for lid, _ in part})
                by_tenant = defaultdict(list)
                for learner_id, tenant in part:
                    by_tenant[tenant].append(learner_id)
                plans = []
                for tenant, ids in sorted(by_tenant.items()):
                    plan = Plan(tenant, now)
                    learner_update.settle(conn, plan, {i: people[i] for i in ids}, None,
                                          view_states(conn, tenant, ids), snapshot.mapping)
                    plans.append(plan)
                wants = self._wants(snapshot.mapping, snapshot.version)
                with writing(conn) as target:
                    for plan in plans:
                        learner_update.apply(target, plan, wants)
            yield len(part)

    @contextmanager
    def _phases(self):
        """(reading, writing): on PostgreSQL one transaction for both, which claims marks
        with SKIP LOCKED and so runs beside other workers; on SQLite the work is read and
        worked out in a snapshot, and only its writes take the write lock, so statement
        writes wait milliseconds, not the whole batch (one progress writer at a time)."""
        if self.engine.dialect.name == "postgresql":
            @contextmanager
            def same(conn):
                yield conn

            yield (lambda: write_transaction(self.engine)), same
            return

        @contextmanager
        def write(_conn):
            # Statement writes go first: while one holds the write lock, wait a moment
            # (at most about half a second) rather than queue for it.
            for _ in range(10):
                if writes_finished(self.engine, wait=False):
                    break
                time.sleep(0.05)
            with write_transaction(self.engine) as conn:
                yield conn

        with progress_lock(self.engine):
            yield (lambda: read_transaction(self.engine)), write

    def _tenant_batch(self, conn, tenant_id: int, marks, mapping: Mapping, version: str,
                      now) -> Plan:
        plan = Plan(tenant_id, now)
        index, limits = self._helpers(mapping, version)
        ids = sorted({m.statement_id for m in marks if m.statement_id})
        found = statements_by_id(conn, tenant_id, ids)
        trusted = trusted_keys(conn, tenant_id)
        wanted: dict[str, list] = defaultdict(list)  # directory key -> [(kind, statement, voided)]
        for mark in marks:
            if mark.kind == queue.REBUILD or mark.statement_id not in found:
                continue
            statement, voided = found[mark.statement_id]
            actor = statement.get("actor") or {}
            if actor.get("objectType", "Agent") != "Agent":
                continue  # a Group is not a learner
            key = learner_key(actor)
            if mark.kind == queue.STORED:
                plan.actors[(key, ifi_key(actor))] += 1
            wanted[key].append((mark.kind, statement, voided))
        known = owners(conn, tenant_id, sorted(wanted))
        work: dict[int, Work] = defaultdict(Work)
        for key, items in wanted.items():
            if key not in known:
                continue  # kept and counted (actors) until the roster names this person
            plan_of = work[known[key]]
            for kind, statement, voided in items:
                sid = str(statement["id"]).lower()
                if kind == queue.VOIDED or voided:
                    plan_of.retracting.add(sid)
                    continue
                evidence = evidence_of(mapping, statement, index=index, limits=limits,
                                       trusted_tags=self._trusted(statement, trusted))
                if evidence is not None:
                    plan_of.adding[sid] = replace(evidence, statement_id=sid)
        rebuilding = {mark.learner_id for mark in marks if mark.kind == queue.REBUILD}
        for learner_id in rebuilding:  # a learner to rebuild may have no statement here
            work.setdefault(learner_id, Work())
        if not work:
            return plan
        _lock(conn, [(learner_id, tenant_id) for learner_id in work])
        people = load_learners(conn, set(work))
        folded = stamps(conn, tenant_id, sorted(work))
        for learner_id, item in work.items():
            stale = folded.get(learner_id, version) != version
            if learner_id in people and (learner_id in rebuilding or stale):
                item.rebuild = self._evidence_of_person(conn, tenant_id, people[learner_id],
                                                        mapping, index, limits, trusted)
        learner_update.update(conn, plan, people, work, mapping, version)
        return plan

    def _evidence_of_person(self, conn, tenant_id, person, mapping, index, limits, trusted):
        found = []
        for statement in statements_of(conn, tenant_id, person.keys):
            actor = statement.get("actor") or {}
            if actor.get("objectType", "Agent") != "Agent" or learner_key(actor) not in person.keys:
                continue  # the person was the object, or a Group's member
            evidence = evidence_of(mapping, statement, index=index, limits=limits,
                                   trusted_tags=self._trusted(statement, trusted))
            if evidence is not None:
                found.append(replace(evidence, statement_id=evidence.statement_id.lower()))
        return found

    def _trusted(self, statement: dict, trusted: set[str]) -> bool:
        key = credential_key(statement, self.authority_home)
        return key is not None and key in trusted

    def _wants(self, mapping: Mapping, version: str) -> EventFilter:
        if self._filter is None or self._filter[0] != version:
            self._filter = (version, EventFilter(mapping))
        return self._filter[1]

    def _helpers(self, mapping: Mapping, version: str) -> tuple[ModuleIndex, TagLimits]:
        if self._index is None or self._index[0] != version:
            self._index = (version, ModuleIndex(mapping.modules), TagLimits.of(mapping))
        return self._index[1], self._index[2]


def _lock(conn, learners: list[tuple[int, int]]) -> None:
    """On PostgreSQL, one worker at a time per learner (SQLite has one writer anyway)."""
    if conn.dialect.name != "postgresql":
        return
    keys = sorted({key_hash("learner", f"{tenant}:{lid}") for lid, tenant in learners})
    conn.execute(_LOCK, {"keys": keys})


def run(worker: ProgressWorker, stop: threading.Event, *, idle: float = 0.2,
        scan_every: float = 900.0) -> None:
    """Process marks until `stop` is set; scan alerts every `scan_every` seconds, a chunk of
    learners between two batches of marks, so that a scan never holds up folding."""
    next_scan, scanning = time.monotonic(), None
    while not stop.is_set():
        try:
            if scanning is None and time.monotonic() >= next_scan:
                scanning = worker.scan_steps()
                next_scan = time.monotonic() + scan_every
            folded = worker.run_once()
            if scanning is not None and next(scanning, None) is None:
                scanning = None
            if folded or scanning is not None:
                continue
        except Exception:  # noqa: BLE001 - a worker that dies silently loses nothing but time
            log.exception("progress worker: a batch failed; it will be tried again")
            stop.wait(5.0)
        stop.wait(idle)

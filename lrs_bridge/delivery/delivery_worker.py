"""The delivery worker: hands outbox events to the connectors and records what the LMS said.

Deliveries are leased (a short write transaction) and handed to a pool of threads, so that
several LMS calls are under way at once and one slow answer holds up no other learner; what
the LMS answered is settled in one short transaction for all the deliveries that finished.
A lease holds at most one delivery per (connector, learner), the earliest still pending, so a
learner's events still reach each LMS in order. A retry waits exponentially longer, with
jitter, or as long as the LMS asked (`Retry-After`); after `max_attempts`, or at once on a
permanent refusal, the delivery is dead, with the LMS's own words.
"""

import logging
import random
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass

import requests
from requests.adapters import HTTPAdapter

from lrs_bridge.clock import Clock
from lrs_bridge.delivery.connector_factory import build
from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.store import deliveries as store
from lrs_bridge.store.connectors import ConnectorStore
from lrs_bridge.store.engine import write_transaction
from lrs_bridge.token_box import TokenError
from lrs_bridge_connectors.base import (
    OK,
    PERMANENT,
    Connector,
    ConnectorError,
    LmsUser,
    Result,
)
from lrs_bridge_connectors.registry import UnknownKind

log = logging.getLogger(__name__)


def backoff(attempts: int, rng: random.Random, *, first: float = 5.0,
            cap: float = 6 * 3600.0) -> float:
    """Seconds before attempt `attempts + 1`: 5 s, 10 s, 20 s … at most six hours, each
    between half and the whole of that (jitter, so that retries of many events spread)."""
    ceiling = min(cap, first * 2 ** max(0, attempts - 1))
    return ceiling * (0.5 + rng.random() / 2)


@dataclass(frozen=True)
class _Outcome:
    item: store.Lease
    result: Result | None  # None: not attempted, the lease ran too short (falls due again)
    found: LmsUser | None = None  # a user the LMS named for the learner just now


class DeliveryWorker:
    """Delivers leased events, up to `concurrency` at once, through one HTTP session; holds
    at most `batch` leased (those beyond `concurrency` wait for a thread)."""

    def __init__(self, engine, mappings: MappingHolder, clock: Clock, secret_key: str, *,
                 batch: int = 100, concurrency: int = 8, lease_seconds: float = 120.0,
                 max_attempts: int = 20, rng: random.Random | None = None):
        self.engine = engine
        self.mappings = mappings
        self.clock = clock
        self.secret_key = secret_key
        self.batch = batch
        self.concurrency = max(1, concurrency)
        self.lease_ms = int(lease_seconds * 1000)
        # A delivery still waiting for a thread after this long is left for its lease to
        # lapse rather than begun: it could not finish before another worker may take it.
        self.start_within = lease_seconds / 2
        self.gather = 0.05  # seconds to let more deliveries finish before settling
        self.max_attempts = max_attempts
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_maxsize=self.concurrency)  # one connection per thread
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.store = ConnectorStore(engine)
        self._built: dict[int, tuple[object, Connector | str]] = {}
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="deliver")
        self._running: set[Future] = set()

    def run_once(self) -> int:
        """Lease a batch, deliver all of it and what was under way, settle it; return how
        many deliveries were settled."""
        self._exchange(set(), self.batch)
        settled = 0
        while self._running:
            wait(self._running)
            settled += self._exchange(self._finished(), 0)
        return settled

    def step(self, idle: float) -> int:
        """Wait up to `idle` for deliveries under way, then, in one write transaction,
        settle those that finished and lease what is due while a thread is free; return how
        many were settled plus how many are still under way (0: nothing to do)."""
        if self._running:
            first, _ = wait(self._running, timeout=idle, return_when=FIRST_COMPLETED)
            if first:
                time.sleep(self.gather)  # let others finish too: one transaction for all
        done = self._finished()
        room = self.batch - len(self._running) if len(self._running) < self.concurrency \
            else 0
        # A read first: on SQLite a write transaction takes the write lock that statement
        # writes and the progress worker need, so none is begun for nothing.
        if room and not done and not self._due():
            room = 0
        settled = self._exchange(done, room) if done or room else 0
        return settled + len(self._running)

    def close(self) -> None:
        """Let the deliveries under way finish and settle them; stop the threads."""
        while self._running:
            wait(self._running)
            self._exchange(self._finished(), 0)
        self._pool.shutdown()
        self.session.close()

    def _finished(self) -> set[Future]:
        done = {future for future in self._running if future.done()}
        self._running -= done
        return done

    def _due(self) -> bool:
        with self.engine.connect() as conn:
            return store.any_due(conn, self._now_ms())

    def _exchange(self, done: set[Future], room: int) -> int:
        """In one transaction: record what the LMS answered to `done`, and lease up to `room`
        deliveries that are due (handed to the threads once it commits); return how many
        were settled."""
        now_ms = self._now_ms()
        outcomes = [future.result() for future in done]
        settled = [self._settled(o.item, o.result, now_ms) for o in outcomes
                   if o.result is not None]
        with write_transaction(self.engine) as conn:
            for outcome in outcomes:
                if outcome.result is None:
                    continue
                if outcome.result.user_gone:
                    store.forget_user(conn, outcome.item.connector_id, outcome.item.learner_id)
                elif outcome.found is not None:
                    store.remember_user(conn, outcome.item.connector_id,
                                        outcome.item.learner_id, asdict(outcome.found), now_ms)
            recorded = store.settle(conn, settled, now_ms)
            leased = store.lease(conn, now_ms, room, self.lease_ms) if room > 0 else []
            cached = store.cached_users(conn, [(i.connector_id, i.learner_id) for i in leased])
        if recorded < len(settled):
            log.warning("%s of %s deliveries: their lease lapsed before the answer was "
                        "recorded; they fall due again", len(settled) - recorded, len(settled))
        leased_at = time.monotonic()
        for item in leased:
            connector = self._connector(item.connector_id)
            user = cached.get((item.connector_id, item.learner_id))
            self._running.add(self._pool.submit(
                self._attempt, connector, item, LmsUser(**user) if user else None, leased_at))
        return len(settled)

    def _settled(self, item: store.Lease, result: Result, now_ms: int) -> store.Settled:
        attempts = item.attempts + 1
        if result.status == OK:
            return store.Settled(item, "done", attempts, now_ms, None)
        if result.status == PERMANENT or attempts >= self.max_attempts:
            log.warning("delivery %s to connector %s is dead after %s attempt(s): %s",
                        item.id, item.connector_id, attempts, result.message)
            return store.Settled(item, "dead", attempts, now_ms, result.message)
        wait_s = result.retry_after if result.retry_after is not None \
            else backoff(attempts, self.rng)
        return store.Settled(item, "pending", attempts, now_ms + int(wait_s * 1000),
                             result.message)

    def _attempt(self, connector: Connector | str, item: store.Lease, cached: LmsUser | None,
                 leased_at: float) -> _Outcome:
        """One delivery, on a pool thread: no database, only the LMS."""
        if time.monotonic() - leased_at > self.start_within:
            return _Outcome(item, None)
        if isinstance(connector, str):  # it cannot be built: the reason, retried later
            return _Outcome(item, Result.retry(connector))
        try:
            user, found = cached, None
            if user is None and connector.needs_user(item.event):
                try:
                    user = found = connector.resolve_user(item.event.get("learner") or {})
                except ConnectorError as err:  # the LMS could not say who the learner is
                    return _Outcome(item, err.result)
                if user is None:
                    learner = item.event.get("learner") or {}
                    return _Outcome(item, Result.retry(
                        f"no user for {learner.get('email') or 'this learner'} in the LMS "
                        f"(yet)"))
            return _Outcome(item, connector.deliver(item.event, user), found)
        except Exception as err:  # noqa: BLE001 - a connector's bug must not stop delivery
            log.exception("connector %s failed on event %s", connector.config.name,
                          item.event.get("id"))
            return _Outcome(item, Result.retry(f"the connector failed: {type(err).__name__}"))

    def _connector(self, connector_id: int) -> Connector | str:
        """The connector (built once per mapping version), or why it cannot be built."""
        snapshot = self.mappings.current()
        built = self._built.get(connector_id)
        if built is not None and built[0] == snapshot.version:
            return built[1]
        row = next((r for r in self.store.all() if r.id == connector_id), None)
        if row is None:
            found: Connector | str = "the connector was removed"
        else:
            try:
                found = build(row, self.secret_key, self.session, snapshot.mapping)
            except (UnknownKind, TokenError) as err:
                found = str(err)
        self._built[connector_id] = (snapshot.version, found)
        return found

    def _now_ms(self) -> int:
        return int(self.clock.now().timestamp() * 1000)


def run(worker: DeliveryWorker, stop, *, idle: float = 0.25) -> None:
    """Deliver until `stop` (a threading.Event) is set, then settle what is under way."""
    while not stop.is_set():
        try:
            if worker.step(idle):
                continue
        except Exception:  # noqa: BLE001 - a failed batch is retried; nothing is lost
            log.exception("delivery worker: a batch failed; it will be tried again")
            stop.wait(5.0)
        stop.wait(idle)
    worker.close()

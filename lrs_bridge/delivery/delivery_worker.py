"""The delivery worker: hands outbox events to the connectors and records what the LMS said.

Each delivery is leased (a short write transaction), delivered with no transaction open (an
LMS may take seconds), and settled (another short one). A retry waits exponentially longer,
with jitter, or as long as the LMS asked (`Retry-After`); after `max_attempts`, or at once on a
permanent refusal, the delivery is dead, with the LMS's own words. A learner's later events
wait for their earlier ones, per connector; other learners' go on.
"""

import logging
import random
from dataclasses import asdict

import requests

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


class DeliveryWorker:
    """Delivers leased events; one instance per thread (it keeps one HTTP session)."""

    def __init__(self, engine, mappings: MappingHolder, clock: Clock, secret_key: str, *,
                 batch: int = 20, lease_seconds: float = 120.0, max_attempts: int = 20,
                 rng: random.Random | None = None):
        self.engine = engine
        self.mappings = mappings
        self.clock = clock
        self.secret_key = secret_key
        self.batch = batch
        self.lease_ms = int(lease_seconds * 1000)
        self.max_attempts = max_attempts
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self.session = requests.Session()
        self.store = ConnectorStore(engine)
        self._built: dict[int, tuple[object, Connector | str]] = {}

    def run_once(self) -> int:
        """Lease a batch, deliver it, settle it; return how many were leased."""
        now_ms = self._now_ms()
        with write_transaction(self.engine) as conn:
            leased = store.lease(conn, now_ms, self.batch, self.lease_ms)
        for item in leased:
            self._deliver(item)
        return len(leased)

    def _deliver(self, item: store.Lease) -> None:
        connector = self._connector(item.connector_id)
        if isinstance(connector, str):  # it cannot be built: the reason, retried later
            result = Result.retry(connector)
        else:
            result = self._attempt(connector, item)
        attempts = item.attempts + 1
        now_ms = self._now_ms()
        if result.status == OK:
            status, next_attempt, error = "done", now_ms, None
        elif result.status == PERMANENT or attempts >= self.max_attempts:
            status, next_attempt, error = "dead", now_ms, result.message
            log.warning("delivery %s to connector %s is dead after %s attempt(s): %s",
                        item.id, item.connector_id, attempts, result.message)
        else:
            wait = result.retry_after if result.retry_after is not None \
                else backoff(attempts, self.rng)
            status, next_attempt, error = "pending", now_ms + int(wait * 1000), result.message
        with write_transaction(self.engine) as conn:
            if result.user_gone:
                store.forget_user(conn, item.connector_id, item.learner_id)
            store.settle(conn, item.id, status=status, attempts=attempts,
                         next_attempt=next_attempt, error=error, now_ms=now_ms)

    def _attempt(self, connector: Connector, item: store.Lease) -> Result:
        try:
            try:
                user = self._user(connector, item)
            except ConnectorError as err:  # the LMS could not say who the learner is
                return err.result
            if user is None:
                learner = item.event.get("learner") or {}
                return Result.retry(f"no user for {learner.get('email') or 'this learner'} in "
                                    f"the LMS (yet)")
            return connector.deliver(item.event, user)
        except Exception as err:  # noqa: BLE001 - a connector's bug must not stop delivery
            log.exception("connector %s failed on event %s", connector.config.name,
                          item.event.get("id"))
            return Result.retry(f"the connector failed: {type(err).__name__}")

    def _user(self, connector: Connector, item: store.Lease) -> LmsUser | None:
        with self.engine.connect() as conn:
            cached = store.cached_user(conn, item.connector_id, item.learner_id)
        if cached is not None:
            return LmsUser(**cached)
        user = connector.resolve_user(item.event.get("learner") or {})
        if user is not None:
            with write_transaction(self.engine) as conn:
                store.remember_user(conn, item.connector_id, item.learner_id, asdict(user),
                                    self._now_ms())
        return user

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


def run(worker: DeliveryWorker, stop, *, idle: float = 0.5) -> None:
    """Deliver until `stop` (a threading.Event) is set."""
    while not stop.is_set():
        try:
            if worker.run_once():
                continue
        except Exception:  # noqa: BLE001 - a failed batch is retried; nothing is lost
            log.exception("delivery worker: a batch failed; it will be tried again")
            stop.wait(5.0)
        stop.wait(idle)

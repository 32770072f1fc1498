"""The composition root: builds the engine and repositories for the app, the CLI and workers."""

from dataclasses import dataclass

from sqlalchemy import Engine

from lrs_bridge.clock import Clock
from lrs_bridge.delivery.delivery_worker import DeliveryWorker
from lrs_bridge.delivery.progress_worker import ProgressWorker
from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.settings import Settings
from lrs_bridge.store.activities import ActivityStore
from lrs_bridge.store.connectors import ConnectorStore
from lrs_bridge.store.credentials import CredentialStore
from lrs_bridge.store.dashboard_users import DashboardUserStore
from lrs_bridge.store.documents import DocumentStore
from lrs_bridge.store.engine import make_engine
from lrs_bridge.store.group_commit import GroupCommitter
from lrs_bridge.store.learners import LearnerStore
from lrs_bridge.store.statements import StatementStore


@dataclass(frozen=True)
class Services:
    """Everything a process needs, built once from the settings."""

    settings: Settings
    engine: Engine
    credentials: CredentialStore
    statements: StatementStore
    writer: GroupCommitter
    documents: DocumentStore
    activities: ActivityStore
    mappings: MappingHolder
    learners: LearnerStore
    clock: Clock
    connectors: ConnectorStore
    dashboard_users: DashboardUserStore

    def delivery_worker(self) -> DeliveryWorker:
        """A delivery worker on these services."""
        return DeliveryWorker(self.engine, self.mappings, self.clock, self.settings.secret_key,
                              concurrency=self.settings.delivery_threads,
                              lease_seconds=self.settings.delivery_lease_seconds,
                              max_attempts=self.settings.delivery_attempts)

    def progress_worker(self) -> ProgressWorker:
        """A progress worker on these services (one per thread)."""
        return ProgressWorker(self.engine, self.mappings, self.clock,
                              self.settings.authority_home, self.settings.worker_batch)


def bootstrap(settings: Settings | None = None, mappings: MappingHolder | None = None,
              clock: Clock | None = None) -> Services:
    """Build the services for `settings` (default: read from the environment).

    `mappings` is a holder already loaded, as `serve` gives its workers; default: a new one.
    """
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    activities = ActivityStore(engine)
    statements = StatementStore(engine, activities)
    return Services(
        settings=settings,
        engine=engine,
        credentials=CredentialStore(engine, settings.secret_hash_method),
        statements=statements,
        writer=GroupCommitter(engine, statements),
        documents=DocumentStore(engine),
        activities=activities,
        mappings=mappings or MappingHolder(settings.mappings),
        learners=LearnerStore(engine),
        clock=clock or Clock(),
        connectors=ConnectorStore(engine),
        dashboard_users=DashboardUserStore(engine, settings.secret_hash_method),
    )

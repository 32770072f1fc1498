"""Fixtures shared by every test layer: databases (SQLite and PostgreSQL), app, clients."""

import base64
import os
import uuid

import psycopg
import pytest
from sqlalchemy import text

from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.settings import Settings
from lrs_bridge.store.migrate import upgrade
from lrs_bridge.store.tables import metadata
from lrs_bridge.web.app import create_app
from tests.integration import feed_helpers

POSTGRES_URL = os.environ.get(
    "LRS_BRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
XAPI_VERSION = {"X-Experience-API-Version": "1.0.3"}


def _postgres_reachable() -> bool:
    try:
        psycopg.connect(POSTGRES_URL.replace("+psycopg", ""), connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


def _postgres_required() -> bool:
    # CI must run the PostgreSQL half of the suite: a skip there would pass unnoticed.
    return os.environ.get("LRS_BRIDGE_REQUIRE_POSTGRES") == "1" or bool(os.environ.get("CI"))


@pytest.fixture(scope="session")
def postgres_schema():
    """A private schema in the test PostgreSQL, dropped at the end of the session."""
    if not _postgres_reachable():
        if _postgres_required():
            pytest.fail(f"PostgreSQL is required (LRS_BRIDGE_REQUIRE_POSTGRES=1 or CI set) "
                        f"and not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    schema = f"lrs_test_{uuid.uuid4().hex[:12]}"
    plain = POSTGRES_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """Each storage test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lrs.db'}"
    schema = request.getfixturevalue("postgres_schema")
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def services(database_url):
    """Migrated services on a clean database."""
    services = bootstrap(Settings(database_url=database_url, max_batch=50,
                                  max_body_bytes=2 * 1024 * 1024, page_limit=100,
                                  secret_hash_method="pbkdf2:sha256:1000",
                                  credential_cache_seconds=0,
                                  session_key="test-session-key-" + "x" * 32))
    upgrade(services.engine)
    yield services
    if services.engine.dialect.name == "postgresql":
        with services.engine.begin() as conn:
            names = ", ".join(t.name for t in metadata.sorted_tables if t.name != "tenants")
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            conn.execute(text("DELETE FROM tenants WHERE id <> 1"))
    services.engine.dispose()


@pytest.fixture
def app(services):
    """The Flask app on the test services."""
    app = create_app(services=services)
    app.config["TESTING"] = True
    return app


class XAPIClient:
    """A Flask test client that speaks xAPI: version header and Basic auth on every call."""

    def __init__(self, client, key: str, secret: str):
        self.client = client
        token = base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.headers = {**XAPI_VERSION, "Authorization": f"Basic {token}"}

    def open(self, method: str, path: str, headers=None, **kwargs):
        """Send a request with the xAPI headers (overridable per call)."""
        merged = {**self.headers, **(headers or {})}
        return self.client.open(path, method=method, headers=merged, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def head(self, path, **kwargs):
        return self.open("HEAD", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.open("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


@pytest.fixture
def make_xapi(app, services):
    """Factory of authenticated xAPI clients with the given scopes."""

    def make(*scopes: str, tenant: str = "default", name: str | None = None) -> XAPIClient:
        key, secret = services.credentials.add(
            name or f"client-{uuid.uuid4().hex[:8]}", list(scopes or ("all",)), tenant=tenant)
        return XAPIClient(app.test_client(), key, secret)

    return make


@pytest.fixture
def xapi(make_xapi) -> XAPIClient:
    """An xAPI client with the `all` scope."""
    return make_xapi("all")


@pytest.fixture
def feed_org(services):
    """The services with feed_helpers' organisation: the roster and two batches, folded."""
    feed_helpers.seed(services)
    return services


@pytest.fixture
def feed_api(feed_org):
    """A factory of clients with the given scopes on feed_org, the app's clock at NOW."""
    app = feed_helpers.app_at_now(feed_org)

    def make(*scopes: str, tenant: str = "default") -> XAPIClient:
        key, secret = feed_org.credentials.add(f"feed-{uuid.uuid4().hex[:8]}", list(scopes),
                                               tenant=tenant)
        return XAPIClient(app.test_client(), key, secret)

    make.app = app
    return make


@pytest.fixture
def feed_reader(feed_api) -> XAPIClient:
    """A client of feed_org with the scope progress/read."""
    return feed_api("progress/read")

"""A real `lrs-bridge serve` process for the module, with credentials made by the CLI."""

import pytest

from tests.live_server import live_server


@pytest.fixture(scope="module")
def live_lrs(tmp_path_factory):
    """Endpoint, key and secret of a running server on a fresh SQLite database."""
    with live_server(tmp_path_factory.mktemp("e2e")) as server:
        yield {"endpoint": server.endpoint, "key": server.key, "secret": server.secret}

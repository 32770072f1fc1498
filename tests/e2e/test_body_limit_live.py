"""End to end: real chunked bodies against `lrs-bridge serve` (gunicorn) with a small limit."""

import pytest
import requests

from tests.body_uploads import chunks, uploads
from tests.live_server import live_server

pytestmark = pytest.mark.e2e

LIMIT = 64 * 1024
NAMES = list(uploads())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server whose body limit is LIMIT bytes."""
    with live_server(tmp_path_factory.mktemp("limit"), workers=1,
                     extra_env={"LRS_BRIDGE_MAX_BODY_BYTES": str(LIMIT)}) as live:
        yield live


def _call(server, method: str, path: str, headers: dict, body=None) -> requests.Response:
    return requests.request(method, server.endpoint + path, data=body, timeout=30,
                            auth=(server.key, server.secret),
                            headers={"X-Experience-API-Version": "1.0.3", **headers})


def _send_chunked(server, upload, size: int) -> requests.Response:
    # A generator has no length: requests sends it with Transfer-Encoding: chunked.
    response = _call(server, upload.method, upload.path, upload.headers,
                     chunks(upload.body(size)))
    assert "Content-Length" not in response.request.headers
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    return response


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("excess", [1, 16 * LIMIT])
def test_a_chunked_body_over_the_limit_is_413_and_nothing_is_stored(server, name, excess):
    upload = uploads()[name]
    response = _send_chunked(server, upload, LIMIT + excess)
    assert response.status_code == 413, response.text
    assert response.json()["error"] == f"request body larger than the maximum of {LIMIT} bytes"
    assert _call(server, "GET", upload.stored_at, {}).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_a_chunked_body_of_exactly_the_limit_is_accepted(server, name):
    upload = uploads()[name]
    response = _send_chunked(server, upload, LIMIT)
    assert response.status_code == upload.ok_status, response.text
    assert _call(server, "GET", upload.stored_at, {}).status_code == 200

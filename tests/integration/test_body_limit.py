"""LRS_BRIDGE_MAX_BODY_BYTES holds for bodies of unknown length (Transfer-Encoding: chunked).

The test client sends the body as a stream without Content-Length and marks the input as
terminated by the server, which is what gunicorn (and Werkzeug's own server, for chunked
requests) do; tests/e2e/test_body_limit_live.py does the same against a real server.
"""

import io

import pytest

from tests.body_uploads import Upload, uploads

NAMES = list(uploads())


@pytest.fixture
def limit(services) -> int:
    return services.settings.max_body_bytes


def _send_chunked(xapi, upload: Upload, body: bytes):
    return xapi.open(upload.method, "/xapi/" + upload.path,
                     headers={**upload.headers, "Transfer-Encoding": "chunked"},
                     input_stream=io.BytesIO(body),
                     environ_overrides={"wsgi.input_terminated": True})


@pytest.mark.parametrize("name", NAMES)
def test_a_chunked_body_is_accepted_at_the_limit_and_413_one_byte_over(xapi, limit, name):
    at_limit = uploads()[name]
    response = _send_chunked(xapi, at_limit, at_limit.body(limit))
    assert response.status_code == at_limit.ok_status, response.get_data(as_text=True)
    assert xapi.get("/xapi/" + at_limit.stored_at).status_code == 200

    over = uploads()[name]  # fresh ids: nothing of this one may be stored
    response = _send_chunked(xapi, over, over.body(limit + 1))
    assert response.status_code == 413, response.get_data(as_text=True)
    assert response.get_json()["error"] == (
        f"request body larger than the maximum of {limit} bytes")
    assert xapi.get("/xapi/" + over.stored_at).status_code == 404


def test_a_chunked_statement_cut_at_the_limit_is_413_not_a_json_error(xapi, limit):
    # The first symptom: the body cut at the limit was refused as broken JSON (400).
    body = b'{"result": {"response": "' + b"x" * (2 * limit) + b'"}}'
    response = _send_chunked(xapi, uploads()["statements POST"], body)
    assert response.status_code == 413, response.get_data(as_text=True)


def test_a_declared_content_length_over_the_limit_gives_the_same_413(xapi, limit):
    upload = uploads()["state PUT"]
    response = xapi.open(upload.method, "/xapi/" + upload.path, headers=upload.headers,
                         data=upload.body(limit + 1))
    assert response.status_code == 413
    assert response.get_json()["error"] == (
        f"request body larger than the maximum of {limit} bytes")

"""Cross-cutting rules of /xapi: version header, authentication, scopes, CORS, alternate syntax."""

import base64
import json
from urllib.parse import urlencode

import pytest

from lrs_bridge.xapi.errors import Unauthorized
from tests.integration.statements_helpers import make_statement, new_id


def test_every_response_carries_the_version_header(xapi):
    assert xapi.get("/xapi/statements").headers["X-Experience-API-Version"] == "1.0.3"
    response = xapi.get(f"/xapi/statements?statementId={new_id()}")
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", [None, "0.95", "1.1.0", "2.1.0", "3.0.0", "banana"])
def test_missing_or_unsupported_version_header_is_400(xapi, version):
    headers = {"X-Experience-API-Version": version} if version else {}
    request_headers = {k: v for k, v in xapi.headers.items() if k != "X-Experience-API-Version"}
    response = xapi.client.get("/xapi/statements", headers={**request_headers, **headers})
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.get_json()["error"]
    # A client the LRS has not heard from is told the latest version.
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


@pytest.mark.parametrize(("used", "told"), [("1.0.1", "1.0.3"), ("2.0", "2.0.0")])
def test_a_request_without_version_is_told_the_version_its_credential_last_used(
        xapi, used, told):
    assert xapi.get("/xapi/statements", headers={"X-Experience-API-Version": used}
                    ).status_code == 200
    request_headers = {k: v for k, v in xapi.headers.items() if k != "X-Experience-API-Version"}
    response = xapi.client.get("/xapi/statements", headers=request_headers)
    assert response.status_code == 400
    assert response.headers["X-Experience-API-Version"] == told


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.2", "1.0.3", "1.0.9"])
def test_any_1_0_version_header_is_accepted(xapi, version):
    response = xapi.get("/xapi/statements", headers={"X-Experience-API-Version": version})
    assert response.status_code == 200


def test_requests_without_credentials_are_401_with_a_challenge(app):
    response = app.test_client().get("/xapi/statements",
                                     headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="lrs-bridge"'


def test_wrong_secret_is_401(xapi, app):
    token = base64.b64encode(b"nobody:wrong-secret").decode()
    response = app.test_client().get("/xapi/statements", headers={
        "X-Experience-API-Version": "1.0.3", "Authorization": f"Basic {token}"})
    assert response.status_code == 401


def test_an_unknown_key_is_checked_against_a_hash_of_the_configured_method(services):
    # So that a wrong key costs what a wrong secret costs, whatever LRS_BRIDGE_SECRET_HASH_METHOD
    # says: response times must not tell which keys exist.
    from lrs_bridge.web.auth import Authenticator

    method = services.credentials.hash_method
    assert method == "pbkdf2:sha256:1000"  # the tests' setting, not werkzeug's default
    assert Authenticator(services.credentials)._dummy_hash.startswith(method + "$")


def test_revoked_credentials_stop_working_at_once(make_xapi, services):
    client = make_xapi("all", name="to-revoke")
    assert client.get("/xapi/statements").status_code == 200
    services.credentials.revoke("to-revoke")
    assert client.get("/xapi/statements").status_code == 401


def test_read_only_credentials_cannot_write(make_xapi):
    reader = make_xapi("statements/read")
    assert reader.post("/xapi/statements", json=make_statement()).status_code == 403
    assert reader.get("/xapi/statements").status_code == 200


def test_write_only_credentials_cannot_read(make_xapi):
    writer = make_xapi("statements/write")
    assert writer.post("/xapi/statements", json=make_statement()).status_code == 200
    assert writer.get("/xapi/statements").status_code == 403


def test_read_mine_sees_only_statements_it_is_the_authority_of(make_xapi):
    writer = make_xapi("statements/write")
    own = make_xapi("statements/write", "statements/read/mine")
    theirs, mine = make_statement(), make_statement()
    writer.post("/xapi/statements", json=theirs)
    own.post("/xapi/statements", json=mine)
    found = [s["id"] for s in own.get("/xapi/statements").get_json()["statements"]]
    assert found == [mine["id"]]
    assert own.get(f"/xapi/statements?statementId={theirs['id']}").status_code == 404
    assert own.get(f"/xapi/statements?statementId={mine['id']}").status_code == 200


def test_cors_preflight_allows_browser_content(app):
    response = app.test_client().options("/xapi/statements", headers={
        "Origin": "https://content.example.com",
        "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "Authorization, Content-Type, X-Experience-API-Version",
    })
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://content.example.com")
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "x-experience-api-version" in allowed and "authorization" in allowed


def test_cors_headers_expose_the_xapi_headers(xapi):
    response = xapi.get("/xapi/statements", headers={"Origin": "https://content.example.com"})
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert "X-Experience-API-Consistent-Through" in exposed


def _alternate(xapi, method, form, query=""):
    form = {"X-Experience-API-Version": "1.0.3", "Authorization": xapi.headers["Authorization"],
            **form}
    return xapi.client.post(f"/xapi/statements?method={method}{query}", data=urlencode(form),
                            content_type="application/x-www-form-urlencoded")


def test_alternate_syntax_put_and_get(xapi):
    statement = make_statement()
    response = _alternate(xapi, "PUT", {
        "statementId": statement["id"], "content": json.dumps(statement),
        "Content-Type": "application/json"})
    assert response.status_code == 204
    got = _alternate(xapi, "GET", {"statementId": statement["id"]})
    assert got.status_code == 200 and got.get_json()["id"] == statement["id"]


def test_alternate_syntax_refuses_other_query_parameters(xapi):
    response = _alternate(xapi, "GET", {}, query=f"&statementId={new_id()}")
    assert response.status_code == 400


def test_about_answers_without_credentials_or_version(app):
    response = app.test_client().get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.get_json()["version"]


def test_unexpected_errors_are_500_without_internals(app, xapi, monkeypatch):
    store = app.extensions["lrs_bridge"].statements

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(store, "query", explode)
    response = xapi.get("/xapi/statements")
    assert response.status_code == 500
    assert "secret" not in response.get_data(as_text=True)


def test_cached_credentials_are_reread_after_their_time(services):
    import time

    from lrs_bridge.web.auth import Authenticator

    key, secret = services.credentials.add("cached", ["all"])
    auth = Authenticator(services.credentials, row_seconds=0.2)
    header = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    assert auth.authenticate(header).key == key
    services.credentials.revoke("cached")
    assert auth.authenticate(header).key == key  # still within the cache time
    time.sleep(0.25)
    with pytest.raises(Unauthorized, match="wrong secret"):
        auth.authenticate(header)


def test_a_credential_created_after_a_failed_attempt_works_at_once(services):
    from lrs_bridge.web.auth import Authenticator

    auth = Authenticator(services.credentials, row_seconds=60)
    header = "Basic " + base64.b64encode(b"late-key:a-long-enough-secret").decode()
    with pytest.raises(Unauthorized, match="unknown key or wrong secret"):
        auth.authenticate(header)
    services.credentials.add("late", ["all"], key="late-key", secret="a-long-enough-secret")
    assert auth.authenticate(header).key == "late-key"

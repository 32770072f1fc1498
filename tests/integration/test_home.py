"""A person who opens the server or the endpoint in a browser learns where they are."""

from importlib.metadata import version


def test_the_root_is_a_page_that_names_the_endpoint(app):
    response = app.test_client().get("/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f"lrs-bridge {version('lrs-bridge')}" in page
    assert "<code>http://localhost/xapi/</code>" in page
    assert 'href="http://localhost/xapi/about"' in page


def test_the_endpoint_itself_answers_without_credentials_or_version_header(app):
    response = app.test_client().get("/xapi/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    # The latest version served, since the request names none.
    assert response.headers["X-Experience-API-Version"] == "2.0.0"
    assert response.get_json() == {
        "name": "lrs-bridge", "version": version("lrs-bridge"),
        "xapi_endpoint": "http://localhost/xapi/", "about": "http://localhost/xapi/about",
        "health": "http://localhost/healthz",
        "xapi_specification": "https://github.com/adlnet/xAPI-Spec/tree/1.0.3"}


def test_other_paths_under_the_endpoint_still_need_credentials(app):
    response = app.test_client().get("/xapi/statements",
                                     headers={"X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 401

"""Signing in to the dashboard on SQLite and PostgreSQL: dashboard users only, one answer for
every failure, CSRF tokens on every form, cookie flags, a wait after repeated failures, and
sessions that end when the user is removed or their password changes."""

import re
from dataclasses import replace

import pytest

from lrs_bridge.web.app import create_app
from tests.integration.dashboard.conftest import ADMIN, LEAD, PASSWORD, Browser


def test_every_dashboard_page_sends_a_stranger_to_the_sign_in_page(browser):
    stranger = browser()
    for path in ("/dashboard/alerts", "/dashboard/team", "/dashboard/learners/1",
                 "/dashboard/alerts.csv", "/dashboard/users", "/dashboard/metrics",
                 "/dashboard/metrics/retention.csv"):
        response = stranger.get(path)
        assert response.status_code == 302, path
        assert response.location == f"/dashboard/login?next={path}"


def test_the_root_is_a_public_page_with_a_sign_in_link_until_one_signs_in(browser):
    stranger = browser()
    page = stranger.text("/")
    assert 'href="/dashboard/login"' in page and "<code>http://localhost/xapi/</code>" in page
    admin = browser(ADMIN)
    landing = admin.text("/")
    assert "Learning and development dashboard" in landing
    assert 'href="/dashboard/alerts"' in landing and 'href="/dashboard/team"' in landing
    assert "Tenant default: 3 learners, 34 open alerts." in landing


def test_signing_in_goes_where_the_person_was_going(browser):
    person = browser()
    response = person.sign_in(ADMIN, next="/dashboard/team?manager=lead@noordwind.nl")
    assert response.status_code == 302
    assert response.location == "/dashboard/team?manager=lead@noordwind.nl"
    assert person.get("/dashboard/alerts").status_code == 200


def test_signing_in_never_sends_anyone_to_another_site(browser):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "alerts"):
        response = browser().sign_in(ADMIN, next=target)
        assert response.status_code == 302 and response.location == "/", target


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(browser):
    wrong = browser().sign_in(ADMIN, password="not-the-password")
    unknown = browser().sign_in("nobody@noordwind.nl", password="not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong e-mail address or password." in wrong.get_data(as_text=True)
    # The same page but for the address typed and the form's token.
    assert _without_token(wrong).replace(ADMIN, "…") == \
        _without_token(unknown).replace("nobody@noordwind.nl", "…")
    person = browser()
    person.sign_in(ADMIN, password="not-the-password")
    assert person.get("/dashboard/alerts").status_code == 302


def test_xapi_credentials_cannot_sign_in_to_the_dashboard(browser, organisation):
    key, secret = organisation.credentials.add("content", ["all"], key="content-key",
                                               secret="content-secret-long")
    person = browser()
    assert person.sign_in(key, password=secret).status_code == 401
    assert person.get("/dashboard/alerts").status_code == 302


def test_a_form_without_its_csrf_token_is_refused(browser):
    person = browser()
    response = person.post("/dashboard/login", {"email": ADMIN, "password": PASSWORD},
                           token=False)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert person.get("/dashboard/alerts").status_code == 302  # not signed in
    admin = browser(ADMIN)
    assert admin.post("/dashboard/logout", {}, token=False).status_code == 400
    assert admin.get("/dashboard/alerts").status_code == 200  # still signed in
    forged = admin.client.post("/dashboard/logout", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    assert admin.post("/dashboard/language", {"lang": "nl"}, token=False).status_code == 400


def test_signing_out_ends_the_session(browser):
    admin = browser(ADMIN)
    response = admin.post("/dashboard/logout", {}, form="/")
    assert response.status_code == 302 and response.location == "/dashboard/login?signed_out=1"
    assert admin.get("/dashboard/alerts").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site_lax(browser):
    response = browser().sign_in(ADMIN)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lrs_bridge_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_setting_marks_the_cookie_secure(organisation):
    settings = replace(organisation.settings, secure_cookies=True)
    app = create_app(services=replace(organisation, settings=settings))
    response = Browser(app).sign_in(ADMIN)
    assert "; Secure" in response.headers["Set-Cookie"]


def test_many_failures_make_an_address_wait_whether_or_not_it_exists(browser):
    for address in (ADMIN, "nobody@noordwind.nl"):
        person = browser()
        for _ in range(5):
            assert person.sign_in(address, password="guess-guess-guess").status_code == 401
        blocked = person.sign_in(address, password=PASSWORD)
        assert blocked.status_code == 429, address
        assert "Try again in 15 minutes" in blocked.get_data(as_text=True)
    assert browser().sign_in(LEAD).status_code == 302  # other addresses are not held up


def test_a_removed_user_is_signed_out_at_their_next_request(browser, organisation):
    lead = browser(LEAD)
    organisation.dashboard_users.remove(LEAD)
    assert lead.get("/dashboard/alerts").status_code == 302


def test_a_new_password_ends_the_sessions_of_the_old_one(browser, organisation):
    lead = browser(LEAD)
    organisation.dashboard_users.set_password(LEAD, "another-long-password")
    assert lead.get("/dashboard/alerts").status_code == 302
    assert browser().sign_in(LEAD, password="another-long-password").status_code == 302


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_json_face_of_the_root_is_unchanged_when_signed_in(browser):
    admin = browser(ADMIN)
    response = admin.get("/", headers={"Accept": "application/json"})
    assert response.get_json()["xapi_endpoint"] == "http://localhost/xapi/"


def _without_token(response) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', response.get_data(as_text=True))


def test_an_address_with_control_characters_is_just_a_wrong_sign_in(browser):
    assert browser().sign_in("admin\x00@noordwind.nl").status_code == 401

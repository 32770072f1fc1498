"""Fixtures of the dashboard tests: a small organisation folded at NOW, dashboard users of
each role, and a browser-like client that signs in with the form and its CSRF token."""

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from lrs_bridge.clock import Clock
from lrs_bridge.web.app import create_app
from tests.integration.progress_helpers import (
    PRIVACY,
    WELCOME,
    import_roster,
    said,
    store,
    worker,
)

NOW = "2026-03-20T12:00:00"
PASSWORD = "a-good-long-password"
ANNA, BERT, CARLA = "anna@noordwind.nl", "bert@noordwind.nl", "carla@noordwind.nl"
DIRK = "dirk@other.nl"  # of tenant "other"
# Anna and Bert are Lead's team (written in another case in the roster), Carla is Boss's.
ROSTER = (f"{ANNA},Anna de Boer,customer-service-agent,Lead@Noordwind.nl,Klantenservice,"
          f"2026-03-02",
          f"{BERT},Bert Smit,field-technician,lead@noordwind.nl,Buitendienst,2026-02-02",
          f"{CARLA},Carla Kok,customer-service-agent,boss@noordwind.nl,Klantenservice,"
          f"2026-03-02")
ADMIN, LD, LEAD, BOSS = ("admin@noordwind.nl", "ld@noordwind.nl", "lead@noordwind.nl",
                         "boss@noordwind.nl")
OTHER_ADMIN = "admin@other.nl"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def organisation(services):
    """Three learners of tenant default and one of tenant other, folded at NOW: Anna
    completed the welcome, failed privacy, fell overdue, then passed it on 19 March."""
    import_roster(services, *ROSTER)
    import_roster(services, f"{DIRK},Dirk,team-lead,x@other.nl,Klantenservice,2026-03-02",
                  tenant="other")
    store(services, said(ANNA, "completed", WELCOME, "2026-03-04T09:00:00Z"),
          said(ANNA, "failed", PRIVACY, "2026-03-05T09:00:00Z", score=0.5))
    worker(services, "2026-03-18T12:00:00").drain()
    store(services, said(ANNA, "passed", PRIVACY, "2026-03-19T09:00:00Z", score=0.9))
    worker(services, NOW).drain()
    users = services.dashboard_users
    users.add(ADMIN, "admin", PASSWORD, name="Ada Admin")
    users.add(LD, "ld", PASSWORD, name="Lotte L&D")
    users.add(LEAD, "manager", PASSWORD, name="Lars Lead")
    users.add(BOSS, "manager", PASSWORD)
    users.add(OTHER_ADMIN, "admin", PASSWORD, tenant="other")
    return services


@pytest.fixture
def dashboard_app(organisation):
    """The app on the organisation, its clock at NOW."""
    at = datetime.fromisoformat(NOW).replace(tzinfo=UTC)
    app = create_app(services=replace(organisation, clock=Clock(at)))
    app.config["TESTING"] = True
    return app


class Browser:
    """A test client used as a person would: GET a form, send it back with its token."""

    def __init__(self, app, language: str = "en"):
        self.client = app.test_client()
        self.headers = {"Accept-Language": language}

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers={**self.headers, **kwargs.pop("headers", {})},
                               **kwargs)

    def token(self, path: str = "/dashboard/login") -> str:
        """The CSRF token of the form on `path`."""
        return _TOKEN.search(self.get(path).get_data(as_text=True)).group(1)

    def post(self, path: str, data: dict, token: bool = True, form: str = "/dashboard/login"):
        """POST a form, with the token of the page `form` unless token=False."""
        data = {**data, **({"csrf_token": self.token(form)} if token else {})}
        return self.client.post(path, data=data, headers=self.headers)

    def sign_in(self, email: str, password: str = PASSWORD, **extra):
        return self.post("/dashboard/login", {"email": email, "password": password, **extra})

    def text(self, path: str, expect: int = 200) -> str:
        response = self.get(path)
        assert response.status_code == expect, response.get_data(as_text=True)[:2000]
        return response.get_data(as_text=True)


@pytest.fixture
def browser(dashboard_app):
    """`browser(email=None, language="en")`: a client, signed in as `email` if given."""

    def make(email: str | None = None, language: str = "en") -> Browser:
        made = Browser(dashboard_app, language)
        if email:
            response = made.sign_in(email)
            assert response.status_code == 302, response.get_data(as_text=True)
        return made

    return make


def learner_id(services, email: str) -> int:
    """The id of the learner with this e-mail address."""
    from lrs_bridge.store.engine import read_transaction
    from lrs_bridge.store.learner_list import learner_ids_by_email

    with read_transaction(services.engine) as conn:
        tenant = 1 if not email.endswith("other.nl") else _tenant(services, "other")
        return learner_ids_by_email(conn, tenant, email)[0]


def _tenant(services, name: str) -> int:
    from lrs_bridge.store.credentials import find_tenant

    return find_tenant(services.engine, name)

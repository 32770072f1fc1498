"""GET /api/v1/alerts.atom on SQLite and PostgreSQL, parsed back with xml.etree: an entry per
alert opened and per alert resolved, newest first, with stable ids, the filters of
/api/v1/alerts, paging, refusals, credentials and tenants."""

from xml.etree import ElementTree as ET

import pytest

from tests.integration.feed_helpers import ANNA, BERT, T1, T3, at, get, third_batch

ATOM_URL = "/api/v1/alerts.atom"
A = "{http://www.w3.org/2005/Atom}"
FIRST_DAY = "onboarding-general/first-working-day"


def feed(client, **params) -> ET.Element:
    response = get(client, ATOM_URL, **params)
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.get_data())  # noqa: S314 (our own answer)


def entries(root: ET.Element) -> list[tuple[str, str]]:
    """(updated, title) of each entry, in the feed's order."""
    return [(e.findtext(f"{A}updated"), e.findtext(f"{A}title"))
            for e in root.findall(f"{A}entry")]


def next_link(root: ET.Element) -> str | None:
    found = [link.get("href") for link in root.findall(f"{A}link") if link.get("rel") == "next"]
    return found[0].removeprefix("http://localhost") if found else None


def test_an_alert_opened_and_resolved_is_two_entries_newest_first(feed_org, feed_reader):
    before = feed(feed_reader, learner=ANNA)
    assert entries(before) == [(at(T1), f"Anna de Boer: overdue {FIRST_DAY} opened")]
    third_batch(feed_org)  # Anna's first working day resolves it on the 7th
    root = feed(feed_reader, learner=ANNA)
    assert root.tag == f"{A}feed"
    assert entries(root) == [(at(T3), f"Anna de Boer: overdue {FIRST_DAY} resolved"),
                             (at(T1), f"Anna de Boer: overdue {FIRST_DAY} opened")]
    assert root.findtext(f"{A}updated") == at(T3)
    assert root.findtext(f"{A}author/{A}name") == "lrs-bridge"
    assert root.findtext(f"{A}id").startswith("urn:uuid:")
    resolved, opened = root.findall(f"{A}entry")
    # The opened entry keeps its id once the alert is resolved; the two differ.
    assert opened.findtext(f"{A}id") == before.find(f"{A}entry").findtext(f"{A}id")
    assert resolved.findtext(f"{A}id") != opened.findtext(f"{A}id")
    anna = get(feed_reader, "/api/v1/learners", email=ANNA).get_json()["learners"][0]["id"]
    for entry in (resolved, opened):
        (link,) = entry.findall(f"{A}link")
        assert (link.get("rel"), link.get("href"), link.get("type")) == (
            "related", f"http://localhost/api/v1/learners/{anna}", "application/json")
        assert entry.findall(f"{A}category")[0].get("term") == "overdue"
    assert [c.get("term") for c in resolved.findall(f"{A}category")] == ["overdue", "resolved"]
    assert opened.findtext(f"{A}content") == (
        f"overdue {FIRST_DAY}: due 2026-03-02; open since 2026-03-03T00:00:00+00:00")
    assert resolved.findtext(f"{A}content").startswith(
        f"overdue {FIRST_DAY}: due 2026-03-02; resolved (completed) by statement ")


@pytest.mark.parametrize(("params", "expected"), [
    ({"learner": ANNA, "status": "open"}, []),
    ({"learner": ANNA, "status": "resolved"}, [
        (at(T3), f"Anna de Boer: overdue {FIRST_DAY} resolved"),
        (at(T1), f"Anna de Boer: overdue {FIRST_DAY} opened")]),
    ({"since": "2026-03-06"}, [(at(T3), f"Anna de Boer: overdue {FIRST_DAY} resolved")]),
    ({"manager": "BOSS@noordwind.nl"}, [(at(T1), f"Carla Kok: overdue {FIRST_DAY} opened")]),
    ({"team": "Klantenservice", "kind": "overdue", "status": "open"},
     [(at(T1), f"Carla Kok: overdue {FIRST_DAY} opened")]),
    ({"phase": "development"}, []),
    ({"learner": "nobody@noordwind.nl"}, []),
])
def test_the_filters_of_alerts(feed_org, feed_reader, params, expected):
    third_batch(feed_org)
    assert entries(feed(feed_reader, **params)) == expected


def test_a_technicians_skill_gaps(feed_reader):
    """Bert, a technician hired on 2 February, has on 5 March every onboarding step due and
    only the work-order micro done: each skill of his role that those steps give is short."""
    root = feed(feed_reader, learner=BERT, kind="skill_gap")
    assert sorted(title for _, title in entries(root)) == [
        f"Bert Smit: skill_gap {skill} opened" for skill in (
            "company-culture", "customer-communication", "electrical-safety",
            "installation-skills", "privacy-gdpr", "safety-vca", "work-order-app")]


def test_paging_gives_every_entry_once(feed_org, feed_reader):
    third_batch(feed_org)
    alerts = get(feed_reader, "/api/v1/alerts", status="all", limit=500).get_json()["alerts"]
    whole = feed(feed_reader, limit=500)
    assert len(whole.findall(f"{A}entry")) == len(alerts) + 1  # one alert is resolved
    seen, url = [], f"{ATOM_URL}?limit=5"
    while url:
        root = ET.fromstring(get(feed_reader, url).get_data())  # noqa: S314
        page = root.findall(f"{A}entry")
        assert len(page) <= 5
        seen += [e.findtext(f"{A}id") for e in page]
        url = next_link(root)
    assert seen == [e.findtext(f"{A}id") for e in whole.findall(f"{A}entry")]
    assert len(set(seen)) == len(seen)


def test_another_tenants_feed_holds_its_own_alerts(feed_api):
    titles = [title for _, title in entries(feed(feed_api("progress/read", tenant="other")))]
    assert titles and all(title.startswith("Dirk: ") for title in titles)


@pytest.mark.parametrize(("query", "message"), [
    ("kind=late", "kind: unknown kind 'late'"),
    ("status=closed", "status: unknown status 'closed'; one of open, resolved, all"),
    ("since=soon", "since: 'soon' is not an ISO 8601 date"),
    ("learner=anna", "learner: give a learner id or an e-mail address"),
    ("limit=0", "limit: must be a whole number from 1 to 500"),
    ("after=1-2", "after: not a cursor this API gave"),
    ("after=1-7-3", "after: not a cursor this API gave"),
    ("format=rss", "format: not a parameter of GET /api/v1/alerts.atom"),
])
def test_a_bad_parameter_is_a_400_naming_it(feed_reader, query, message):
    assert get(feed_reader, f"{ATOM_URL}?{query}", 400).get_json()["error"].startswith(message)


def test_the_feed_needs_the_same_basic_credential(feed_api):
    response = feed_api.app.test_client().get(ATOM_URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="lrs-bridge"'
    assert feed_api("statements/read").get(ATOM_URL).status_code == 403
    assert feed_api("all/read").get(ATOM_URL).status_code == 200

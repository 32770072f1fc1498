"""GET /api/v1/progress on SQLite and PostgreSQL: every progress change once, in the order it
was recorded, with each filter, cursor paging while changes arrive, bad parameters, scopes and
tenants. The expected entries are worked out by hand from feed_helpers' statements."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from lrs_bridge.journey.progress_events import Event
from lrs_bridge.mapping_files.holder import MappingHolder
from lrs_bridge.store import outbox, progress_feed
from lrs_bridge.web.app import create_app
from tests.integration.conftest import XAPIClient
from tests.integration.feed_helpers import (
    ANNA,
    CARLA,
    DIRK,
    T1,
    T2,
    T3,
    at,
    drain,
    get,
    settled,
    third_batch,
)
from tests.integration.progress_helpers import said, store

PROGRESS = "/api/v1/progress"
# The twelve changes of the first two batches, in the order the worker recorded them: per
# batch, learner by learner (in id order: Anna, Bert, Carla), each learner's paths in the
# mapping's order with a path's steps before the path, then skills.
FIRST = ["anna step onboarding-general#2 welcome-noordwind completed",  # welcome: 1 of 5
         "anna path onboarding-general in_progress 0.2000",  # required steps met
         "anna skill company-culture 1/2 gap 1",  # welcome gives level 1
         "bert step onboarding-field-technician#1 work-order-app-micro completed",
         "bert path onboarding-field-technician in_progress 0.2000",  # 1 of 5
         "bert skill work-order-app 1/2 gap 1"]
SECOND = ["anna step onboarding-general#3 privacy-basics failed",  # no path or skill change
          "bert step development-field-technician#1 skills-scan completed",  # gives no skill
          "bert path development-field-technician in_progress 0.2500",  # 1 of 4
          "carla step onboarding-customer-service#1 crm-customer-file-micro completed",
          "carla path onboarding-customer-service in_progress 0.3333",  # 1 of 3
          "carla skill crm-systems 1/3 gap 2"]
THIRD = ["anna step onboarding-general#1 first-working-day completed",
         "anna path onboarding-general in_progress 0.4000"]  # 2 of 5
EVERY = FIRST + SECOND


def line(entry: dict) -> str:
    """An entry in a few words: whose, which change, where it stands."""
    who, change = entry["learner"]["email"].split("@")[0], entry["change"]
    kind = entry["type"].split(".")[0]
    if kind == "step":
        return f"{who} step {change['path']}#{change['step']} {change['module']} " \
               f"{change['status']}"
    if kind == "path":
        return f"{who} path {change['path']} {change['status']} {change['progress']:.4f}"
    return f"{who} skill {change['skill']} {change['level']}/{change['target']} " \
           f"gap {change['gap']}"


def lines(client: XAPIClient, **params) -> list[str]:
    return [line(e) for e in get(client, PROGRESS, limit=500, **params).get_json()["entries"]]


def read_all(client: XAPIClient, url: str) -> tuple[list[dict], str]:
    """Follow `next` from `url` until a page comes back empty; the entries and the last
    `next`."""
    entries = []
    while True:
        page = get(client, url).get_json()
        if not page["entries"]:
            return entries, page["next"]
        entries += page["entries"]
        url = page["next"]


def test_the_feed_holds_every_change_once_in_the_order_recorded(feed_reader):
    body = get(feed_reader, PROGRESS).get_json()
    assert [line(e) for e in body["entries"]] == EVERY
    assert [e["at"] for e in body["entries"]] == [at(T1)] * 6 + [at(T2)] * 6
    first = body["entries"][0]
    assert first["learner"] == {"id": first["learner"]["id"], "email": ANNA,
                                "name": "Anna de Boer", "role": "customer-service-agent",
                                "team": "Klantenservice", "manager_email": "lead@noordwind.nl"}
    change = first["change"]
    assert {k: change[k] for k in ("outcome", "optional", "due", "completed_at", "score",
                                   "attempts", "failures")} == {
        "outcome": "completed", "optional": False, "due": "2026-03-09",  # start + P7D
        "completed_at": "2026-03-04T09:00:00+00:00", "score": None, "attempts": 1,
        "failures": 0}
    failed = body["entries"][6]["change"]
    assert (failed["score"], failed["attempts"], failed["failures"], failed["due"]) == (
        0.5, 1, 1, "2026-03-16")
    skill = body["entries"][2]["change"]
    assert skill["attained"] == "2026-03-04T09:00:00+00:00" and skill["expires"] is None
    assert len({e["id"] for e in body["entries"]}) == 12
    assert get(feed_reader, PROGRESS).get_json()["entries"] == body["entries"]  # stable ids


@pytest.mark.parametrize(("params", "expected"), [
    ({"type": "skill.changed"}, [EVERY[2], EVERY[5], EVERY[11]]),
    ({"type": "path.changed"}, [EVERY[1], EVERY[4], EVERY[8], EVERY[10]]),
    ({"path": "onboarding-general"}, [EVERY[0], EVERY[1], EVERY[6]]),
    # skills-scan is a development module on a development path; crm-systems is also given by
    # crm-advanced, a development module.
    ({"phase": "development"}, [EVERY[7], EVERY[8], EVERY[11]]),
    ({"phase": "onboarding"}, EVERY[:7] + EVERY[9:]),
    ({"phase": "offboarding"}, []),
    ({"role": "field-technician"}, [EVERY[i] for i in (3, 4, 5, 7, 8)]),
    ({"team": "Klantenservice"}, [EVERY[i] for i in (0, 1, 2, 6, 9, 10, 11)]),
    ({"manager": "LEAD@noordwind.nl"}, EVERY[:9]),  # Anna's and Bert's, in any case
    ({"learner": "Carla@Noordwind.nl"}, EVERY[9:]),
    ({"learner": "nobody@noordwind.nl"}, []),
    ({"since": "2026-03-06"}, SECOND),
    ({"since": "2026-03-05T12:00:00Z"}, EVERY),  # at or after
    ({"since": "2026-03-06T12:00:00.001Z"}, []),
    ({"team": "Klantenservice", "type": "skill.changed"}, [EVERY[2], EVERY[11]]),
    ({"phase": "onboarding", "manager": "boss@noordwind.nl", "type": "path.changed"},
     [EVERY[10]]),
])
def test_each_filter_and_their_combinations(feed_reader, params, expected):
    assert lines(feed_reader, **params) == expected


@pytest.mark.parametrize("few", [0, 1, 50])
def test_learners_are_read_one_by_one_or_as_a_set_alike(feed_reader, monkeypatch, few):
    """Given FEW learners or fewer, a page is merged from one index range per learner; given
    more, the learners are a set the feed's scan checks: both give the same entries."""
    monkeypatch.setattr(progress_feed, "FEW", few)
    assert lines(feed_reader, team="Klantenservice") == [EVERY[i] for i in (0, 1, 2, 6, 9, 10,
                                                                           11)]
    assert lines(feed_reader, manager="lead@noordwind.nl", type="step.changed") == [
        EVERY[i] for i in (0, 3, 6, 7)]
    assert lines(feed_reader, learner=ANNA) == [EVERY[i] for i in (0, 1, 2, 6)]


def test_learner_takes_an_id_too_and_never_another_tenants(feed_api, feed_reader):
    anna = get(feed_reader, "/api/v1/learners", email=ANNA).get_json()["learners"][0]["id"]
    assert lines(feed_reader, learner=str(anna)) == [EVERY[i] for i in (0, 1, 2, 6)]
    dirk = get(feed_api("progress/read", tenant="other"), "/api/v1/learners").get_json()
    assert lines(feed_reader, learner=str(dirk["learners"][0]["id"])) == []
    assert lines(feed_reader, learner=DIRK) == []


def test_tenants_see_only_their_own_changes(feed_api):
    other = feed_api("progress/read", tenant="other")
    assert lines(other) == ["dirk step onboarding-general#2 welcome-noordwind completed",
                            "dirk path onboarding-general in_progress 0.2000",
                            "dirk skill company-culture 1/3 gap 2"]  # a team lead's target


def test_paging_loses_and_repeats_nothing_while_changes_arrive(feed_org, feed_reader):
    first = get(feed_reader, PROGRESS, limit=4).get_json()
    assert [line(e) for e in first["entries"]] == EVERY[:4]
    third_batch(feed_org)  # recorded between two pages
    rest, last = read_all(feed_reader, first["next"])
    seen = first["entries"] + rest
    assert [line(e) for e in seen] == EVERY + THIRD
    assert [e["at"] for e in rest[-2:]] == [at(T3)] * 2
    assert len({e["id"] for e in seen}) == 14
    # The last `next` is where later changes will appear, and only those.
    assert get(feed_reader, last).get_json()["entries"] == []
    store(feed_org, said(CARLA, "completed", "https://hr.noordwind.example/touchpoints/"
                                            "eerste-werkdag", "2026-03-08T08:00:00Z"))
    drain(feed_org, "2026-03-08T12:00:00")
    assert [line(e) for e in get(feed_reader, last).get_json()["entries"]] == [
        "carla step onboarding-general#1 first-working-day completed",
        "carla path onboarding-general in_progress 0.2000"]


def test_a_filtered_page_continues_where_it_stopped_and_keeps_the_filters(feed_reader):
    page = get(feed_reader, PROGRESS, team="Klantenservice", limit=2)
    body = page.get_json()
    assert [line(e) for e in body["entries"]] == EVERY[:2]
    assert "team=Klantenservice" in body["next"] and "limit=2" in body["next"]
    assert page.headers["Link"] == f'<{body["next"]}>; rel="next"'
    rest, _ = read_all(feed_reader, body["next"])
    assert [line(e) for e in rest] == [EVERY[i] for i in (2, 6, 9, 10, 11)]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_change_committed_after_a_later_one_is_not_skipped(feed_org, feed_reader):
    """Given two workers whose transactions commit in the other order than they wrote the
    outbox, the feed_reader should wait for the earlier one rather than page past it."""
    _, position = read_all(feed_reader, PROGRESS)
    anna = get(feed_reader, "/api/v1/learners", email=ANNA).get_json()["learners"][0]["id"]

    def write(conn, module: str) -> None:
        outbox.append(conn, 1, [(anna, {"id": anna}, [Event(
            "step.changed", f"test|{module}", {"path": "onboarding-general", "step": 9,
                                               "module": module, "status": "completed"})])],
            int(datetime.now(UTC).timestamp() * 1000))

    since = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    with feed_org.engine.connect() as early:
        with early.begin():
            write(early, "early")
            with feed_org.engine.begin() as late:
                write(late, "late")
            waiting = get(feed_reader, position).get_json()
            assert waiting["entries"] == []  # "late" is committed, but "early" is not yet
            recent = get(feed_reader, PROGRESS, since=since).get_json()
            assert recent["entries"] == []
    settled(feed_org)
    for url in (waiting["next"], recent["next"]):
        entries, _ = read_all(feed_reader, url)
        assert [e["change"]["module"] for e in entries] == ["early", "late"]


@pytest.mark.parametrize(("query", "message"), [
    ("type=alert.opened", "type: unknown type 'alert.opened'; one of step.changed, "
                          "path.changed, skill.changed"),
    ("phase=growth", "phase: unknown phase 'growth'; one of attract, apply, onboarding, "),
    ("path=onboarding", "path: unknown path 'onboarding'; one of onboarding-general, "),
    ("since=last-week", "since: 'last-week' is not an ISO 8601 date or date and time"),
    ("learner=anna", "learner: give a learner id or an e-mail address"),
    ("limit=0", "limit: must be a whole number from 1 to 500"),
    ("limit=501", "limit: must be a whole number from 1 to 500"),
    ("after=12", "after: not a cursor this API gave"),
    ("after=a-b", "after: not a cursor this API gave"),
    ("team=", "team: empty"),
    ("role=a&role=b", "role: given more than once"),
    ("status=active", "status: not a parameter of GET /api/v1/progress; known: after, learner, "
                      "limit, manager, path, phase, role, since, team, type"),
])
def test_a_bad_parameter_is_a_400_naming_it(feed_reader, query, message):
    assert get(feed_reader, f"{PROGRESS}?{query}", 400).get_json()["error"].startswith(message)


def test_the_feed_needs_credentials_and_a_reading_scope(feed_api):
    response = feed_api.app.test_client().get(PROGRESS)
    assert response.status_code == 401 and "Basic" in response.headers["WWW-Authenticate"]
    assert feed_api("statements/read").get(PROGRESS).status_code == 403
    for scope in ("progress/read", "all/read", "all"):
        assert feed_api(scope).get(PROGRESS).status_code == 200


def test_without_a_working_mapping_only_phase_and_path_are_unavailable(feed_org, tmp_path):
    app = create_app(services=replace(feed_org, mappings=MappingHolder(tmp_path / "none")))
    key, secret = feed_org.credentials.add("no-mapping", ["progress/read"])
    client = XAPIClient(app.test_client(), key, secret)
    assert len(get(client, PROGRESS).get_json()["entries"]) == 12
    for query in ("phase=onboarding", "path=onboarding-general"):
        assert get(client, f"{PROGRESS}?{query}", 503).get_json()["error"].startswith(
            "no working mapping is loaded")

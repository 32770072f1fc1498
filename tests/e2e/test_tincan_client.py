"""End to end: TinCanPython's RemoteLRS against a real `lrs-bridge serve`."""

import json
import uuid

import pytest
import requests
from tincan import (
    Activity,
    ActivityDefinition,
    ActivityProfileDocument,
    Agent,
    LanguageMap,
    RemoteLRS,
    Result,
    Score,
    StateDocument,
    Statement,
    StatementRef,
    Verb,
)

pytestmark = pytest.mark.e2e

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@pytest.fixture(scope="module")
def lrs(live_lrs):
    return RemoteLRS(version="1.0.3", endpoint=live_lrs["endpoint"],
                     username=live_lrs["key"], password=live_lrs["secret"])


def _statement(email: str, course: str) -> Statement:
    return Statement(
        actor=Agent(name="Anna", mbox=f"mailto:{email}"),
        verb=Verb(id=COMPLETED, display=LanguageMap({"en-US": "completed"})),
        object=Activity(id=f"https://example.com/courses/{course}", definition=ActivityDefinition(
            name=LanguageMap({"en-US": "Privacy basics", "nl-NL": "Privacy basis"}))),
        result=Result(score=Score(scaled=0.9), success=True, completion=True),
    )


def test_about_lists_1_0_3(lrs):
    response = lrs.about()
    assert response.success
    assert "1.0.3" in response.content.version


def test_save_and_retrieve_a_statement(lrs):
    saved = lrs.save_statement(_statement("anna@example.com", "privacy"))
    assert saved.success, saved.data
    got = lrs.retrieve_statement(saved.content.id)
    assert got.success, got.data
    assert got.content.actor.mbox == "mailto:anna@example.com"
    assert got.content.result.score.scaled == 0.9


def test_query_by_agent_and_page_with_more(lrs):
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    saved = lrs.save_statements([_statement(email, f"c{i}") for i in range(7)])
    assert saved.success, saved.data
    response = lrs.query_statements({"agent": Agent(mbox=f"mailto:{email}"), "limit": 3})
    assert response.success, response.data
    seen = [s.id for s in response.content.statements]
    while response.content.more:
        response = lrs.more_statements(response.content)
        assert response.success, response.data
        seen += [s.id for s in response.content.statements]
    assert len(seen) == len(set(seen)) == 7


def test_voided_statement_is_retrieved_by_voided_id(lrs):
    saved = lrs.save_statement(_statement("void@example.com", "voided"))
    target = saved.content.id
    void = Statement(actor=Agent(mbox="mailto:admin@example.com"),
                     verb=Verb(id="http://adlnet.gov/expapi/verbs/voided"),
                     object=StatementRef(id=target))
    assert lrs.save_statement(void).success
    assert not lrs.retrieve_statement(target).success
    voided = lrs.retrieve_voided_statement(target)
    assert voided.success and str(voided.content.id) == str(target)


# --- documents --------------------------------------------------------------------------------
# TinCanPython sends no If-None-Match, and reads the ETag from a list of header pairs as if it
# were a dict, so it never sets one itself. Profile documents are therefore created here with
# If-None-Match: * (as TinCanJS does) and the ETag is handed to the client from the response.

def _create_profile(live_lrs, resource: str, params: dict, content: bytes) -> None:
    response = requests.put(
        live_lrs["endpoint"] + resource, params=params, data=content,
        auth=(live_lrs["key"], live_lrs["secret"]),
        headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json",
                 "If-None-Match": "*"}, timeout=10)
    assert response.status_code == 204, response.text


def test_state_documents(lrs):
    # TinCanPython's save_state leaves the registration out of its request, so none is used.
    activity = Activity(id="https://example.com/courses/onboarding")
    agent = Agent(mbox="mailto:state@example.com")
    doc = StateDocument(activity=activity, agent=agent, id="bookmark",
                        content=json.dumps({"page": 3}), content_type="application/json")
    assert lrs.save_state(doc).success
    got = lrs.retrieve_state(activity, agent, "bookmark")
    assert got.success, got.data
    assert json.loads(bytes(got.content.content)) == {"page": 3}
    ids = lrs.retrieve_state_ids(activity, agent)
    assert ids.success and ids.content == ["bookmark"]
    assert lrs.delete_state(doc).success
    # retrieve_* count a 404 as success (ignore404), so the status tells
    assert lrs.retrieve_state(activity, agent, "bookmark").response.status == 404


def test_activity_profile_documents(lrs, live_lrs):
    activity = Activity(id=f"https://example.com/courses/{uuid.uuid4().hex[:8]}")
    refused = lrs.save_activity_profile(ActivityProfileDocument(
        activity=activity, id="settings", content='{"v": 0}', content_type="application/json"))
    assert not refused.success and refused.response.status == 400
    _create_profile(live_lrs, "activities/profile",
                    {"activityId": activity.id, "profileId": "settings"}, b'{"v": 1}')
    got = lrs.retrieve_activity_profile(activity, "settings")
    assert got.success and json.loads(bytes(got.content.content)) == {"v": 1}
    doc = got.content
    doc.etag = got.response.getheader("ETag")
    doc.content = '{"v": 2}'
    doc.content_type = "application/json"
    assert lrs.save_activity_profile(doc).success
    again = lrs.retrieve_activity_profile(activity, "settings")
    assert json.loads(bytes(again.content.content)) == {"v": 2}
    assert lrs.retrieve_activity_profile_ids(activity).content == ["settings"]


def test_agent_profile_documents(lrs, live_lrs):
    agent = Agent(mbox=f"mailto:{uuid.uuid4().hex[:8]}@example.com")
    _create_profile(live_lrs, "agents/profile",
                    {"agent": agent.to_json("1.0.3"), "profileId": "preferences"},
                    b'{"language": "nl"}')
    got = lrs.retrieve_agent_profile(agent, "preferences")
    assert got.success and json.loads(bytes(got.content.content)) == {"language": "nl"}
    doc = got.content
    doc.etag = got.response.getheader("ETag")
    assert lrs.delete_agent_profile(doc).success
    assert lrs.retrieve_agent_profile(agent, "preferences").response.status == 404

"""End to end: TinCanPython's RemoteLRS against a real `lrs-bridge serve`."""

import uuid

import pytest
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    LanguageMap,
    RemoteLRS,
    Result,
    Score,
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

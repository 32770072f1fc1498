"""Alerts as Canvas conversations: to the learner, and for the alerts a manager acts on, to
the manager as well, each in a private conversation."""

import pytest

from lrs_bridge_connectors.base import OK, LmsUser
from tests.contract import outbox_events

ANNA = LmsUser(id="101", email="anna@noordwind.nl")


@pytest.mark.parametrize("kind", ["overdue", "skill_gap", "stalled", "repeated_failure"])
def test_an_alert_a_manager_acts_on_goes_to_the_learner_and_the_manager(kind, connector,
                                                                         canvas):
    result = connector.deliver(outbox_events.alert_opened(kind), ANNA)
    assert result.status == OK
    (sent,) = canvas.conversations
    assert sent["recipients"] == ["101", "102"]  # Lea Lead, found by her address
    assert sent["group_conversation"] == "false"
    assert sent["subject"].startswith("Anna de Boer: ") and sent["body"]
    assert "manager, user 102" in result.message


@pytest.mark.parametrize(("kind", "words"), [
    ("overdue", "the step privacy-basics of the path onboarding-general was due on 2026-03-16 "
                "and is not yet passed"),
    ("skill_gap", "the skill privacy-gdpr is at level 0, the role asks for 2"),
    ("stalled", "no learning activity since 2026-03-05, with open paths: onboarding-general"),
    ("repeated_failure", "3 failed attempts at privacy-basics"),
    ("expiring", "(level 2) expires on 2027-03-21"),
    ("expired", "the skill privacy-gdpr expired on 2026-03-17"),
    ("milestone", "the path onboarding-general completed on 2026-03-17"),
])
def test_each_message_says_what_happened_in_words(kind, words, connector, canvas):
    connector.deliver(outbox_events.alert_opened(kind), ANNA)
    body = canvas.conversations[0]["body"]
    assert body.startswith("Anna de Boer: ") and words in body
    assert "None" not in body


@pytest.mark.parametrize("kind", ["milestone", "expiring", "expired"])
def test_other_alerts_go_to_the_learner_only(kind, connector, canvas):
    assert connector.deliver(outbox_events.alert_opened(kind), ANNA).status == OK
    assert canvas.conversations[0]["recipients"] == ["101"]
    assert canvas.count("GET", "/api/v1/accounts/self/users") == 0  # no manager looked up


def test_the_manager_is_looked_up_once(connector, canvas):
    connector.deliver(outbox_events.alert_opened("overdue"), ANNA)
    connector.deliver(outbox_events.alert_opened("stalled"), ANNA)
    assert canvas.count("GET", "/api/v1/accounts/self/users") == 1
    assert [c["recipients"] for c in canvas.conversations] == [["101", "102"]] * 2


def test_a_manager_canvas_does_not_know_is_said_and_the_learner_still_told(connector, canvas):
    event = outbox_events.alert_opened("overdue")
    event["learner"] = {**event["learner"], "manager_email": "ceo@noordwind.nl"}
    result = connector.deliver(event, ANNA)
    assert result.status == OK and "ceo@noordwind.nl has no Canvas user" in result.message
    assert canvas.conversations[0]["recipients"] == ["101"]


def test_managers_are_not_told_when_the_option_says_no(canvas, connector_for):
    connector = connector_for(canvas.url, notify_managers="no")
    connector.deliver(outbox_events.alert_opened("overdue"), ANNA)
    assert canvas.conversations[0]["recipients"] == ["101"]


def test_a_resolved_alert_sends_nothing(connector, canvas):
    result = connector.deliver(outbox_events.alert_resolved(), ANNA)
    assert result.status == OK and canvas.requests == []


def test_canvas_refusing_a_recipient_is_permanent_with_its_words(connector, canvas):
    result = connector.deliver(outbox_events.alert_opened("milestone"),
                               LmsUser(id="999"))
    assert result.status == "permanent"
    assert "recipients: invalid" in result.message

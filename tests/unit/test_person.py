"""The Person object of the Agents resource."""

from lrs_bridge.xapi.person import person_of

ANNA = {"objectType": "Agent", "mbox": "mailto:anna@example.nl"}


def test_unknown_agent_gives_a_person_with_its_own_identifier():
    assert person_of(ANNA, []) == {"objectType": "Person", "mbox": ["mailto:anna@example.nl"]}


def test_names_come_from_statements_newest_first_without_repeats():
    statements = [
        {"actor": {"mbox": "mailto:anna@example.nl", "name": "Anna de Vries"}},
        {"actor": {"mbox": "mailto:anna@EXAMPLE.NL", "name": "A. de Vries"}},
        {"actor": {"mbox": "mailto:bob@example.nl", "name": "Bob"},
         "object": {"objectType": "Agent", "mbox": "mailto:anna@example.nl",
                    "name": "Anna de Vries"}},
        {"actor": {"objectType": "Group", "name": "Team",
                   "member": [{"mbox": "mailto:anna@example.nl", "name": "Anna"}]}},
    ]
    person = person_of({**ANNA, "name": "Anna"}, statements)
    assert person["name"] == ["Anna de Vries", "A. de Vries", "Anna"]
    assert person["mbox"] == ["mailto:anna@example.nl"]


def test_account_agents_keep_the_account_object():
    agent = {"account": {"homePage": "https://lms.example.nl", "name": "u17"}}
    assert person_of(agent, []) == {
        "objectType": "Person",
        "account": [{"homePage": "https://lms.example.nl", "name": "u17"}]}

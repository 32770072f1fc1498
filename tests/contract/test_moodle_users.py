"""Finding learners in the fake Moodle, and reading its users as a roster."""

import pytest

from lrs_bridge_connectors.base import PERMANENT, ConnectorError, RosterPerson


def test_a_learner_is_found_by_their_email_address(moodle, connect):
    uid = moodle.add_user("anna@noordwind.nl", idnumber="E1042", fullname="Anna de Boer")
    user = connect().resolve_user({"email": "anna@noordwind.nl", "identifiers": []})
    assert (user.id, user.email, user.idnumber, user.name) == \
        (str(uid), "anna@noordwind.nl", "E1042", "Anna de Boer")
    assert [f for f, _ in moodle.calls] == ["core_user_get_users_by_field"]


def test_an_address_stored_in_another_case_is_found_by_the_second_lookup(moodle, connect):
    uid = moodle.add_user("Anna@Noordwind.NL")
    user = connect().resolve_user({"email": "anna@noordwind.nl"})
    assert user.id == str(uid)
    assert moodle.called("core_user_get_users") == [
        {"criteria": [{"key": "email", "value": "anna@noordwind.nl"}]}]


def test_a_like_wildcard_in_an_address_does_not_match_another_user(moodle, connect):
    moodle.add_user("anna@noordwind.nl")
    assert connect().resolve_user({"email": "a_na@noordwind.nl"}) is None


def test_a_learner_moodle_does_not_have_is_none(moodle, connect):
    moodle.add_user("bert@noordwind.nl")
    assert connect().resolve_user({"email": "anna@noordwind.nl", "identifiers": []}) is None


@pytest.mark.parametrize("field, value", [("id", None), ("username", "adeboer"),
                                          ("idnumber", "E1042")])
def test_an_account_on_this_moodle_finds_the_learner_by_the_configured_field(moodle, connect,
                                                                             field, value):
    uid = moodle.add_user("a.deboer@privé.example", username="adeboer", idnumber="E1042")
    name = value or str(uid)
    learner = {"email": "anna@noordwind.nl",
               "identifiers": ["account:https://hr.noordwind.example|E1042",
                               f"account:{moodle.url}/|{name}"]}
    connector = connect(**({} if field == "id" else {"account_field": field}))
    assert connector.resolve_user(learner).id == str(uid)
    assert moodle.called("core_user_get_users_by_field")[-1] == {"field": field,
                                                                  "values": [name]}


def test_an_account_on_another_site_is_not_looked_up(moodle, connect):
    uid = moodle.add_user("x@noordwind.nl")
    learner = {"identifiers": [f"account:https://hr.noordwind.example|{uid}"]}
    assert connect().resolve_user(learner) is None
    assert moodle.calls == []


def test_two_users_with_one_address_and_no_account_cannot_be_told_apart(moodle, connect):
    moodle.add_user("anna@noordwind.nl", username="anna1")
    moodle.add_user("anna@noordwind.nl", username="anna2")
    with pytest.raises(ConnectorError) as raised:
        connect().resolve_user({"email": "anna@noordwind.nl"})
    assert raised.value.result.status == PERMANENT
    assert "account_homepage, account_name" in raised.value.result.message


def test_the_roster_reads_email_account_team_and_profile_fields(moodle, connect):
    anna = moodle.add_user("anna@noordwind.nl", fullname="Anna de Boer",
                           department="Klantenservice", customfields={
                               "role": "customer-service-agent",
                               "manageremail": "lead@noordwind.nl",
                               "startdate": "1772406000",  # 2 March 2026 00:00 Amsterdam
                               "leavedate": "0"})
    roster = {person.email: person for person in connect().fetch_roster()}
    assert roster["anna@noordwind.nl"] == RosterPerson(
        email="anna@noordwind.nl", account_homepage=moodle.url, account_name=str(anna),
        name="Anna de Boer", role="customer-service-agent", manager_email="lead@noordwind.nl",
        team="Klantenservice", start_date="2026-03-02")
    assert set(roster) == {u["email"] for u in moodle.users.values()}


def test_roster_field_names_come_from_the_options(moodle, connect):
    moodle.add_user("anna@noordwind.nl", institution="Noordwind Noord", username="adeboer",
                    customfields={"functie": "energy-advisor", "indienst": "2026-03-02"})
    connector = connect(team_field="institution", role_field="functie",
                        start_field="indienst", account_field="username")
    person = next(p for p in connector.fetch_roster() if p.email == "anna@noordwind.nl")
    assert (person.team, person.role, person.start_date, person.account_name) == \
        ("Noordwind Noord", "energy-advisor", "2026-03-02", "adeboer")

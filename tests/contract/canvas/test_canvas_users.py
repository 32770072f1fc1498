"""Finding learners in Canvas by login id and e-mail address, and the account's users as a
roster, page after page."""

from lrs_bridge_connectors.registry import connector_class

ANNA = {"id": 1, "email": "anna@noordwind.nl", "name": "Anna de Boer",
        "identifiers": ["mbox:mailto:anna@noordwind.nl"]}


def test_canvas_is_an_installed_connector_kind():
    from lrs_bridge_connectors.canvas import CanvasConnector

    assert connector_class("canvas") is CanvasConnector


def test_a_learner_is_found_by_exact_email_not_by_a_partial_match(connector, canvas):
    # The search for anna@noordwind.nl also matches joanna@noordwind.nl.
    user = connector.resolve_user(ANNA)
    assert (user.id, user.email, user.username, user.idnumber) == (
        "101", "anna@noordwind.nl", "anna@noordwind.nl", "E1001")
    assert canvas.count("GET", "/api/v1/accounts/self/users") == 1


def test_a_learner_with_a_canvas_account_is_found_by_login_id(connector, canvas):
    learner = {**ANNA, "email": "someone.else@example.org",
               "identifiers": [f"account:{canvas.url}/|bbakker"]}
    user = connector.resolve_user(learner)
    assert (user.id, user.name) == ("103", "Bert Bakker")
    assert canvas.requests == [("GET", "/api/v1/users/sis_login_id:bbakker")]


def test_an_unknown_login_falls_back_to_the_email_address(connector, canvas):
    learner = {**ANNA, "identifiers": [f"account:{canvas.url}|gone",
                                       "account:https://other.example|bbakker"]}
    assert connector.resolve_user(learner).id == "101"
    assert canvas.count("GET", "/api/v1/users/sis_login_id:gone") == 1
    assert canvas.count("GET", "/api/v1/users/sis_login_id:bbakker") == 0  # another site's


def test_a_learner_canvas_does_not_know_is_none(connector, canvas):
    assert connector.resolve_user({**ANNA, "email": "nobody@noordwind.nl"}) is None
    assert connector.resolve_user({"id": 2, "email": None, "identifiers": []}) is None


def test_the_roster_follows_the_link_header_over_three_pages(connector, canvas):
    canvas.max_per_page = 2  # five users: pages of 2, 2 and 1
    people = connector.fetch_roster()
    assert canvas.count("GET", "/api/v1/accounts/self/users") == 3
    assert [p.name for p in people] == ["Bert Bakker", "Anna de Boer", "Carla Claes",
                                        "Joanna Jansen", "Lea Lead"]
    anna = people[1]
    assert (anna.email, anna.account_homepage, anna.account_name) == (
        "anna@noordwind.nl", canvas.url, "anna@noordwind.nl")
    assert people[2].email is None and anna.role is None and anna.manager_email is None


def test_the_next_page_is_asked_for_as_canvas_wrote_it(connector, canvas, httpserver):
    canvas.max_per_page = 2
    connector.fetch_roster()
    pages = [r.args.get("page") for r, _ in httpserver.log
             if r.path == "/api/v1/accounts/self/users"]
    assert pages[0] is None and all(p.startswith("bookmark:") for p in pages[1:])


def test_the_account_and_homepage_options_are_used(canvas, connector_for):
    connector = connector_for(canvas.url, account="1", account_homepage="https://sso.example")
    learner = {**ANNA, "identifiers": ["account:https://sso.example|cclaes"]}
    assert connector.resolve_user(learner).id == "105"
    assert connector.fetch_roster()[0].account_homepage == "https://sso.example"
    assert canvas.count("GET", "/api/v1/accounts/1/users") == 1


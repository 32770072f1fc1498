"""The Activities (§2.5) and Agents (§2.4) resources, and format=canonical statements."""

import hashlib
import json
from urllib.parse import urlencode

from tests.integration.http_checks import assert_head_like_get
from tests.integration.statements_helpers import make_statement

ACTIVITY = "https://example.com/activities/privacy-basics"


def activity_url(activity_id=ACTIVITY):
    return "/xapi/activities?" + urlencode({"activityId": activity_id})


def agents_url(agent):
    return "/xapi/agents?" + urlencode({"agent": json.dumps(agent)})


def test_unknown_activity_is_returned_with_its_id_alone(xapi):
    response = xapi.get(activity_url("https://example.com/never-seen"))
    assert response.status_code == 200
    assert response.get_json() == {"objectType": "Activity", "id": "https://example.com/never-seen"}
    assert response.headers["ETag"] == f'"{hashlib.sha1(response.data).hexdigest()}"'


def test_definitions_from_statements_are_merged_into_the_canonical_one(xapi):
    first = make_statement()
    second = make_statement()
    second["object"]["definition"] = {"name": {"de-DE": "Datenschutz"},
                                      "description": {"en-US": "Handle personal data"}}
    xapi.post("/xapi/statements", json=[first, second])
    definition = xapi.get(activity_url()).get_json()["definition"]
    assert definition["name"] == {"en-US": "Privacy basics", "nl-NL": "Privacy basis",
                                  "de-DE": "Datenschutz"}
    assert definition["description"] == {"en-US": "Handle personal data"}


def test_context_activities_get_definitions_too(xapi):
    parent = {"id": "https://example.com/paths/onboarding",
              "definition": {"name": {"en-US": "Onboarding path"}}}
    xapi.post("/xapi/statements",
              json=make_statement(context={"contextActivities": {"parent": [parent]}}))
    got = xapi.get(activity_url(parent["id"])).get_json()
    assert got["definition"] == {"name": {"en-US": "Onboarding path"}}


def test_accept_language_narrows_the_language_maps(xapi):
    xapi.post("/xapi/statements", json=make_statement())
    got = xapi.get(activity_url(), headers={"Accept-Language": "nl-NL"}).get_json()
    assert got["definition"]["name"] == {"nl-NL": "Privacy basis"}


def test_only_credentials_with_define_change_the_canonical_definition(make_xapi, xapi):
    writer = make_xapi("statements/write")
    definer = make_xapi("statements/write", "define")
    renamed = make_statement()
    renamed["object"]["definition"] = {"name": {"en-US": "Renamed by a plain writer"}}
    writer.post("/xapi/statements", json=renamed)
    assert "definition" not in xapi.get(activity_url()).get_json()
    definer.post("/xapi/statements", json=make_statement())
    assert xapi.get(activity_url()).get_json()["definition"]["name"]["en-US"] == "Privacy basics"


def test_canonical_format_uses_the_canonical_definition(xapi):
    plain = make_statement()
    plain["object"] = {"objectType": "Activity", "id": ACTIVITY}
    xapi.post("/xapi/statements", json=[make_statement(), plain])
    response = xapi.get(f"/xapi/statements?statementId={plain['id']}&format=canonical",
                        headers={"Accept-Language": "nl-NL"})
    assert response.get_json()["object"]["definition"] == {"name": {"nl-NL": "Privacy basis"}}


def test_activities_needs_an_iri(xapi):
    assert xapi.get("/xapi/activities").status_code == 400
    assert "activityId: must be an IRI" in xapi.get(activity_url("nope")).get_json()["error"]


def test_person_of_an_unknown_agent(xapi):
    response = xapi.get(agents_url({"mbox": "mailto:new@example.nl"}))
    assert response.status_code == 200
    assert response.get_json() == {"objectType": "Person", "mbox": ["mailto:new@example.nl"]}


def test_person_collects_the_names_an_agent_went_by(xapi):
    xapi.post("/xapi/statements", json=make_statement(actor="anna@example.com"))
    person = xapi.get(agents_url({"objectType": "Agent", "mbox": "mailto:anna@example.com"}))
    assert person.get_json() == {"objectType": "Person", "name": ["anna@example.com"],
                                 "mbox": ["mailto:anna@example.com"]}


def test_agents_refuses_groups_and_bad_agents(xapi):
    group = {"objectType": "Group", "mbox": "mailto:team@example.nl"}
    assert xapi.get(agents_url(group)).status_code == 400
    assert xapi.get(agents_url({"mbox": "team@example.nl"})).status_code == 400
    assert xapi.get("/xapi/agents").status_code == 400


def test_head_on_activities_and_agents(xapi):
    xapi.post("/xapi/statements", json=make_statement(actor="a@example.nl"))
    assert_head_like_get(xapi, activity_url(), "Content-Type", "ETag")
    assert_head_like_get(xapi, agents_url({"mbox": "mailto:a@example.nl"}), "Content-Type", "ETag")


def test_about_names_the_versions_and_the_software(app):
    about = app.test_client().get("/xapi/about").get_json()
    assert "1.0.3" in about["version"]
    assert about["extensions"]["urn:x-lrs-bridge:about:product"]["name"] == "lrs-bridge"


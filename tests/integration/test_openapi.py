"""GET /api/v1/openapi.json: a valid OpenAPI document that lists every /api/v1 route with the
parameters it takes, and whose schemas hold the answers the routes really give (SQLite and
PostgreSQL, on feed_helpers' organisation)."""

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from lrs_bridge.web.api.openapi import OPERATIONS
from tests.integration.feed_helpers import ANNA, get

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture
def document(feed_api) -> dict:
    return get(feed_api("statements/write"), OPENAPI).get_json()  # any credential will do


def test_the_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["xapiBasic"] == {
        "type": "http", "scheme": "basic", "description": document["components"][
            "securitySchemes"]["xapiBasic"]["description"]}
    assert document["security"] == [{"xapiBasic": []}]


def test_every_registered_api_rule_is_in_the_document(feed_api, document):
    rules = {re.sub(r"<(?:[^>]*:)?(\w+)>", r"{\1}", rule.rule)
             for rule in feed_api.app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    assert rules >= {"/api/v1/progress", "/api/v1/progress.csv", "/api/v1/matrix/paths.csv",
                     "/api/v1/matrix/skills.csv", "/api/v1/alerts.atom", OPENAPI,
                     "/api/v1/learners/{learner_id}"}
    assert set(document["paths"]) == rules
    assert all(set(operations) == {"get"} for operations in document["paths"].values())
    endpoints = {rule.endpoint for rule in feed_api.app.url_map.iter_rules()
                 if rule.rule.startswith("/api/v1/")}
    assert endpoints <= set(OPERATIONS), "describe these in web/api/openapi.py: " \
        f"{sorted(endpoints - set(OPERATIONS))}"


def test_each_route_takes_exactly_the_parameters_it_documents(feed_api, document):
    reader = feed_api("all")
    for path, operations in document["paths"].items():
        if path == "/api/v1/mappings":
            continue  # takes none and reads none
        documented = sorted(p["name"] for p in operations["get"]["parameters"]
                            if p["in"] == "query")
        url = path.replace("{learner_id}", "1")
        error = get(reader, f"{url}?zzz=1", 400).get_json()["error"]
        known = error.split("; known: ")[1]
        assert (known.split(", ") if known else []) == documented, path


def _validator(document: dict, schema: dict) -> Draft202012Validator:
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    return Draft202012Validator({"$ref": "urn:openapi#" + schema["$ref"][1:]}
                                if "$ref" in schema else schema, registry=registry)


def test_the_answers_are_what_the_schemas_say(feed_api, document):
    reader = feed_api("all")
    anna = get(reader, "/api/v1/learners", email=ANNA).get_json()["learners"][0]["id"]
    urls = {"/api/v1/learners": "/api/v1/learners",
            "/api/v1/learners/{learner_id}": f"/api/v1/learners/{anna}",
            "/api/v1/alerts": "/api/v1/alerts?status=all", "/api/v1/status": "/api/v1/status",
            "/api/v1/progress": "/api/v1/progress", "/api/v1/mappings": "/api/v1/mappings",
            OPENAPI: OPENAPI}
    for path, url in urls.items():
        schema = document["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        errors = list(_validator(document, schema).iter_errors(get(reader, url).get_json()))
        assert errors == [], (path, [e.message for e in errors[:3]])
    bad = get(reader, "/api/v1/progress?limit=0", 400).get_json()
    assert list(_validator(document, {"$ref": "#/components/schemas/Error"})
                .iter_errors(bad)) == []


def test_the_document_needs_a_credential(feed_api):
    assert feed_api.app.test_client().get(OPENAPI).status_code == 401

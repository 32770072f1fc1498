"""Valid xAPI statements for the validation tests: a rich one and the pieces to vary it."""

import copy
import uuid

import pytest

from lrs_bridge.schemas import validate_statement
from lrs_bridge.xapi.errors import BadRequest

ACTIVITY_ID = "https://learning.example.com/modules/privacy-basics"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SHA2 = "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"


def new_id() -> str:
    """A fresh UUID string."""
    return str(uuid.uuid4())


def agent(name: str = "anna") -> dict:
    """An Agent identified by mbox."""
    return {"objectType": "Agent", "name": name.title(), "mbox": f"mailto:{name}@example.com"}


def account_agent(key: str = "consumer-1") -> dict:
    """An Agent identified by an account."""
    return {"account": {"homePage": "https://lms.example.com", "name": key}}


def group(*members: dict, **ifi) -> dict:
    """A Group: anonymous with members, or identified by the IFI given as keyword."""
    data = {"objectType": "Group", "name": "Team Privacy"}
    if members:
        data["member"] = list(members)
    data.update(ifi)
    return data


def activity(activity_id: str = ACTIVITY_ID, **definition) -> dict:
    """An Activity with an explicit objectType and, when given, a definition."""
    data = {"objectType": "Activity", "id": activity_id}
    if definition:
        data["definition"] = definition
    return data


def rich_statement() -> dict:
    """A typical statement from authored content, using most optional properties."""
    return {
        "id": new_id(),
        "actor": agent(),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed",
                 "display": {"en-US": "passed", "nl-NL": "geslaagd"}},
        "object": activity(
            name={"en-US": "Privacy basics", "nl-NL": "Privacy basis"},
            description={"en-US": "The GDPR in twenty minutes"},
            type="http://adlnet.gov/expapi/activities/module",
        ),
        "result": {
            "score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
            "success": True,
            "completion": True,
            "duration": "PT12M30.5S",
        },
        "context": {
            "registration": new_id(),
            "contextActivities": {
                "parent": [{"id": "https://learning.example.com/paths/onboarding"}],
                "grouping": [{"id": "https://learning.example.com/programmes/compliance"}],
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
            },
            "platform": "Storyline 360",
            "language": "en-US",
        },
        "timestamp": "2026-11-23T08:40:12.123+01:00",
    }


def full_statement() -> dict:
    """The rich statement plus every remaining property a statement can carry."""
    statement = rich_statement()
    statement["result"].update(response="true", extensions={"https://x.example.com/hits": 3})
    statement["object"]["definition"].update(
        moreInfo="https://learning.example.com/info/privacy",
        extensions={"https://x.example.com/level": None},
    )
    statement["context"].update(
        instructor=agent("ben"),
        team=group(agent("carla"), agent("daan")),
        revision="r2",
        statement={"objectType": "StatementRef", "id": new_id()},
        extensions={"https://x.example.com/room": {"floor": 2}},
    )
    statement["context"]["contextActivities"]["other"] = {"id": "https://x.example.com/exam"}
    statement.update(
        stored="2026-11-23T07:40:13Z",
        authority=group(account_agent(), agent("erik")),
        version="1.0.0",
        attachments=[{
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "Signature"},
            "description": {"en-US": "A JWS of the statement"},
            "contentType": "application/octet-stream",
            "length": 4235,
            "sha2": SHA2,
            "fileUrl": "https://files.example.com/signature.jws",
        }],
    )
    return statement


def interaction(interaction_type: str, **properties) -> dict:
    """A statement about an interaction Activity of the given type."""
    statement = rich_statement()
    statement["object"]["definition"] = {
        "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        "interactionType": interaction_type,
        **properties,
    }
    return statement


def components(*ids: str) -> list[dict]:
    """Interaction components with the given ids."""
    return [{"id": each, "description": {"en-US": f"Option {each}"}} for each in ids]


def substatement() -> dict:
    """A statement whose object is a SubStatement."""
    statement = rich_statement()
    inner = rich_statement()
    del inner["id"]
    del statement["context"]["platform"]  # only allowed when the object is an Activity
    statement["verb"] = {"id": "http://example.com/verbs/planned"}
    statement["object"] = {"objectType": "SubStatement", **inner}
    return statement


def voiding(target_id: str | None = None) -> dict:
    """A statement voiding another."""
    return {
        "actor": agent("admin"),
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target_id or new_id()},
    }


def clone(statement: dict) -> dict:
    """A deep copy to change without touching the original."""
    return copy.deepcopy(statement)


def problems(statement, validate=validate_statement) -> list[str]:
    """The problems, "path: rule", in the BadRequest that validating `statement` raises."""
    with pytest.raises(BadRequest) as raised:
        validate(statement)
    return raised.value.message.split("; ")


def assert_rejected(statement, path: str, rule: str = "", validate=validate_statement) -> None:
    """Validation fails with a problem at exactly `path` whose message contains `rule`."""
    found = problems(statement, validate)
    assert any(problem.startswith(f"{path}: ") and rule in problem for problem in found), found


def assert_valid(statement: dict) -> None:
    """Validation passes and returns the statement itself, unchanged."""
    before = copy.deepcopy(statement)
    assert validate_statement(statement) is statement
    assert statement == before

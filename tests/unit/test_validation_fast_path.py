"""The fast yes/no path agrees with marshmallow's full validation on mutated statements."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrs_bridge.schemas import validate_statement
from lrs_bridge.schemas.errors import flatten
from lrs_bridge.schemas.statements import STATEMENT
from lrs_bridge.xapi.errors import BadRequest
from tests.unit.statement_samples import (
    components,
    full_statement,
    interaction,
    substatement,
    voiding,
)

SAMPLES = [
    full_statement(), substatement(), voiding(),
    interaction("matching", source=components("a", "b"), target=components("c"),
                correctResponsesPattern=["a[.]c"]),
]

REPLACEMENTS = [
    None, "", "x", "X", 0, 1, -2, 1.5, True, False, [], {}, [None], ["x"], [{}],
    "mailto:a@example.com", "http://example.com/a", "e05aa883-acaf-40ad-bf54-02c8ce485fb0",
    "2026-01-01T00:00:00Z", "PT1S", "en-US", "1.0.0", "Agent", "Group", "Activity",
    "StatementRef", "SubStatement", "choice", "likert", "http://adlnet.gov/expapi/verbs/voided",
    {"id": "http://example.com/a"}, {"mbox": "mailto:b@example.com"}, components("a", "a"),
    {"objectType": "Group", "member": [{"mbox": "mailto:c@example.com"}]},
]


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _mutate(statement, path, action, replacement):
    if not path:
        return
    parent = statement
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = replacement
    elif isinstance(parent, dict):  # rename, e.g. a change of case
        parent[str(last).swapcase()] = parent.pop(last)


@st.composite
def mutated_statements(draw):
    statement = copy.deepcopy(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(statement))
        _mutate(statement, draw(st.sampled_from(paths)),
                draw(st.sampled_from(["delete", "replace", "replace", "rename"])),
                copy.deepcopy(draw(st.sampled_from(REPLACEMENTS))))
    return statement


@settings(max_examples=400, deadline=None)
@given(mutated_statements())
def test_fast_path_says_valid_exactly_when_marshmallow_finds_no_error(statement):
    assert STATEMENT.is_valid(statement) == (not STATEMENT.validate(statement))


@settings(max_examples=100, deadline=None)
@given(mutated_statements())
def test_a_mutated_statement_is_refused_exactly_when_marshmallow_finds_an_error(statement):
    errors = flatten(STATEMENT.validate(statement))
    if not errors:
        assert validate_statement(statement) is statement
        return
    with pytest.raises(BadRequest) as refused:
        validate_statement(statement)
    # The message shows marshmallow's problems, each as `path: message`.
    shown = [f"{path}: {message}" if path else message for path, message in errors]
    assert any(problem in refused.value.message for problem in shown)

"""Statement comparison (Data §2.3.1.s9): what may differ and what may not."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.compare import comparable_form, statements_equivalent
from lrs_bridge.xapi.completion import complete_statement
from tests.unit.statement_samples import (
    account_agent,
    agent,
    clone,
    full_statement,
    group,
    rich_statement,
    substatement,
)


def _pair(make=full_statement):
    statement = make()
    return statement, clone(statement)


def test_a_statement_equals_its_copy():
    a, b = _pair()
    assert statements_equivalent(a, b)


def test_a_statement_equals_itself_as_the_lrs_stored_it():
    sent = rich_statement()
    del sent["timestamp"]
    stored = complete_statement(sent, stored_ms=1_700_000_000_000,
                                authority=account_agent("key"), new_id=sent["id"])
    assert statements_equivalent(stored, sent)
    assert statements_equivalent(sent, stored)


@pytest.mark.parametrize("prop, value", [
    ("authority", {"mbox": "mailto:someone-else@example.com"}),
    ("stored", "2030-01-01T00:00:00Z"),
    ("version", "1.0.3"),
    ("attachments", []),
])
def test_properties_the_lrs_assigns_or_that_are_not_part_of_the_statement_are_ignored(prop, value):
    a, b = _pair()
    b[prop] = value
    assert statements_equivalent(a, b)
    del b[prop]
    assert statements_equivalent(a, b)


def test_activity_definitions_and_verb_displays_are_ignored():
    a, b = _pair()
    b["object"]["definition"] = {"name": {"de-DE": "Datenschutz"}}
    b["verb"]["display"] = {"en-GB": "passed it"}
    b["context"]["contextActivities"]["parent"][0]["definition"] = {"type": "https://t.example"}
    assert statements_equivalent(a, b)


def test_timestamps_compare_as_points_in_time():
    a, b = _pair()
    a["timestamp"] = "2026-11-23T08:40:12.123+01:00"
    b["timestamp"] = "2026-11-23T07:40:12.123000Z"
    assert statements_equivalent(a, b)
    b["timestamp"] = "2026-11-23T07:40:12.124Z"
    assert not statements_equivalent(a, b)


@pytest.mark.parametrize("sent, returned, same", [
    ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z", True),
    ("2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.500Z", True),
    ("2026-01-01T00:00:00.12345Z", "2026-01-01T00:00:00.123Z", True),  # truncated
    ("2026-01-01T00:00:00.12351Z", "2026-01-01T00:00:00.124Z", True),  # rounded
    ("2026-01-01T00:00:00.9996Z", "2026-01-01T00:00:01.000Z", True),  # rounded up a second
    ("2026-01-01T00:00:00.12345Z", "2026-01-01T00:00:00.1234Z", True),  # kept 4 digits
    ("2026-01-01T00:00:00.12345Z", "2026-01-01T00:00:00.125Z", False),
    ("2026-01-01T00:00:00.12Z", "2026-01-01T00:00:00.121Z", False),
    ("2026-01-01T00:00:00.1Z", "2026-01-01T00:00:00.1001Z", True),  # .1001 truncated
    ("2026-01-01T00:00:00.1Z", "2026-01-01T00:00:00.1011Z", False),
])
def test_timestamp_precision_beyond_milliseconds_may_be_lost(sent, returned, same):
    a, b = _pair(rich_statement)
    a["timestamp"], b["timestamp"] = sent, returned
    assert statements_equivalent(a, b) is same
    assert statements_equivalent(b, a) is same


def test_a_missing_timestamp_or_id_could_have_been_filled_in_by_the_lrs():
    a, b = _pair()
    del b["timestamp"], b["id"]
    assert statements_equivalent(a, b)


def test_ids_compare_without_case_but_different_ids_differ():
    a, b = _pair()
    b["id"] = a["id"].upper()
    assert statements_equivalent(a, b)
    b["id"] = "00000000-0000-4000-8000-000000000000"
    assert not statements_equivalent(a, b)


def test_group_members_are_unordered():
    a, b = _pair()
    b["context"]["team"]["member"].reverse()
    a["actor"] = group(agent("anna"), account_agent("x"), agent("ben"))
    b["actor"] = group(agent("ben"), agent("anna"), account_agent("x"))
    assert statements_equivalent(a, b)
    b["actor"]["member"].pop()
    assert not statements_equivalent(a, b)


def test_case_insensitive_values_may_change_case():
    a, b = _pair()
    b["actor"]["mbox"] = "mailto:anna@EXAMPLE.com"
    b["context"]["registration"] = a["context"]["registration"].upper()
    b["context"]["statement"]["id"] = a["context"]["statement"]["id"].upper()
    b["context"]["language"] = "EN-us"
    assert statements_equivalent(a, b)


def test_the_local_part_of_an_email_address_keeps_its_case():
    a, b = _pair()
    b["actor"]["mbox"] = "mailto:ANNA@example.com"
    assert not statements_equivalent(a, b)


@pytest.mark.parametrize("change", [
    lambda s: s["verb"].update(id="http://adlnet.gov/expapi/verbs/failed"),
    lambda s: s["actor"].update(name="Someone Else"),
    lambda s: s["object"].update(id="https://learning.example.com/other"),
    lambda s: s["result"]["score"].update(raw=86),
    lambda s: s["result"].update(success=1),  # true and 1 are different JSON values
    lambda s: s["result"].update(duration="PT12M30.50S"),  # a string, not a number
    lambda s: s["context"]["contextActivities"]["parent"].append({"id": "https://x.example"}),
    lambda s: s["context"]["extensions"]["https://x.example.com/room"].update(floor=3),
    lambda s: s["context"].update(platform="Other"),
    lambda s: s["context"].pop("revision"),
])
def test_any_other_difference_counts(change):
    a, b = _pair()
    change(b)
    assert not statements_equivalent(a, b)


def test_durations_ignore_precision_beyond_hundredths_of_a_second():
    a, b = _pair()
    a["result"]["duration"] = "PT12M30.5678S"
    b["result"]["duration"] = "PT12M30.56S"
    assert statements_equivalent(a, b)
    b["result"]["duration"] = "PT12M30.57S"
    assert not statements_equivalent(a, b)


def test_default_object_types_and_single_context_activities_state_the_same_statement():
    a, b = _pair()
    del b["actor"]["objectType"], b["object"]["objectType"]
    b["context"]["contextActivities"]["parent"] = b["context"]["contextActivities"]["parent"][0]
    a["context"]["contextActivities"]["other"] = [a["context"]["contextActivities"]["other"]]
    assert statements_equivalent(a, b)


def test_substatement_timestamps_compare_as_instants_but_are_never_assigned():
    a, b = _pair(substatement)
    b["object"]["timestamp"] = "2026-11-23T07:40:12.123Z"  # same instant, UTC
    assert statements_equivalent(a, b)
    del b["object"]["timestamp"]
    assert not statements_equivalent(a, b)


def test_comparable_form_survives_absent_optional_parts():
    minimal = {"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "https://v.example"},
               "object": {"id": "https://o.example"}}
    assert comparable_form(minimal)["object"] == {"objectType": "Activity", "id": "https://o.example"}
    assert statements_equivalent(minimal, clone(minimal))


def test_comparing_does_not_mutate_either_statement():
    a, b = _pair()
    before = clone(a)
    statements_equivalent(a, b)
    assert a == before == b


# --- properties over generated variations ------------------------------------------------


def _shuffled(value, rng):
    """A deep copy with every object's keys in a random order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: _shuffled(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [_shuffled(item, rng) for item in value]
    return value


@given(st.randoms(use_true_random=False))
def test_equivalence_is_reflexive_and_holds_under_key_reordering(rng):
    statement = full_statement()
    assert statements_equivalent(statement, statement)
    assert statements_equivalent(statement, _shuffled(statement, rng))


@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_equivalence_holds_when_the_timestamp_moves_to_another_time_zone(moment, minutes):
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=UTC)
    shifted = moment.astimezone(timezone(timedelta(minutes=minutes)))
    a, b = _pair(rich_statement)
    a["timestamp"] = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    b["timestamp"] = shifted.isoformat(timespec="milliseconds")
    assert statements_equivalent(a, b)


@given(st.uuids(), st.uuids(), st.booleans())
def test_equivalence_ignores_the_case_of_uuids(statement_id, registration, upper_first):
    a, b = _pair()
    a["id"], a["context"]["registration"] = str(statement_id), str(registration)
    b["id"], b["context"]["registration"] = str(statement_id).upper(), str(registration).upper()
    first, second = (b, a) if upper_first else (a, b)
    assert statements_equivalent(first, second)


@given(st.permutations(["anna", "ben", "carla", "daan"]))
def test_equivalence_holds_for_any_order_of_group_members(names):
    a, b = _pair()
    a["actor"] = group(*(agent(name) for name in ["anna", "ben", "carla", "daan"]))
    b["actor"] = group(*(agent(name) for name in names))
    assert statements_equivalent(a, b)


def test_strict_comparison_counts_an_id_or_timestamp_on_one_side_only():
    base = {"actor": {"mbox": "mailto:a@example.com"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "http://example.com/a"}}
    with_id = {**base, "id": "6f0c8d5e-2a4b-4c1d-9e8f-0a1b2c3d4e5f",
               "timestamp": "1999-01-01T00:00:00Z"}
    assert statements_equivalent(with_id, base)
    assert not statements_equivalent(with_id, base, strict=True)
    assert statements_equivalent(with_id, dict(with_id), strict=True)


def test_ids_that_are_not_strings_compare_without_error():
    assert not statements_equivalent({"id": 5}, {"id": "5"}, strict=True)
    assert not statements_equivalent({"id": []}, {"id": "x"})


def test_durations_with_long_fractions_and_long_digit_runs():
    from lrs_bridge.xapi.compare import _duration

    assert _duration("PT1.2345S") == "PT1.23S"
    assert _duration("PT1,2345S") == "PT1.23S"
    long_run = "PT" + "1" * 100_000 + "S"
    assert _duration(long_run) == long_run

"""Timestamps, scopes, settings and query cursors: the small pure pieces."""

import base64
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.settings import Settings
from lrs_bridge.xapi.errors import BadRequest
from lrs_bridge.xapi.query import Cursor, StatementQuery
from lrs_bridge.xapi.scopes import Credential, check_scopes
from lrs_bridge.xapi.timestamps import format_millis, parse_timestamp, to_millis


@pytest.mark.parametrize("text, expected", [
    ("2026-11-23T07:40:12Z", datetime(2026, 11, 23, 7, 40, 12, tzinfo=UTC)),
    ("2026-11-23T08:40:12+01:00", datetime(2026, 11, 23, 7, 40, 12, tzinfo=UTC)),
    ("2026-11-23T02:40:12.5-0500", datetime(2026, 11, 23, 7, 40, 12, 500000, tzinfo=UTC)),
    ("2026-11-23T07:40:12.123456789Z", datetime(2026, 11, 23, 7, 40, 12, 123456, tzinfo=UTC)),
])
def test_timestamps_parse_to_utc(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("text", [
    "2026-11-23", "23-11-2026T07:40:12Z", "2026-11-23T07:40:12-00:00", "yesterday", "",
])
def test_malformed_timestamps_are_refused(text):
    with pytest.raises(ValueError):
        parse_timestamp(text)


@given(st.integers(min_value=0, max_value=4_102_444_800_000))
def test_millis_round_trip_through_the_canonical_format(millis):
    assert to_millis(parse_timestamp(format_millis(millis))) == millis


def _credential(*scopes):
    return Credential(id=1, name="n", key="k", scopes=frozenset(scopes), tenant_id=1)


def test_all_grants_everything_and_all_read_only_reading():
    assert _credential("all").allows("statements/write")
    assert _credential("all/read").allows("statements/read")
    assert not _credential("all/read").allows("statements/write")
    assert not _credential("all/read").allows("state")


def test_read_mine_is_limited_to_own_statements():
    assert _credential("statements/read/mine").reads_only_own_statements()
    assert not _credential("statements/read").reads_only_own_statements()
    assert not _credential("statements/write").allows("statements/read/mine")


def test_unknown_scopes_are_refused_by_name():
    with pytest.raises(ValueError, match="statements/delete"):
        check_scopes(["statements/read", "statements/delete"])
    with pytest.raises(ValueError):
        check_scopes([])


def test_settings_come_from_prefixed_environment_variables():
    settings = Settings.from_env({"LRS_BRIDGE_DATABASE_URL": "sqlite:////srv/x.db",
                                  "LRS_BRIDGE_MAX_BATCH": "10"})
    assert settings.database_url == "sqlite:////srv/x.db"
    assert settings.max_batch == 10


def test_a_malformed_setting_names_the_variable():
    with pytest.raises(ValueError, match="LRS_BRIDGE_MAX_BATCH"):
        Settings.from_env({"LRS_BRIDGE_MAX_BATCH": "many"})


def test_cursor_round_trips_through_its_token():
    query = StatementQuery(filters=(("verb", "http://adlnet.gov/expapi/verbs/passed"),),
                           since_ms=5, limit=10, format="ids")
    cursor = Cursor(query=query, stored=123, seq=45, max_seq=99)
    assert Cursor.decode(cursor.encode()) == cursor
    settled = Cursor(query=query, stored=123, seq=45, max_seq=99, settled=1_700_000_000_000)
    assert Cursor.decode(settled.encode()) == settled


def test_a_cursor_with_a_settled_moment_that_is_no_integer_is_a_bad_request():
    token = base64.urlsafe_b64encode(
        b'{"query":{"filters":[]},"stored":1,"seq":1,"max_seq":1,"settled":"soon"}').decode()
    with pytest.raises(BadRequest, match="more"):
        Cursor.decode(token)


@pytest.mark.parametrize("token", ["garbage", "", "eyJ4IjoxfQ", "!!!"])
def test_foreign_cursor_tokens_are_a_bad_request(token):
    with pytest.raises(BadRequest, match="more"):
        Cursor.decode(token)


def test_a_timestamp_beyond_year_9999_in_utc_is_a_value_error():
    import pytest

    from lrs_bridge.xapi.timestamps import parse_timestamp

    with pytest.raises(ValueError, match="outside the years"):
        parse_timestamp("9999-12-31T23:59:59-14:00")


def test_an_hours_only_offset_is_iso_8601_but_minus_00_is_refused():
    import pytest

    from lrs_bridge.xapi.timestamps import parse_timestamp

    assert parse_timestamp("2020-01-01T01:00:00+01") == parse_timestamp("2020-01-01T00:00:00Z")
    for refused in ("2020-01-01T00:00:00-00", "２０２０-01-01T00:00:00Z"):
        with pytest.raises(ValueError):
            parse_timestamp(refused)


def test_delivery_back_off_doubles_with_jitter_up_to_six_hours():
    import random

    from lrs_bridge.delivery.delivery_worker import backoff

    rng = random.Random(1)
    for attempts, ceiling in ((1, 5), (2, 10), (3, 20), (13, 20480), (14, 21600), (19, 21600)):
        wait = backoff(attempts, rng)
        assert ceiling / 2 <= wait <= ceiling

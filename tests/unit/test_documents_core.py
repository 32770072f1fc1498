"""The pure rules of the document resources: ETags, preconditions, JSON merge."""

import hashlib
import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.documents import (
    Document,
    Preconditions,
    check_profile_put,
    etag_of,
    media_type,
    merge_json,
)
from lrs_bridge.xapi.errors import BadRequest, Conflict, PreconditionFailed


def doc(contents: bytes, content_type: str = "application/json") -> Document:
    return Document(contents, content_type, etag_of(contents), 1)


def test_etag_is_lower_case_sha1_hex():
    assert etag_of(b"abc") == hashlib.sha1(b"abc").hexdigest()  # noqa: S324
    assert etag_of(b"abc") == etag_of(b"abc").lower()


@pytest.mark.parametrize("header, expected", [
    ("application/json", "application/json"),
    ("Application/JSON; charset=UTF-8", "application/json"),
    ("", ""),
    (None, ""),
])
def test_media_type(header, expected):
    assert media_type(header) == expected


CURRENT = doc(b'{"a": 1}')


@pytest.mark.parametrize("preconditions, current", [
    (Preconditions(if_match="*"), CURRENT),
    (Preconditions(if_match=f'"{CURRENT.etag}"'), CURRENT),
    (Preconditions(if_match=f'"0000", "{CURRENT.etag}"'), CURRENT),
    (Preconditions(if_match=CURRENT.etag.upper()), CURRENT),
    (Preconditions(if_none_match='W/"0000"'), CURRENT),
    (Preconditions(if_none_match="*"), None),
    (Preconditions(if_none_match='"0000"'), CURRENT),
    (Preconditions(), None),
    (Preconditions(), CURRENT),
])
def test_preconditions_that_hold(preconditions, current):
    preconditions.check(current)


@pytest.mark.parametrize("preconditions, current", [
    (Preconditions(if_match="*"), None),
    (Preconditions(if_match='"0000"'), CURRENT),
    (Preconditions(if_match=f'"{CURRENT.etag}"'), None),
    (Preconditions(if_none_match="*"), CURRENT),
    (Preconditions(if_none_match=f'"{CURRENT.etag}"'), CURRENT),
    (Preconditions(if_none_match=f'W/"{CURRENT.etag}"'), CURRENT),
    # If-Match compares strongly, and only a bare * is the wildcard
    (Preconditions(if_match=f'W/"{CURRENT.etag}"'), CURRENT),
    (Preconditions(if_match='"*"'), CURRENT),
])
def test_preconditions_that_fail(preconditions, current):
    with pytest.raises(PreconditionFailed):
        preconditions.check(current)


def test_profile_put_needs_a_precondition():
    check_profile_put(Preconditions(if_match="*"), CURRENT)
    with pytest.raises(Conflict, match="If-Match"):
        check_profile_put(Preconditions(), CURRENT)
    with pytest.raises(BadRequest, match="If-None-Match"):
        check_profile_put(Preconditions(), None)


def test_merge_replaces_top_level_properties_only():
    merged = merge_json(doc(b'{"x": "foo", "y": "bar", "o": {"a": 1}}'),
                        b'{"x": "bash", "z": "faz", "o": {"b": 2}}', "application/json")
    assert orjson.loads(merged) == {"x": "bash", "y": "bar", "z": "faz", "o": {"b": 2}}


@pytest.mark.parametrize("stored, posted, posted_type", [
    (doc(b"{}", "text/plain"), b"{}", "application/json"),
    (doc(b"{}"), b"{}", "text/plain"),
    (doc(b"[]"), b"{}", "application/json"),
    (doc(b"{}"), b"1", "application/json"),
    (doc(b"{}"), b"{", "application/json"),
])
def test_merge_refuses_what_is_not_two_json_objects(stored, posted, posted_type):
    with pytest.raises(BadRequest):
        merge_json(stored, posted, posted_type)


json_objects = st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5),
                               max_size=6)


@given(json_objects, json_objects)
def test_merge_keeps_every_key_and_the_posted_values_win(stored, posted):
    merged = json.loads(merge_json(doc(json.dumps(stored).encode()),
                                   json.dumps(posted).encode(), "application/json"))
    assert set(merged) == set(stored) | set(posted)
    assert all(merged[k] == v for k, v in posted.items())
    assert all(merged[k] == v for k, v in stored.items() if k not in posted)


def test_merge_keeps_large_integers_exact():
    merged = merge_json(doc(b'{"big": 123456789012345678901234567890}'), b'{"n": 1.5}',
                        "application/json")
    assert json.loads(merged) == {"big": 123456789012345678901234567890, "n": 1.5}

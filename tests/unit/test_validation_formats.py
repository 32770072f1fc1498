"""The string formats of the xAPI data model: IRIs, UUIDs, language tags, hashes, durations."""

import pytest

from lrs_bridge.xapi.formats import (
    is_duration,
    is_iri,
    is_irl,
    is_language_tag,
    is_mailto_iri,
    is_media_type,
    is_sha1_hex,
    is_sha2_hex,
    is_statement_version,
    is_timestamp,
    is_uuid,
)


@pytest.mark.parametrize("text", [
    "http://adlnet.gov/expapi/verbs/completed",
    "https://example.com/xapi/verbs#defenestrated",
    "urn:uuid:6c9b1bb4-8c4e-4b53-9d4a-1ad4d2f8f111",
    "http://example.com/فعل/خواندن",
    "tag:example.com,2026:activity%201",
])
def test_absolute_iris_are_iris(text):
    assert is_iri(text)


@pytest.mark.parametrize("text", [
    "", "completed", "/relative/path", "#fragment", "http://example.com/a b",
    "http://example.com/<x>", "http:", "1http://example.com", "http://example.com/100%",
    "C:\\files\\course", None, 42,
])
def test_relative_or_malformed_iris_are_not_iris(text):
    assert not is_iri(text)


def test_an_irl_needs_a_scheme_and_an_address():
    assert is_irl("https://lms.example.com/login")
    assert not is_irl("urn:example:lms")
    assert not is_irl("lms.example.com/login")


@pytest.mark.parametrize("text", [
    "e05aa883-acaf-40ad-bf54-02c8ce485fb0", "E05AA883-ACAF-40AD-BF54-02C8CE485FB0",
])
def test_uuids_in_standard_form_in_any_case_are_uuids(text):
    assert is_uuid(text)


@pytest.mark.parametrize("text", [
    "e05aa883acaf40adbf5402c8ce485fb0", "{e05aa883-acaf-40ad-bf54-02c8ce485fb0}",
    "e05aa883-acaf-40ad-bf54-02c8ce485fbg", "e05aa883-acaf-40ad-bf54-02c8ce485fb0\n", "",
])
def test_uuids_in_other_forms_are_refused(text):
    assert not is_uuid(text)


@pytest.mark.parametrize("tag", [
    "en", "en-US", "nl-NL", "es-419", "zh-Hant-TW", "sr-Latn-RS", "de-CH-1901", "zh-yue-HK",
    "en-a-bbb-x-private", "x-klingon", "i-klingon", "EN-us", "sgn-BE-FR",
])
def test_rfc_5646_tags_are_language_tags(tag):
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", [
    "", "en_US", "en US", "e", "englishlanguage", "en-", "en-US-", "en-x", "123",
    "en-\u212aa",  # a Kelvin sign, which matches k only in Unicode case folding
])
def test_malformed_tags_are_not_language_tags(tag):
    assert not is_language_tag(tag)


def test_a_mailto_iri_holds_one_email_address():
    assert is_mailto_iri("mailto:anna@example.com")
    assert not is_mailto_iri("anna@example.com")
    assert not is_mailto_iri("mailto:anna")
    assert not is_mailto_iri("mailto:anna@example.com bob@example.com")


def test_sha1_is_forty_hex_digits_and_sha2_one_of_four_lengths():
    assert is_sha1_hex("a" * 40) and is_sha1_hex("ABCDEF0123" * 4)
    assert not is_sha1_hex("a" * 39) and not is_sha1_hex("g" * 40)
    assert all(is_sha2_hex("b" * length) for length in (56, 64, 96, 128))
    assert not is_sha2_hex("b" * 40) and not is_sha2_hex("z" * 64)


@pytest.mark.parametrize("text", [
    "PT4H35M59.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "PT0S", "P1D", "PT1,5H", "PT0.01S",
])
def test_iso_8601_durations_are_durations(text):
    assert is_duration(text)


@pytest.mark.parametrize("text", [
    "", "P", "PT", "P1DT", "P4W1D", "4H", "PT4h", "P0003-01-29T04:35:59", "PT1.5H30M",
    "P16559.14S",  # the spec's example lacks the T that must precede time components
    "-PT5S",
])
def test_malformed_durations_are_refused(text):
    assert not is_duration(text)


def test_timestamps_are_iso_8601_without_the_unknown_offset():
    assert is_timestamp("2026-11-23T07:40:12.123Z")
    assert is_timestamp("2026-11-23T08:40:12+01:00")
    assert not is_timestamp("2026-11-23T07:40:12-00:00")
    assert not is_timestamp("2026-11-23T07:40:12Z\n")
    assert not is_timestamp("23/11/2026")
    assert not is_timestamp(1732347612)


def test_media_types_have_a_type_and_a_subtype():
    assert is_media_type("application/octet-stream")
    assert is_media_type("text/plain; charset=utf-8")
    assert not is_media_type("pdf")
    assert not is_media_type("application/")


@pytest.mark.parametrize("text, accepted", [
    ("1.0.0", True), ("1.0.3", True), ("1.0.9", True), ("1.0.10", True), ("1.0.0-rc1", True),
    ("1.0", True), ("1.1.0", False), ("0.95", False), ("2.0.0", False), ("1.0.", False),
    ("1.0.x", False),
])
def test_statement_versions_must_start_with_1_0_dot(text, accepted):
    assert is_statement_version(text) is accepted

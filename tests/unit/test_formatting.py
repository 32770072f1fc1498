"""The ids and canonical formats of GET /statements (Communication §2.1.3)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_bridge.xapi.formatting import choose_language, to_canonical_format, to_ids_format
from tests.unit.statement_samples import (
    ACTIVITY_ID,
    account_agent,
    agent,
    clone,
    components,
    full_statement,
    group,
    interaction,
    rich_statement,
    substatement,
)

NAMES = {"en-US": "Privacy basics", "en-GB": "Privacy basics (UK)", "nl-NL": "Privacy basis",
         "nl": "Privacy", "de": "Datenschutz"}


# --- ids ----------------------------------------------------------------------------------


def test_ids_format_reduces_actor_verb_and_activity_object():
    reduced = to_ids_format(rich_statement())
    assert reduced["actor"] == {"objectType": "Agent", "mbox": "mailto:anna@example.com"}
    assert reduced["verb"] == {"id": "http://adlnet.gov/expapi/verbs/passed"}
    assert reduced["object"] == {"id": ACTIVITY_ID}


def test_ids_format_keeps_everything_that_is_not_an_agent_activity_or_verb():
    statement = full_statement()
    reduced = to_ids_format(statement)
    for prop in ("id", "result", "timestamp", "stored", "version", "attachments"):
        assert reduced[prop] == statement[prop]
    for prop in ("registration", "revision", "platform", "language", "statement", "extensions"):
        assert reduced["context"][prop] == statement["context"][prop]


def test_ids_format_reduces_authority_instructor_team_and_context_activities():
    reduced = to_ids_format(full_statement())
    assert reduced["authority"] == {"objectType": "Group", "member": [
        {"objectType": "Agent", "account": {"homePage": "https://lms.example.com",
                                            "name": "consumer-1"}},
        {"objectType": "Agent", "mbox": "mailto:erik@example.com"},
    ]}
    context = reduced["context"]
    assert context["instructor"] == {"objectType": "Agent", "mbox": "mailto:ben@example.com"}
    assert [m["mbox"] for m in context["team"]["member"]] == [
        "mailto:carla@example.com", "mailto:daan@example.com"]
    assert context["contextActivities"]["parent"] == [
        {"id": "https://learning.example.com/paths/onboarding"}]
    # A single Activity object is returned as an array of one (Data §2.4.6.2.s4.b3).
    assert context["contextActivities"]["other"] == [
        {"id": "https://x.example.com/exam"}]


def test_ids_format_reduces_an_identified_group_to_its_ifi_without_members():
    statement = rich_statement()
    statement["actor"] = group(agent("anna"), openid="https://id.example.com/team")
    assert to_ids_format(statement)["actor"] == {
        "objectType": "Group", "openid": "https://id.example.com/team"}


def test_ids_format_reduces_agent_objects_and_inside_substatements():
    statement = substatement()
    statement["object"]["object"] = {"objectType": "Agent", **account_agent("ben")}
    reduced = to_ids_format(statement)["object"]
    assert reduced["objectType"] == "SubStatement"
    assert reduced["actor"] == {"objectType": "Agent", "mbox": "mailto:anna@example.com"}
    assert reduced["verb"] == {"id": "http://adlnet.gov/expapi/verbs/passed"}
    assert reduced["object"] == {"objectType": "Agent", "account": {
        "homePage": "https://lms.example.com", "name": "ben"}}
    assert reduced["result"] == statement["object"]["result"]


def test_ids_format_keeps_statement_refs_and_tolerates_absent_parts():
    ref = {"objectType": "StatementRef", "id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"}
    minimal = {"actor": {"objectType": "Group", "member": []}, "verb": {"id": "https://v.example"},
               "object": ref}
    reduced = to_ids_format(minimal)
    assert reduced["object"] == minimal["object"]
    assert reduced["actor"] == {"objectType": "Group", "member": []}


def test_ids_format_does_not_mutate_its_input():
    statement = full_statement()
    before = clone(statement)
    to_ids_format(statement)
    assert statement == before


# --- canonical ----------------------------------------------------------------------------


@pytest.mark.parametrize("languages, expected", [
    (["nl-NL"], "nl-NL"),  # exact
    (["NL-nl"], "nl-NL"),  # tags compare without case
    (["nl"], "nl"),  # an exact match beats a prefix match of the same range
    (["en"], "en-GB"),  # prefix: "en" matches en-GB and en-US; the first in sorted order
    (["fr", "de"], "de"),  # the first range that matches anything wins
    (["en-US", "nl"], "en-US"),
    (["*"], "de"),  # anything; the first in sorted order
    (["*", "nl"], "de"),  # "*" stands for the tags no other range names
    (["fr"], "de"),  # nothing matches: one deterministic entry
    ([], "de"),
    (["en-AU"], "en-GB"),  # nothing matches, but the same primary language is kept
    # A tag takes the rank of the longest range matching it (RFC 2616 §14.4).
    (["en", "nl", "en-US"], "en-GB"),
])
def test_choose_language_follows_accept_language_ranges(languages, expected):
    assert choose_language(NAMES, languages) == {expected: NAMES[expected]}


def test_choose_language_keeps_empty_and_single_entry_maps():
    assert choose_language({}, ["en"]) == {}
    assert choose_language({"fr": "Bonjour"}, ["en"]) == {"fr": "Bonjour"}


@given(
    st.dictionaries(st.from_regex(r"[a-z]{2}(-[A-Z]{2})?", fullmatch=True), st.text(),
                    min_size=1, max_size=6),
    st.lists(st.one_of(st.just("*"), st.from_regex(r"[a-z]{2}(-[a-z]{2})?", fullmatch=True)),
             max_size=4),
)
def test_choose_language_returns_one_entry_of_a_non_empty_map(language_map, languages):
    chosen = choose_language(language_map, languages)
    assert len(chosen) == 1
    ((tag, text),) = chosen.items()
    assert language_map[tag] == text


@given(st.permutations(list(NAMES)), st.lists(st.sampled_from(["en", "nl", "*", "fr"])))
def test_choose_language_does_not_depend_on_key_order(tags, languages):
    reordered = {tag: NAMES[tag] for tag in tags}
    assert choose_language(reordered, languages) == choose_language(NAMES, languages)


def test_canonical_format_reduces_activity_and_verb_language_maps():
    canonical = to_canonical_format(rich_statement(), ["nl"])
    assert canonical["verb"]["display"] == {"nl-NL": "geslaagd"}
    assert canonical["object"]["definition"]["name"] == {"nl-NL": "Privacy basis"}
    # A map without the language still keeps one entry.
    assert canonical["object"]["definition"]["description"] == {
        "en-US": "The GDPR in twenty minutes"}


def test_canonical_format_reduces_interaction_component_descriptions():
    statement = interaction("likert", scale=components("1", "2"))
    statement["object"]["definition"]["scale"][0]["description"]["nl"] = "Optie 1"
    canonical = to_canonical_format(statement, ["nl-NL", "nl"])
    scale = canonical["object"]["definition"]["scale"]
    assert scale[0]["description"] == {"nl": "Optie 1"}
    assert scale[1]["description"] == {"en-US": "Option 2"}


def test_canonical_format_reduces_context_activities_and_substatements():
    statement = substatement()
    inner = statement["object"]
    inner["context"]["contextActivities"]["parent"][0]["definition"] = {
        "name": {"en": "Onboarding", "nl": "Inwerken"}}
    canonical = to_canonical_format(statement, ["nl"])
    inner = canonical["object"]
    assert inner["verb"]["display"] == {"nl-NL": "geslaagd"}
    assert inner["object"]["definition"]["name"] == {"nl-NL": "Privacy basis"}
    assert inner["context"]["contextActivities"]["parent"][0]["definition"]["name"] == {
        "nl": "Inwerken"}


def test_canonical_format_leaves_agents_as_they_were_sent():
    statement = full_statement()
    canonical = to_canonical_format(statement, ["en"])
    for prop in ("actor", "authority"):
        assert canonical[prop] == statement[prop]
    assert canonical["context"]["team"] == statement["context"]["team"]


def test_canonical_format_does_not_mutate_its_input():
    statement = full_statement()
    before = clone(statement)
    to_canonical_format(statement, ["nl"])
    assert statement == before

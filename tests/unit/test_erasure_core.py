"""Whose statement is it, when a person is erased (xapi.erasure)."""

import pytest

from lrs_bridge.xapi.agents import account_key, email_keys
from lrs_bridge.xapi.erasure import attachment_hashes, directory_form, is_own

ANNA = frozenset(email_keys("anna@nw.nl"))
ANNA_MBOX = {"mbox": "mailto:Anna@NW.nl"}
BERT = {"mbox": "mailto:bert@nw.nl"}
ACTIVITY = {"id": "https://example.com/modules/intro"}


@pytest.mark.parametrize("statement, own", [
    ({"actor": ANNA_MBOX, "object": ACTIVITY}, True),
    ({"actor": {"objectType": "Agent", "mbox_sha1sum": sorted(ANNA)[1].split(":")[1]},
      "object": ACTIVITY}, True),
    ({"actor": BERT, "object": {"objectType": "Agent", **ANNA_MBOX}}, True),
    # Anna as an Activity id, a Group's member, an instructor or in a sub-statement: not hers.
    ({"actor": BERT, "object": {"id": "mailto:anna@nw.nl"}}, False),
    ({"actor": {"objectType": "Group", "member": [ANNA_MBOX]}, "object": ACTIVITY}, False),
    ({"actor": BERT, "object": ACTIVITY, "context": {"instructor": ANNA_MBOX}}, False),
    ({"actor": BERT, "object": {"objectType": "SubStatement", "actor": ANNA_MBOX,
                                "verb": {"id": "https://example.com/v"}, "object": ACTIVITY}},
     False),
    ({"actor": BERT, "object": ACTIVITY}, False),
    ({"actor": "not an agent", "object": None}, False),
])
def test_a_statement_is_the_persons_when_they_are_its_actor_or_object(statement, own):
    assert is_own(statement, ANNA) is own


def test_an_account_is_matched_by_home_page_and_name():
    keys = frozenset({account_key("https://lms.nw.nl", "u-17")})
    assert is_own({"actor": {"account": {"homePage": "https://lms.nw.nl", "name": "u-17"}}}, keys)
    assert not is_own({"actor": {"account": {"homePage": "https://lms.nw.nl", "name": "u-1"}}},
                      keys)


def test_directory_form_lowers_mailto_keys_only():
    assert directory_form("mbox:mailto:Anna@nw.nl") == "mbox:mailto:anna@nw.nl"
    assert directory_form("account:https://lms.nw.nl|U-17") == "account:https://lms.nw.nl|U-17"


def test_attachment_hashes_of_a_statement_and_its_sub_statement():
    statement = {"attachments": [{"sha2": "aa"}, {"sha2": "bb"}, {"usageType": "x"}],
                 "object": {"objectType": "SubStatement", "attachments": [{"sha2": "cc"}]}}
    assert attachment_hashes(statement) == {"aa", "bb", "cc"}
    assert attachment_hashes({"object": {"id": "x"}}) == set()

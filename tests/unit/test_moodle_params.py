"""Moodle's PHP-style form fields, built from nested arguments."""

from lrs_bridge_connectors.moodle.params import php_fields


def test_scalars_pass_as_text_and_booleans_as_1_or_0():
    assert php_fields({"userid": 4, "note": "x", "returnusercount": False, "on": True}) == [
        ("userid", "4"), ("note", "x"), ("returnusercount", "0"), ("on", "1")]


def test_lists_and_dicts_nest_in_php_array_syntax():
    assert php_fields({"values": ["a@x.nl", "b@x.nl"],
                       "criteria": [{"key": "email", "value": "a@x.nl"}],
                       "users": [{"id": 7, "customfields": [{"type": "phase", "value": "x"}]}]}) \
        == [("values[0]", "a@x.nl"), ("values[1]", "b@x.nl"),
            ("criteria[0][key]", "email"), ("criteria[0][value]", "a@x.nl"),
            ("users[0][id]", "7"), ("users[0][customfields][0][type]", "phase"),
            ("users[0][customfields][0][value]", "x")]


def test_none_leaves_an_optional_argument_out():
    assert php_fields({"note": None, "messages": [{"touserid": 4, "clientmsgid": None}]}) == [
        ("messages[0][touserid]", "4")]


def test_an_empty_list_sends_nothing():
    assert php_fields({"values": []}) == []

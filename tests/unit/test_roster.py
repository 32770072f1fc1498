"""Reading a roster CSV: rows, and every bad row as `FILE:LINE: column: message`."""

import hashlib
from datetime import date

import pytest

from lrs_bridge.journey.learners import Learner, RoleSpell
from lrs_bridge.journey.roster import parse_roster, updated
from lrs_bridge.xapi.agents import account_key, email_keys, learner_key

ROLES = {"agent", "lead"}
PATHS = {"onboarding", "mobility"}
HEAD = "email,role,start_date"


def parse(text: str, file: str = "r.csv"):
    return parse_roster(text.encode(), file, ROLES, PATHS)


def problems(text: str) -> list[str]:
    return [str(p) for p in parse(text).problems]


def test_a_good_file_gives_its_rows_with_their_lines():
    roster = parse(f"{HEAD},paths\n\njan@x.nl,agent,2026-01-05, mobility ;\n")
    (row,) = roster.rows
    assert (row.line, row.email, row.role, row.start_date, row.paths) == (
        3, "jan@x.nl", "agent", date(2026, 1, 5), ("mobility",))
    assert roster.problems == ()


def test_a_byte_order_mark_is_accepted():
    roster = parse_roster(b"\xef\xbb\xbf" + f"{HEAD}\njan@x.nl,agent,2026-01-05\n".encode(),
                          "r.csv", ROLES, PATHS)
    assert roster.problems == () and len(roster.rows) == 1


def test_a_file_that_is_not_utf8_names_the_file_and_line():
    roster = parse_roster(f"{HEAD}\n".encode() + b"j\xe9@x.nl,agent,2026-01-05\n", "r.csv",
                          ROLES, PATHS)
    assert [str(p) for p in roster.problems] == [
        "r.csv:2: not UTF-8 text (byte 0xe9); save the file as CSV UTF-8"]


@pytest.mark.parametrize(("text", "expected"), [
    ("email,role,start_date,office\n", "r.csv:1: office: unknown column; known: email, "
     "account_homepage, account_name, name, role, manager_email, team, start_date, "
     "role_start_date, leave_date, status, paths"),
    ("email,role,start_date,role\n", "r.csv:1: role: column named twice"),
    ("name,role,start_date\n", "r.csv:1: email: no identifier column: give email or "
     "account_homepage and account_name"),
    ("email,start_date\n", "r.csv:1: role: required column missing"),
    ("", "r.csv:1: empty file: the header row is missing"),
])
def test_header_problems(text, expected):
    assert expected in problems(text)


@pytest.mark.parametrize(("row", "expected"), [
    (",agent,2026-01-05", "r.csv:2: email: no identifier: give email or account_homepage "
     "and account_name"),
    ("jan,agent,2026-01-05", "r.csv:2: email: 'jan' is not an e-mail address"),
    ("jan@x.nl,pilot,2026-01-05", "r.csv:2: role: unknown role 'pilot'; known: agent, lead"),
    ("jan@x.nl,,2026-01-05", "r.csv:2: role: empty; give a role id of the mappings"),
    ("jan@x.nl,agent,05-01-2026", "r.csv:2: start_date: '05-01-2026' is not an ISO 8601 date "
     "(2026-01-31)"),
    ("jan@x.nl,agent,", "r.csv:2: start_date: empty; give the first working day (2026-01-31)"),
    ("jan@x.nl,agent,2026-01-05,2025-12-01,,,,",
     "r.csv:2: role_start_date: 2025-12-01 is before start_date 2026-01-05"),
    ("jan@x.nl,agent,2026-01-05,,2025-01-01,leaver,,",
     "r.csv:2: leave_date: 2025-01-01 is before start_date 2026-01-05"),
    ("jan@x.nl,agent,2026-01-05,,,leaver,,", "r.csv:2: leave_date: empty; a leaver needs a "
     "leave date"),
    ("jan@x.nl,agent,2026-01-05,,,alumni,,", "r.csv:2: leave_date: empty; a alumni needs a "
     "leave date"),
    ("jan@x.nl,agent,2026-01-05,,,gone,,", "r.csv:2: status: 'gone' is not one of active, "
     "leaver, alumni"),
    ("jan@x.nl,agent,2026-01-05,,,,piet,", "r.csv:2: manager_email: 'piet' is not an e-mail "
     "address"),
    ("jan@x.nl,agent,2026-01-05,,,,,sales;onboarding", "r.csv:2: paths: unknown path 'sales'"),
    ("jan@x.nl,agent,2026-01-05,,,", "r.csv:2: row: 6 fields, the header has 8"),
])
def test_each_row_rule_reports_file_line_column_message(row, expected):
    head = f"{HEAD},role_start_date,leave_date,status,manager_email,paths"
    row += ",,,,," if row.count(",") == 2 else ""  # the optional cells, left empty
    assert problems(f"{head}\n{row}\n") == [expected]


def test_an_account_needs_both_halves_and_an_iri():
    text = ("email,account_homepage,account_name,role,start_date\n"
            ",hr.example,E1,agent,2026-01-05\n,https://hr.example,,agent,2026-01-05\n")
    assert problems(text) == [
        "r.csv:2: account_homepage: 'hr.example' is not an IRI (https://…)",
        "r.csv:3: account_name: an account needs both account_homepage and account_name"]


def test_the_same_identifier_twice_names_both_lines_in_any_case():
    text = f"{HEAD}\njan@x.nl,agent,2026-01-05\npiet@x.nl,agent,2026-01-05\nJAN@x.nl,lead," \
           "2026-02-01\n"
    roster = parse(text)
    assert [str(p) for p in roster.problems] == ["r.csv:4: email: JAN@x.nl is also on line 2"]
    assert [row.line for row in roster.rows] == [2, 3]


def test_a_quoted_line_break_keeps_the_lines_of_later_rows():
    text = f"name,{HEAD}\n\"Jan\nde Vries\",jan@x.nl,agent,2026-01-05\n,bad,agent,2026-01-05\n"
    assert problems(text) == ["r.csv:4: email: 'bad' is not an e-mail address"]


def test_email_keys_are_the_mbox_and_its_sha1_as_xapi_defines_them():
    mbox, sha1 = email_keys(" Jan@X.nl ")
    assert mbox == "mbox:mailto:jan@x.nl"
    assert sha1 == "mbox_sha1sum:" + hashlib.sha1(b"mailto:jan@x.nl").hexdigest()
    # A statement's actor resolves with the same keys, whatever case it spells the address in.
    assert learner_key({"mbox": "mailto:JAN@x.NL"}) == mbox
    assert learner_key({"mbox_sha1sum": sha1.split(":")[1].upper()}) == sha1
    assert learner_key({"account": {"homePage": "https://hr", "name": "E1"}}) == \
        account_key("https://hr", "E1")


def _row(text: str, head: str = HEAD):
    return parse(f"{head}\n{text}\n").rows[0], frozenset(head.split(","))


def test_columns_left_out_keep_their_value_and_empty_cells_clear_it():
    before = Learner(keys=frozenset({"k"}), roles=(RoleSpell("agent", date(2026, 1, 5)),),
                     start_date=date(2026, 1, 5), name="Jan", team="Sales")
    row, columns = _row("jan@x.nl,agent,2026-01-05")
    assert updated(before, row, columns).team == "Sales"
    row, columns = _row("jan@x.nl,agent,2026-01-05,", head=f"{HEAD},team")
    assert updated(before, row, columns).team == ""


def test_a_new_role_from_a_later_date_is_added_to_the_history():
    first = updated(None, *_row("jan@x.nl,agent,2026-01-05"))
    row, columns = _row("jan@x.nl,lead,2026-01-05,2026-06-01", head=f"{HEAD},role_start_date")
    moved = updated(first, row, columns)
    assert moved.roles == (RoleSpell("agent", date(2026, 1, 5)),
                           RoleSpell("lead", date(2026, 6, 1)))
    # The same row again changes nothing; the role without a date keeps its date.
    assert updated(moved, row, columns) == moved
    assert updated(moved, *_row("jan@x.nl,lead,2026-01-05")) == moved

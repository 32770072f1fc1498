"""The roster CSV: who the learners are, read into rows and problems (`file:line: column:
message`), and what a row makes of the learner it describes."""

import csv
import io
from dataclasses import dataclass, replace
from datetime import date

from lrs_bridge.journey.checks import Problem
from lrs_bridge.journey.learners import Learner, with_role
from lrs_bridge.journey.roster_cells import check_row
from lrs_bridge.xapi.agents import account_key, email_keys

IDENTIFIERS = ("email", "account_homepage", "account_name")
REQUIRED = ("role", "start_date")
COLUMNS = (*IDENTIFIERS, "name", "role", "manager_email", "team", "start_date",
           "role_start_date", "leave_date", "status", "paths")


@dataclass(frozen=True)
class RosterRow:
    """One person as a roster line describes them; columns the file lacks are empty."""

    line: int
    role: str
    start_date: date
    email: str = ""
    account_homepage: str = ""
    account_name: str = ""
    name: str = ""
    manager_email: str = ""
    team: str = ""
    role_start_date: date | None = None
    leave_date: date | None = None
    status: str = ""
    paths: tuple[str, ...] = ()

    def keys(self) -> dict[str, str]:
        """The directory keys of the row's identifiers, each with the column it comes from."""
        found = {}
        if self.email:
            found.update(dict.fromkeys(email_keys(self.email), "email"))
        if self.account_homepage and self.account_name:
            found[account_key(self.account_homepage, self.account_name)] = "account_name"
        return found


@dataclass(frozen=True)
class Roster:
    """The rows of a roster file, the columns its header names, and its problems."""

    columns: frozenset[str]
    rows: tuple[RosterRow, ...]
    problems: tuple[Problem, ...]


def parse_roster(data: bytes, file: str, roles: set[str], paths: set[str]) -> Roster:
    """Read a roster CSV (UTF-8, header row); `roles` and `paths` are the mapping's ids."""
    try:
        text = data.decode("utf-8-sig")  # a byte order mark is what spreadsheets write
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        return _failed(Problem(file, line, "", f"not UTF-8 text (byte 0x{data[err.start]:02x});"
                                               " save the file as CSV UTF-8"))
    records = _records(text, file)
    if isinstance(records, Problem):
        return _failed(records)
    if not records:
        return _failed(Problem(file, 1, "", "empty file: the header row is missing"))
    header_line, header = records[0]
    problems = _header_problems(header, file, header_line)
    if problems:
        return Roster(frozenset(header), (), tuple(problems))
    rows = []
    for line, cells in records[1:]:
        if len(cells) != len(header):
            problems.append(Problem(file, line, "row", f"{len(cells)} fields, the header has "
                                                       f"{len(header)}"))
            continue
        row, found = check_row(dict(zip(header, cells, strict=True)), file, line, roles, paths)
        problems.extend(found)
        if row is not None:
            rows.append(RosterRow(line=line, **row))
    problems.extend(_repeated_identifiers(rows, file))
    bad = {p.line for p in problems}
    return Roster(frozenset(header), tuple(r for r in rows if r.line not in bad),
                  tuple(sorted(problems)))


def updated(learner: Learner | None, row: RosterRow, columns: frozenset[str]) -> Learner:
    """The learner once `row` is applied: a column the file lacks leaves its field as it was,
    an empty cell clears it; identifiers are only ever added."""
    since = row.role_start_date or (learner.roles[-1].since if learner is not None
                                    and learner.role == row.role else row.start_date)
    if learner is None:
        learner = Learner(keys=frozenset(), roles=(), start_date=row.start_date)
    given = {name: getattr(row, name) for name in
             ("name", "manager_email", "team", "leave_date", "status", "paths")
             if name in columns}
    if "status" in given and not given["status"]:
        given["status"] = "active"
    return replace(learner, **given, keys=learner.keys | set(row.keys()),
                   email=row.email.lower() or learner.email, start_date=row.start_date,
                   roles=with_role(learner.roles, row.role, since))


def _failed(found: Problem) -> Roster:
    return Roster(frozenset(), (), (found,))


def _records(text: str, file: str) -> list[tuple[int, list[str]]] | Problem:
    """The non-empty records with the line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, line = [], 1
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if any(cells):
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as err:
        return Problem(file, reader.line_num, "", f"not readable as CSV: {err}")
    return records


def _header_problems(header: list[str], file: str, line: int) -> list[Problem]:
    found = []
    for index, name in enumerate(header):
        if name not in COLUMNS:
            found.append(Problem(file, line, name or f"column {index + 1}",
                                 "unknown column; known: " + ", ".join(COLUMNS)))
        elif header.index(name) != index:
            found.append(Problem(file, line, name, "column named twice"))
    if not set(IDENTIFIERS) & set(header):
        found.append(Problem(file, line, "email", "no identifier column: give email or "
                                                  "account_homepage and account_name"))
    if ("account_homepage" in header) != ("account_name" in header):
        found.append(Problem(file, line, "account_name", "account_homepage and account_name "
                                                         "come together"))
    found.extend(Problem(file, line, name, "required column missing")
                 for name in REQUIRED if name not in header)
    return found


def _repeated_identifiers(rows: list[RosterRow], file: str) -> list[Problem]:
    """An identifier on two lines: the later line names the earlier."""
    first: dict[str, int] = {}
    found = []
    for row in rows:
        for key, column in row.keys().items():
            if key in first and first[key] != row.line:
                found.append(Problem(file, row.line, column, f"{_shown(row, column)} is also "
                                                             f"on line {first[key]}"))
                break
            first.setdefault(key, row.line)
    return found


def _shown(row: RosterRow, column: str) -> str:
    if column == "email":
        return row.email
    return f"{row.account_homepage} {row.account_name}"

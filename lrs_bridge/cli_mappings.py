"""`lrs-bridge mappings …`: the content author's tools."""

import json
import re
import shutil
import sys
from pathlib import Path

import click

from lrs_bridge.cli_support import CommandGroup, mapping_problems, plural
from lrs_bridge.journey.evidence import TagLimits
from lrs_bridge.journey.explain import explain, render
from lrs_bridge.journey.matching import ModuleIndex
from lrs_bridge.journey.untagged import find_untagged, preferred_name
from lrs_bridge.mapping_files.lms_checks import lms_problems
from lrs_bridge.mapping_files.loader import load_mapping
from lrs_bridge.settings import Settings
from lrs_bridge.xapi.errors import XAPIError
from lrs_bridge.xapi.formats import is_uuid
from lrs_bridge.xapi.timestamps import format_millis, parse_timestamp, to_millis


@click.group(cls=CommandGroup)
def mappings() -> None:
    """Check and inspect the mapping files (LRS_BRIDGE_MAPPINGS)."""


@mappings.command("check")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def check(settings: Settings, folder: Path | None) -> None:
    """Validate the mapping files and print every problem with its line.

    Each problem is printed as file:line: field: message; the exit status is 1 if there is any.
    """
    folder = folder or Path(settings.mappings)
    if not folder.is_dir():
        state = "is not a folder" if folder.exists() else "does not exist"
        raise click.ClickException(f"the mappings folder {folder} {state} (give the folder, "
                                   f"or set LRS_BRIDGE_MAPPINGS or LRS_BRIDGE_HOME)")
    loaded = load_mapping(folder)
    problems = list(loaded.problems)
    if not problems:
        problems = lms_problems(loaded.mapping)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{folder}: {plural(len(problems), 'problem')}")
        if not loaded.cross_checked:
            click.echo("(references between files are checked once each file is valid)")
        raise click.exceptions.Exit(1)
    m = loaded.mapping
    counts = ", ".join(plural(len(items), noun) for items, noun in (
        (m.phases, "phase"), (m.skills, "skill"), (m.roles, "role"), (m.modules, "module"),
        (m.paths, "path"), (m.verbs, "verb")))
    click.echo(f"{folder}: {counts}: no problems")


@mappings.command("untagged")
@click.option("--tenant", default="default", show_default=True, help="the store to look in")
@click.option("--since", callback=lambda _ctx, _param, value: _since_ms(value),
              help="only statements stored since then: an ISO 8601 date (midnight UTC) or "
                   "timestamp")
@click.option("--limit", type=click.IntRange(min=1), help="only the N most used activities")
@click.option("--json", "as_json", is_flag=True, help="print a JSON array")
@click.pass_obj
def untagged(settings: Settings, tenant: str, since: int, limit: int | None,
             as_json: bool) -> None:
    """Activity IRIs in stored statements that no module matches: the author's to-do list."""
    from lrs_bridge.cli import services_for
    from lrs_bridge.store.credentials import find_tenant

    mapping = working_mapping(settings)
    services = services_for(settings)
    tenant_id = _tenant(services, tenant, find_tenant)
    store = services.statements
    total = store.count(tenant_id, since_ms=since)
    with click.progressbar(store.scan(tenant_id, since_ms=since), length=total,
                           label="reading statements", file=sys.stderr) as stored:
        found = find_untagged(mapping, stored)[:limit]
    names = services.activities.definitions(tenant_id, {e.activity for e in found})
    rows = [{"activity": e.activity,
             "name": preferred_name((names.get(e.activity) or {}).get("name")) or e.name,
             "statements": e.statements, "learners": len(e.learners),
             "last_seen": format_millis(e.last_seen)} for e in found]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        click.echo("every activity in the stored statements"
                   + (f" since {format_millis(since)}" if since else "") + " matches a module")
    else:
        for line in _table_lines(rows, shutil.get_terminal_size().columns):
            click.echo(line)


_MIN_NAME = 12  # a name never gets less room than this; the line wraps instead


def _table_lines(rows: list[dict], width: int) -> list[str]:
    """The untagged rows as aligned columns; names are cut to `width`, activity IRIs never."""
    heads = ("statements", "learners", "last seen")
    cells = [(str(r["statements"]), str(r["learners"]), r["last_seen"]) for r in rows]
    widths = [max(len(head), *(len(c[i]) for c in cells)) for i, head in enumerate(heads)]
    lead = sum(widths) + 2 * len(widths)
    # Line the names up after the IRIs, unless one long IRI would leave no room for them.
    longest = max(len(r["activity"]) for r in rows)
    iri_width = max(min(longest, width - lead - 2 - _MIN_NAME), len("activity"))

    def line(values, activity: str, name: str) -> str:
        start = "  ".join(v.rjust(w) if i < 2 else v.ljust(w)
                          for i, (v, w) in enumerate(zip(values, widths, strict=True)))
        start += "  " + activity.ljust(iri_width)
        return (start + "  " + _cut(name, max(width - len(start) - 2, _MIN_NAME))).rstrip()

    return [line(heads, "activity", "name")] + [
        line(c, r["activity"], r["name"] or "") for c, r in zip(cells, rows, strict=True)]


def _cut(name: str, room: int) -> str:
    # Names come from content: no line breaks or terminal control characters get through.
    name = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    return name if len(name) <= room else name[:room - 1] + "…"


def _since_ms(value: str | None) -> int:
    if value is None:
        return 0
    # A date alone means its first moment in UTC; a timestamp without an offset is UTC too.
    text = value + "T00:00:00Z" if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else value
    try:
        return to_millis(parse_timestamp(text))
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither an ISO 8601 date (2026-01-31) nor a "
                                 "timestamp (2026-01-31T09:00:00+01:00)") from None


@mappings.command("explain")
@click.argument("statement")
@click.option("--tenant", default="default", show_default=True,
              help="the store a statement id is looked up in")
@click.option("--trusted", is_flag=True,
              help="read a JSON file as sent by a credential trusted with skill tags")
@click.pass_obj
def explain_command(settings: Settings, statement: str, tenant: str, trusted: bool) -> None:
    """What STATEMENT (a stored statement id, or a JSON file of a statement or an array of
    them) maps to, and why."""
    mapping = working_mapping(settings)
    if is_uuid(statement) and not Path(statement).exists():
        if trusted:
            raise click.UsageError("--trusted is for JSON files: a stored statement's skill "
                                   "tags are trusted when its credential is")
        stored, trust = _stored(settings, statement, tenant)
        found = [stored]
    else:
        found = _file_statements(statement)
        trust = (trusted, "from a JSON file, read as trusted (--trusted)" if trusted else
                 "from a JSON file, not trusted unless --trusted is given")
    index, limits = ModuleIndex(mapping.modules), TagLimits.of(mapping)
    for number, data in enumerate(found, start=1):
        if len(found) > 1:
            click.echo(("\n" if number > 1 else "")
                       + f"statement {number} of {len(found)}: {data.get('id', '(no id)')}")
        explanation = explain(mapping, data, trust[0], index, limits)
        for line in render(explanation):
            click.echo(line)
        if any(e.from_tag and e.level is not None for e in explanation.skills):
            click.echo(f"trust:    {trust[1]}")


def working_mapping(settings: Settings):
    """The mapping of LRS_BRIDGE_MAPPINGS, or a command error listing its problems."""
    loaded = load_mapping(Path(settings.mappings))
    if loaded.problems:
        raise mapping_problems(settings.mappings, loaded.problems)
    return loaded.mapping


def _stored(settings: Settings, statement_id: str, tenant: str) -> tuple[dict, tuple]:
    """The stored statement, and whether its skill tags are trusted and why."""
    from lrs_bridge.cli import services_for
    from lrs_bridge.store.credentials import find_tenant
    from lrs_bridge.xapi.agents import credential_key

    services = services_for(settings)
    tenant_id = _tenant(services, tenant, find_tenant)
    found = services.statements.get(tenant_id, statement_id)
    if found is None:
        raise click.ClickException(f"no statement with id {statement_id} in tenant {tenant}")
    data = json.loads(found.payload)
    key = credential_key(data, settings.authority_home)
    if key is None:
        return data, (False, "its authority is not a credential of this LRS")
    credential = services.credentials.skill_tag_trust(tenant_id, key)
    if credential is None:
        return data, (False, f"its authority is no credential of tenant {tenant}")
    name, trusted = credential
    return data, (trusted, f"stored with credential {name!r}, which is "
                    + ("trusted with skill tags" if trusted else
                       "not trusted with skill tags (`credentials add --trust-skill-tags`)"))


def _file_statements(argument: str) -> list[dict]:
    """The statement, or the array of statements, in a JSON file; a clear error otherwise."""
    from lrs_bridge.schemas import validate_statement
    from lrs_bridge.xapi.versions import XAPIVersion

    try:
        data = json.loads(Path(argument).read_text(encoding="utf-8"))
    except OSError as err:
        raise click.ClickException(f"{argument}: neither a stored statement id nor a readable "
                                   f"file ({err.strerror})") from None
    except ValueError as err:
        raise click.ClickException(f"{argument}: not JSON ({err})") from None
    except RecursionError:
        raise click.ClickException(f"{argument}: nested too deeply") from None
    if not isinstance(data, dict | list):
        raise click.ClickException(f"{argument}: holds {_json_kind(data)}, not a statement "
                                   "(a JSON object) or an array of statements")
    found = data if isinstance(data, list) else [data]
    if not found:
        raise click.ClickException(f"{argument}: the array holds no statements")
    for number, item in enumerate(found, start=1):
        which = f"statement {number} of {len(found)} " if isinstance(data, list) else ""
        if not isinstance(item, dict):
            raise click.ClickException(f"{argument}: {which}is {_json_kind(item)}, "
                                       "not a statement (a JSON object)")
        try:
            validate_statement(item, XAPIVersion.V2)  # 2.0 allows all that 1.0.x does
        except XAPIError as err:
            raise click.ClickException(f"{argument}: {which}is not a valid statement: "
                                       f"{err.message}") from None
    return found


def _json_kind(value) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return {str: "a string", list: "an array", dict: "an object"}.get(type(value), "a number")


def _tenant(services, name: str, find_tenant) -> int:
    tenant_id = find_tenant(services.engine, name)
    if tenant_id is None:
        raise click.ClickException(f"no tenant called {name!r}")
    return tenant_id

"""`lrs-bridge mappings …`: the content author's tools."""

import json
import sys
from pathlib import Path

import click

from lrs_bridge.cli_support import CommandGroup, plural
from lrs_bridge.journey.explain import explain, render
from lrs_bridge.journey.untagged import find_untagged, preferred_name
from lrs_bridge.mapping_files.loader import load_mapping
from lrs_bridge.settings import Settings
from lrs_bridge.xapi.errors import XAPIError
from lrs_bridge.xapi.formats import is_uuid
from lrs_bridge.xapi.timestamps import format_millis


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
    for problem in loaded.problems:
        click.echo(str(problem))
    if loaded.problems:
        click.echo(f"{folder}: {plural(len(loaded.problems), 'problem')}")
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
@click.option("--json", "as_json", is_flag=True, help="print a JSON array")
@click.pass_obj
def untagged(settings: Settings, tenant: str, as_json: bool) -> None:
    """Activity IRIs in stored statements that no module matches: the author's to-do list."""
    from lrs_bridge.cli import services_for
    from lrs_bridge.store.credentials import find_tenant

    mapping = _working_mapping(settings)
    services = services_for(settings)
    tenant_id = _tenant(services, tenant, find_tenant)
    store = services.statements
    total = store.count(tenant_id)
    with click.progressbar(store.scan(tenant_id), length=total, label="reading statements",
                           file=sys.stderr) as stored:
        found = find_untagged(mapping, stored)
    names = services.activities.definitions(tenant_id, {e.activity for e in found})
    rows = [{"activity": e.activity,
             "name": preferred_name((names.get(e.activity) or {}).get("name")) or e.name,
             "statements": e.statements, "learners": len(e.learners),
             "last_seen": format_millis(e.last_seen)} for e in found]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("every activity in the stored statements matches a module")
        return
    click.echo("statements\tlearners\tlast seen\tactivity\tname")
    for row in rows:
        click.echo(f"{row['statements']}\t{row['learners']}\t{row['last_seen']}\t"
                   f"{row['activity']}\t{row['name'] or ''}")


@mappings.command("explain")
@click.argument("statement")
@click.option("--tenant", default="default", show_default=True,
              help="the store a statement id is looked up in")
@click.pass_obj
def explain_command(settings: Settings, statement: str, tenant: str) -> None:
    """What STATEMENT (a stored statement id, or a JSON file) maps to, and why."""
    mapping = _working_mapping(settings)
    data = _statement(settings, statement, tenant)
    for line in render(explain(mapping, data)):
        click.echo(line)


def _working_mapping(settings: Settings):
    loaded = load_mapping(Path(settings.mappings))
    if loaded.problems:
        shown = "\n".join(str(p) for p in loaded.problems[:20])
        raise click.ClickException(
            f"the mappings in {settings.mappings} have problems; fix them first "
            f"(`lrs-bridge mappings check`):\n{shown}")
    return loaded.mapping


def _statement(settings: Settings, argument: str, tenant: str) -> dict:
    from lrs_bridge.cli import services_for
    from lrs_bridge.schemas import validate_statement
    from lrs_bridge.store.credentials import find_tenant

    if is_uuid(argument) and not Path(argument).exists():
        services = services_for(settings)
        found = services.statements.get(_tenant(services, tenant, find_tenant), argument)
        if found is None:
            raise click.ClickException(f"no statement with id {argument} in tenant {tenant}")
        return json.loads(found.payload)
    path = Path(argument)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise click.ClickException(f"{argument}: neither a stored statement id nor a readable "
                                   f"file ({err.strerror})") from None
    except ValueError as err:
        raise click.ClickException(f"{argument}: not JSON ({err})") from None
    except RecursionError:
        raise click.ClickException(f"{argument}: nested too deeply") from None
    try:
        return validate_statement(data)
    except XAPIError as err:
        raise click.ClickException(f"{argument}: not a valid statement: {err.message}") from None


def _tenant(services, name: str, find_tenant) -> int:
    tenant_id = find_tenant(services.engine, name)
    if tenant_id is None:
        raise click.ClickException(f"no tenant called {name!r}")
    return tenant_id

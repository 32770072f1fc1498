"""`lrs-bridge roster import` and `lrs-bridge learner show`: the learner directory."""

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import click

from lrs_bridge.cli_mappings import working_mapping
from lrs_bridge.cli_progress import Moment, tenant_id_of
from lrs_bridge.cli_support import CommandGroup, plural, services_for
from lrs_bridge.journey.roster import parse_roster
from lrs_bridge.learner_report import learner_report
from lrs_bridge.mapping_files.holder import Snapshot
from lrs_bridge.report_text import labelled, progress_lines
from lrs_bridge.settings import Settings
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.xapi.agents import email_keys


@click.group(cls=CommandGroup)
def roster() -> None:
    """Tell lrs-bridge who the learners are."""


@roster.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tenant", default="default", show_default=True, help="the store to import into")
@click.option("--dry-run", is_flag=True, help="say what would change; write nothing")
@click.option("--skip-invalid", is_flag=True, help="import the valid rows of a file with errors")
@click.pass_obj
def roster_import(settings: Settings, file: Path, tenant: str, dry_run: bool,
                  skip_invalid: bool) -> None:
    """Add or update the learners of a roster CSV (see the README's Roster).

    Every bad row is printed as FILE:LINE: column: message; a file with errors imports
    nothing unless --skip-invalid is given.
    """
    try:
        data = file.read_bytes()
    except OSError as err:
        raise click.ClickException(f"{file}: cannot read it ({err.strerror})") from None
    _import(settings, data, file, tenant, dry_run, skip_invalid)


@roster.command("sync")
@click.argument("name")
@click.option("--dry-run", is_flag=True, help="say what would change; write nothing")
@click.option("--skip-invalid", is_flag=True, help="import the valid users of a roster with "
                                                   "errors")
@click.pass_obj
def roster_sync(settings: Settings, name: str, dry_run: bool, skip_invalid: bool) -> None:
    """Read the users of connector NAME's LMS into the learner directory, by the rules of
    `roster import` (the row of a problem is the LMS user's place in the list, plus one)."""
    from lrs_bridge.cli_connectors import ask_connector

    row, people = ask_connector(settings, name, lambda lms: lms.fetch_roster())
    # An LMS holds more than employees (service users, teachers, guests): a user with neither
    # a role nor a start date in it is not in the directory's business.
    learners = [p for p in people if p.role or p.start_date]
    if len(learners) < len(people):
        click.echo(f"connector {name}: {plural(len(people) - len(learners), 'LMS user')} "
                   f"without a role or start date left out")
    _import(settings, roster_csv(learners), Path(f"connector {name}"), row.tenant, dry_run,
            skip_invalid)


def roster_csv(people) -> bytes:
    """Roster rows as a CSV with the columns any of them fills: a column no LMS user has
    a value in is left out, so it leaves the directory's values as they are."""
    columns = [c for c in ROSTER_COLUMNS if any(getattr(p, c) for p in people)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for person in people:
        writer.writerow([getattr(person, c) or "" for c in columns])
    return out.getvalue().encode()


ROSTER_COLUMNS = ("email", "account_homepage", "account_name", "name", "role",
                  "manager_email", "team", "start_date", "role_start_date", "leave_date",
                  "status")


def _import(settings: Settings, data: bytes, file: Path, tenant: str, dry_run: bool,
            skip_invalid: bool) -> None:
    mapping = working_mapping(settings)
    parsed = parse_roster(data, str(file), {r.id for r in mapping.roles},
                          {p.id for p in mapping.paths})
    _refuse_or_report(parsed.problems, file, skip_invalid, bool(parsed.rows))
    result = services_for(settings).learners.import_roster(
        tenant, parsed, str(file), dry_run=dry_run, skip_invalid=skip_invalid)
    _refuse_or_report(result.problems, file, skip_invalid, True)
    skipped = len(parsed.problems) + len(result.problems)
    summary = (f"{file}: {result.added} added, {result.changed} changed, "
               f"{result.unchanged} unchanged")
    if skipped:
        summary += f", {plural(skipped, 'problem')} skipped"
    click.echo(summary + (" (dry run: nothing written)" if dry_run else ""))


def _refuse_or_report(problems, file: Path, skip_invalid: bool, rows_left: bool) -> None:
    """Print the problems; stop unless the user asked to skip them and rows are left."""
    for found in problems:
        click.echo(str(found))
    if problems and not (skip_invalid and rows_left):
        hint = "" if skip_invalid else " (--skip-invalid imports the valid rows)"
        raise click.ClickException(f"{file}: {plural(len(problems), 'problem')}; nothing "
                                   f"imported{hint}")


@click.group(cls=CommandGroup)
def learner() -> None:
    """Look up learners in the directory."""


@learner.command("show")
@click.argument("email")
@click.option("--tenant", default="default", show_default=True, help="the store to look in")
@click.option("--now", type=Moment(), help="show progress as at this time (default: now)")
@click.option("--json", "as_json", is_flag=True, help="print a JSON object")
@click.pass_obj
def learner_show(settings: Settings, email: str, tenant: str, now: datetime | None,
                 as_json: bool) -> None:
    """The learner with e-mail address EMAIL: their directory entry and their progress (paths
    and steps, skills, open alerts)."""
    services = services_for(settings)
    snapshot = mapping_in_use(settings, services)
    found = services.learners.find(tenant, email_keys(email)[0])
    if found is None:
        raise click.ClickException(f"no learner with e-mail address {email} in tenant {tenant}")
    label = "paths" if now else "paths today"
    now = now or services.clock.now()
    with read_transaction(services.engine) as conn:
        report = learner_report(conn, tenant_id_of(services, tenant), found, snapshot.mapping,
                                snapshot.version, now)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for line in _directory_lines(report, label):
        click.echo(line)
    click.echo(f"\nprogress as at {now.isoformat(timespec='minutes')}"
               + ("" if report["state"]["current"] else " (folded with an older mapping: "
                  "`lrs-bridge reprocess` brings it up to date)"))
    for line in progress_lines(report):
        click.echo(line)


def mapping_in_use(settings: Settings, services) -> Snapshot:
    """The mapping the server would read progress with, and its version."""
    services.mappings.quiet = True  # a broken folder is this command's error, not a log line
    snapshot = services.mappings.current()
    if snapshot.mapping is None:
        working_mapping(settings)  # raises, saying what is wrong with the folder
    return snapshot


def _directory_lines(entry: dict, paths_label: str) -> list[str]:
    """The directory entry and the paths followed as labelled lines; fields without a value
    are left out."""
    history = [f"{s['role']} from {s['since']}" for s in entry["roles"]]
    rows = [("name", entry["name"]), ("e-mail", entry["email"]),
            ("identifiers", entry["identifiers"]),
            ("role", f"{entry['role']} since {entry['roles'][-1]['since']}"),
            ("role history", history if len(history) > 1 else None),
            ("manager", entry["manager_email"]), ("team", entry["team"]),
            ("start date", entry["start_date"]), ("leave date", entry["leave_date"]),
            ("status", entry["status"]), ("extra paths", entry["extra_paths"]),
            (paths_label, [path["id"] for path in entry["paths"]])]
    return [line for label, value in rows for line in labelled(label, value)]

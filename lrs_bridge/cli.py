"""The `lrs-bridge` command."""

import json
import logging
import os

import click

from lrs_bridge.cli_connectors import connector
from lrs_bridge.cli_demo import demo
from lrs_bridge.cli_export import export
from lrs_bridge.cli_forget import forget
from lrs_bridge.cli_mappings import mappings, startup_mappings
from lrs_bridge.cli_outbox import outbox
from lrs_bridge.cli_progress import alerts, reprocess, worker
from lrs_bridge.cli_roster import learner, roster
from lrs_bridge.cli_support import (
    CommandGroup,
    describe,
    plural,
    services_for,
    upgrade_schema,
)
from lrs_bridge.cli_users import users
from lrs_bridge.settings import Settings, variable_names
from lrs_bridge.store.credentials import CredentialError
from lrs_bridge.web.session_key import SessionKeyError, key_source, session_key
from lrs_bridge.xapi.scopes import SCOPES
from lrs_bridge.xapi.timestamps import format_millis


@click.group(cls=CommandGroup)
@click.version_option(package_name="lrs-bridge", prog_name="lrs-bridge")
@click.pass_context
def main(ctx: click.Context) -> None:
    """lrs-bridge: an xAPI LRS that bridges learning content and the LMS."""
    try:
        ctx.obj = Settings.from_env()
    except ValueError as err:
        raise click.UsageError(str(err)) from None


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(settings: Settings) -> None:
    """Create or migrate the database schema to this version's."""
    click.echo(upgrade_schema(settings))


@main.command(epilog="Settings are read from the environment: " + ", ".join(variable_names())
              + " (see the README's Configuration).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=lambda: min(4, 2 * (os.cpu_count() or 1)), type=int,
              help="gunicorn worker processes  [default: 2 per core, at most 4]")
@click.option("--threads", default=4, show_default=True, type=int,
              help="threads per worker")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="log one line per request to standard output")
@click.option("--progress-worker/--no-progress-worker", default=None,
              help="fold statements into progress inside this command  [default: on SQLite "
                   "yes, on PostgreSQL no: run `lrs-bridge worker` beside it]")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, threads: int,
          access_log: bool, progress_worker: bool | None) -> None:
    """Run the LRS on gunicorn.

    An embedded SQLite database is created or migrated first.
    """
    from lrs_bridge.server import serve as run

    if settings.log_level.upper() not in logging.getLevelNamesMapping():
        raise click.UsageError(f"LRS_BRIDGE_LOG_LEVEL: {settings.log_level!r} is not a log "
                               f"level (DEBUG, INFO, WARNING, ERROR)")
    services = services_for(settings, announce=False)  # the banner says which database
    snapshot = startup_mappings(settings, services)
    click.echo(f"lrs-bridge on http://{host}:{port}/xapi/ using "
               f"{describe(settings.database_url)}")
    click.echo(_mappings_state(snapshot, settings.mappings))
    click.echo(_dashboard_state(settings, services, host, port))
    if progress_worker is None:
        progress_worker = services.engine.dialect.name == "sqlite"
    click.echo("progress worker: " + (
        "running in this command (folding and delivering, a process each)" if progress_worker
        else "not here (run `lrs-bridge worker`)"))
    services.engine.dispose()  # the workers open their own connections
    run(settings, host, port, workers, threads, access_log, services.mappings,
        progress_worker=progress_worker)


@main.group()
def credentials() -> None:
    """Manage the credentials that content uses to reach /xapi."""


@credentials.command("add")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, required=True, type=click.Choice(SCOPES),
              help="an xAPI scope; repeat for several")
@click.option("--key", help="the key (username); default: generated")
@click.option("--secret", help="the secret (password); default: generated")
@click.option("--tenant", default="default", show_default=True, help="the store it reaches")
@click.option("--trust-skill-tags", is_flag=True,
              help="count the skill levels its statements tag themselves with")
@click.option("--json", "as_json", is_flag=True, help="print {\"key\": ..., \"secret\": ...}")
@click.pass_obj
def credentials_add(settings, name, scopes, key, secret, tenant, trust_skill_tags,
                    as_json) -> None:
    """Create credentials NAME and print their key and secret, once."""
    store = services_for(settings).credentials
    try:
        key, secret = store.add(name, list(scopes), key=key, secret=secret, tenant=tenant,
                                trust_skill_tags=trust_skill_tags)
    except (CredentialError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(json.dumps({"key": key, "secret": secret}))
    else:
        click.echo(f"key:    {key}\nsecret: {secret}\n(the secret is not stored; keep it now)")


@credentials.command("list")
@click.pass_obj
def credentials_list(settings) -> None:
    """List credentials (never their secrets)."""
    rows = services_for(settings).credentials.list()
    if not rows:
        click.echo("no credentials yet; create one with `lrs-bridge credentials add`")
    for row in rows:
        state = f"revoked {format_millis(row['revoked'])}" if row["revoked"] else "active"
        click.echo(f"{row['name']}\tkey={row['key']}\ttenant={row['tenant']}\t"
                   f"scopes={row['scopes']}\t"
                   f"trust-skill-tags={'yes' if row['trust_skill_tags'] else 'no'}\t{state}")


@credentials.command("revoke")
@click.argument("name")
@click.pass_obj
def credentials_revoke(settings, name) -> None:
    """Revoke credentials NAME; requests with them fail from now on."""
    try:
        services_for(settings).credentials.revoke(name)
    except CredentialError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"revoked {name}")


@credentials.command("trust")
@click.argument("name")
@click.option("--skill-tags/--no-skill-tags", default=True, show_default=True,
              help="count, or stop counting, the skill levels its statements tag themselves with")
@click.pass_obj
def credentials_trust(settings, name, skill_tags) -> None:
    """Trust credentials NAME with skill-level self-tags, or stop (`--no-skill-tags`)."""
    try:
        services_for(settings).credentials.set_skill_tag_trust(name, skill_tags)
    except CredentialError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"{name}: trust-skill-tags={'yes' if skill_tags else 'no'} (its statements, "
               f"earlier ones included, are read so from now on)")


def _dashboard_state(settings: Settings, services, host: str, port: int) -> str:
    # Made here, before gunicorn forks, so that every worker reads the same stored key.
    try:
        session_key(settings)
    except SessionKeyError as err:
        raise click.ClickException(str(err)) from None
    users = len(services.dashboard_users.list())
    who = plural(users, "user") if users else "no users yet (`lrs-bridge users add`)"
    return (f"dashboard on http://{host}:{port}/: {who}; sessions signed with the key from "
            f"{key_source(settings)}")


def _mappings_state(snapshot, folder: str) -> str:
    if snapshot.mapping is not None:
        m = snapshot.mapping
        return (f"mappings from {folder} (version {snapshot.version}): "
                f"{plural(len(m.modules), 'module')}, {plural(len(m.paths), 'path')} "
                f"(changes are picked up while running)")
    return f"no mappings folder at {folder}: statements are stored but not mapped"


main.add_command(mappings)
main.add_command(roster)
main.add_command(learner)
main.add_command(worker)
main.add_command(reprocess)
main.add_command(alerts)
main.add_command(connector)
main.add_command(outbox)
main.add_command(users)
main.add_command(forget)
main.add_command(export)
main.add_command(demo)

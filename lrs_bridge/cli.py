"""The `lrs-bridge` command."""

import json
import os
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.cli_mappings import mappings
from lrs_bridge.settings import Settings
from lrs_bridge.store.credentials import CredentialError
from lrs_bridge.store.migrate import current_revision, head_revision, upgrade
from lrs_bridge.xapi.scopes import SCOPES
from lrs_bridge.xapi.timestamps import format_millis


@click.group()
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
    """Create or migrate the database to the latest schema."""
    upgrade(bootstrap(settings).engine)
    click.echo(f"database is up to date: {_safe_url(settings)}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=lambda: min(4, 2 * (os.cpu_count() or 1)), type=int,
              help="gunicorn worker processes  [default: 2 per core, at most 4]")
@click.option("--threads", default=4, show_default=True, type=int,
              help="threads per worker")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="log one line per request to standard output")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, threads: int,
          access_log: bool) -> None:
    """Run the LRS on gunicorn (an embedded SQLite database is migrated first)."""
    from lrs_bridge.server import serve as run

    services = services_for(settings)
    click.echo(f"lrs-bridge on http://{host}:{port}/xapi/ using {_safe_url(settings)}")
    click.echo(_mappings_state(services.mappings.current(), settings.mappings))
    run(settings, host, port, workers, threads, access_log)


@main.group()
def credentials() -> None:
    """Manage the Basic-auth credentials that content uses to reach /xapi."""


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
    """Create credentials NAME and print their key and secret (shown only once)."""
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


def services_for(settings: Settings):
    """Services for a command; an embedded SQLite database is migrated on first use."""
    services = bootstrap(settings)
    if settings.database_url.startswith("sqlite"):
        upgrade(services.engine)
        return services
    try:
        current = current_revision(services.engine)
    except SQLAlchemyError as err:
        raise click.ClickException(f"cannot reach the database {_safe_url(settings)}: "
                                   f"{err.__class__.__name__}") from None
    needed = head_revision(services.engine)
    if current != needed:
        raise click.ClickException(
            f"the database schema is at {current or 'nothing'}, this version needs "
            f"{needed}: run `lrs-bridge db upgrade` first")
    return services


def _mappings_state(snapshot, folder: str) -> str:
    if snapshot.mapping is not None:
        m = snapshot.mapping
        return (f"mappings from {folder}: {len(m.modules)} modules, {len(m.paths)} paths "
                f"(changes are picked up while running)")
    if not Path(folder).is_dir():
        return f"no mappings folder at {folder}: statements are stored but not mapped"
    count = len(snapshot.refused_problems)
    return (f"no mappings in use: {folder} has {count} problem{'s' * (count != 1)}; "
            f"see `lrs-bridge mappings check` (changes are picked up while running)")


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


main.add_command(mappings)

"""`lrs-bridge connector …`: the LMS connectors an administrator adds, tests and removes."""

import os

import click
import requests

from lrs_bridge.cli_support import CommandGroup, plural, services_for
from lrs_bridge.delivery.connector_factory import build
from lrs_bridge.settings import Settings
from lrs_bridge.store.connectors import ConnectorExists
from lrs_bridge.token_box import TokenError, new_key, seal
from lrs_bridge_connectors.base import ConnectorError
from lrs_bridge_connectors.registry import UnknownKind, connector_class


@click.group(cls=CommandGroup)
def connector() -> None:
    """Connect an LMS: lrs-bridge pushes progress and alerts into it."""


def _options(kind_options: dict, given: tuple[str, ...]) -> dict:
    found = {}
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r} is not k=v", param_hint="--option")
        if key not in kind_options:
            known = ", ".join(sorted(kind_options)) or "none"
            raise click.BadParameter(f"{key!r} is not an option of this connector "
                                     f"(its options: {known})", param_hint="--option")
        found[key] = value
    return found


@connector.command("add")
@click.argument("kind")
@click.argument("name")
@click.option("--url", required=True, help="the LMS's base URL (webhook: where to POST)")
@click.option("--token-env", metavar="VAR", required=True,
              help="the environment variable that holds the LMS token")
@click.option("--store-token", is_flag=True,
              help="read the token from VAR now and store it encrypted (LRS_BRIDGE_SECRET_KEY) "
                   "instead of reading VAR whenever it is used")
@click.option("--option", "options", multiple=True, metavar="K=V",
              help="a setting of this kind of connector; repeat for several")
@click.option("--tenant", default="default", show_default=True,
              help="the store whose events it delivers")
@click.pass_obj
def connector_add(settings: Settings, kind: str, name: str, url: str, token_env: str,
                  store_token: bool, options: tuple[str, ...], tenant: str) -> None:
    """Add connector NAME of KIND (moodle, canvas, webhook, or one a plug-in installs)."""
    try:
        kind_class = connector_class(kind)
    except UnknownKind as err:
        raise click.ClickException(str(err)) from None
    chosen = _options(kind_class.options, options)
    sealed = None
    if store_token:
        token = os.environ.get(token_env, "")
        if not token:
            raise click.ClickException(f"the environment variable {token_env} is not set")
        try:
            sealed = seal(token, settings.secret_key)
        except TokenError as err:
            raise click.ClickException(str(err)) from None
    elif not os.environ.get(token_env):
        click.echo(f"note: {token_env} is not set here; every lrs-bridge process that delivers "
                   f"(serve, worker) needs it", err=True)
    try:
        services_for(settings).connectors.add(
            tenant, name, kind, url, token_env=None if store_token else token_env,
            token_encrypted=sealed, options=chosen)
    except ConnectorExists as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"connector {name} ({kind}) added for tenant {tenant}: events from now on go "
               f"to {url}; check it with `lrs-bridge connector test {name}`")


@connector.command("list")
@click.pass_obj
def connector_list(settings: Settings) -> None:
    """The connectors, their LMS, where their token comes from, and their options."""
    rows = services_for(settings).connectors.all()
    for row in rows:
        token = "token stored encrypted" if row.token_encrypted else f"token in ${row.token_env}"
        options = " ".join(f"{k}={v}" for k, v in sorted(row.options.items()))
        click.echo("\t".join(part for part in (row.name, row.kind, row.url, f"tenant={row.tenant}",
                                                token, options) if part))
    if not rows:
        click.echo("no connectors (add one with `lrs-bridge connector add`)")


@connector.command("test")
@click.argument("name")
@click.pass_obj
def connector_test(settings: Settings, name: str) -> None:
    """Call the LMS and say what works and what is missing; exit status 1 if anything is."""
    _, checks = ask_connector(settings, name, lambda lms: lms.health())
    for check in checks:
        click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.message}")
    failed = [check for check in checks if not check.ok]
    if failed:
        raise click.ClickException(f"{name}: {plural(len(failed), 'check')} failed")
    click.echo(f"{name}: " + ("the check passed" if len(checks) == 1 else
                              f"all {len(checks)} checks passed"))


def ask_connector(settings: Settings, name: str, ask):
    """(the connector's row, what `ask(connector)` answered), or a command error saying why
    the connector could not be built or asked."""
    services = services_for(settings)
    row = services.connectors.get(name)
    if row is None:
        raise click.ClickException(f"no connector called {name!r}")
    try:
        with requests.Session() as session:
            return row, ask(build(row, settings.secret_key, session,
                                  services.mappings.current().mapping))
    except (UnknownKind, TokenError, NotImplementedError) as err:
        raise click.ClickException(str(err)) from None
    except ConnectorError as err:
        raise click.ClickException(f"{name}: {err.result.message}") from None


@connector.command("remove")
@click.argument("name")
@click.pass_obj
def connector_remove(settings: Settings, name: str) -> None:
    """Remove connector NAME; its undelivered events are dropped (the count is printed)."""
    pending = services_for(settings).connectors.remove(name)
    if pending is None:
        raise click.ClickException(f"no connector called {name!r}")
    click.echo(f"connector {name} removed ({plural(pending, 'undelivered event')} dropped)")


@connector.command("key")
def connector_key() -> None:
    """Print a new key for LRS_BRIDGE_SECRET_KEY (to store tokens with --store-token)."""
    click.echo(new_key())

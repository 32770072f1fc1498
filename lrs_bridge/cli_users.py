"""`lrs-bridge users add|list|remove|password`: the people who sign in to the dashboard."""

import os

import click

from lrs_bridge.cli_support import services_for
from lrs_bridge.store.dashboard_users import MIN_PASSWORD, ROLES, UserError, normal_email
from lrs_bridge.xapi.timestamps import format_millis

_PASSWORD_ENV = click.option(
    "--password-env", metavar="VAR",
    help="read the password from environment variable VAR  [default: ask for it twice]")


@click.group()
def users() -> None:
    """Manage the people who sign in to the dashboard (not the xAPI credentials)."""


@users.command("add")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="admin and ld see the whole tenant; manager sees their team")
@click.option("--tenant", default="default", show_default=True,
              help="the tenant whose learners they see")
@click.option("--name", default="", help="their name, as the dashboard shows it")
@_PASSWORD_ENV
@click.pass_obj
def users_add(settings, email, role, tenant, name, password_env) -> None:
    """Add dashboard user EMAIL with a role; the password is asked for (never shown)."""
    store = services_for(settings).dashboard_users
    try:
        if store.find(normal_email(email)) is not None:
            raise UserError(f"a dashboard user {normal_email(email)} exists")
    except UserError as err:
        raise click.ClickException(str(err)) from None
    password = _password(password_env)
    try:
        user = store.add(email, role, password, tenant=tenant, name=name)
    except UserError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"added {user.email} ({user.role}, tenant {user.tenant})")


@users.command("list")
@click.pass_obj
def users_list(settings) -> None:
    """List the dashboard users: e-mail, name, role, tenant and when added (never passwords)."""
    found = services_for(settings).dashboard_users.list()
    if not found:
        click.echo("no dashboard users yet; add one with `lrs-bridge users add EMAIL --role "
                   "admin`")
    for user in found:
        click.echo(f"{user.email}\tname={user.name or '-'}\trole={user.role}\t"
                   f"tenant={user.tenant}\tadded {format_millis(user.created)}")


@users.command("remove")
@click.argument("email")
@click.pass_obj
def users_remove(settings, email) -> None:
    """Remove dashboard user EMAIL; their sessions end at their next request."""
    try:
        services_for(settings).dashboard_users.remove(email)
    except UserError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"removed {email.strip().lower()}")


@users.command("password")
@click.argument("email")
@_PASSWORD_ENV
@click.pass_obj
def users_password(settings, email, password_env) -> None:
    """Set a new password for EMAIL; sessions signed in with the old one end."""
    store = services_for(settings).dashboard_users
    if store.find(email) is None:
        raise click.ClickException(f"no dashboard user {email.strip()}")
    try:
        store.set_password(email, _password(password_env))
    except UserError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"changed the password of {email.strip().lower()}")


def _password(variable: str | None) -> str:
    """The password from environment variable `variable`, else asked twice, never echoed."""
    if variable:
        value = os.environ.get(variable)
        if not value:
            raise click.ClickException(f"--password-env: the environment variable {variable} "
                                       f"is not set or empty")
        return value
    return click.prompt(f"Password (at least {MIN_PASSWORD} characters)", hide_input=True,
                        confirmation_prompt=True, err=True)

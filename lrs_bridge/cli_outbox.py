"""`lrs-bridge outbox …`: how the deliveries to each connector stand; dead ones sent again,
settled ones deleted."""

import json
from datetime import datetime

import click

from lrs_bridge.cli_progress import Moment, tenant_id_of
from lrs_bridge.cli_support import CommandGroup, plural, services_for
from lrs_bridge.settings import Settings
from lrs_bridge.store.delivery_figures import (
    DEAD_WINDOW_SECONDS,
    LATE_SECONDS,
    ConnectorFigures,
    connector_figures,
)
from lrs_bridge.store.engine import read_transaction, write_transaction
from lrs_bridge.store.outbox_upkeep import (
    deliveries_of_event,
    purge,
    retry_dead,
    select_connectors,
)

_TENANT_HELP = "only this store's connectors (default: every one)"


@click.group(cls=CommandGroup)
def outbox() -> None:
    """The events on their way to the LMS connectors: how they stand, retry, purge."""


@outbox.command("status")
@click.argument("name", required=False)
@click.option("--tenant", help=_TENANT_HELP)
@click.option("--json", "as_json", is_flag=True, help="print a JSON array, one object per "
                                                      "connector")
@click.pass_obj
def outbox_status(settings: Settings, name: str | None, tenant: str | None,
                  as_json: bool) -> None:
    """Per connector: events pending (due now or waiting), done and dead, and its health."""
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant) if tenant else None
    with read_transaction(services.engine) as conn:
        figures = connector_figures(conn, _now_ms(services), tenant_id=tenant_id, name=name)
    if name is not None and not figures:
        raise click.ClickException(f"no connector called {name!r}"
                                   + (f" in tenant {tenant}" if tenant else ""))
    if as_json:
        click.echo(json.dumps([f.as_json() for f in figures], ensure_ascii=False, indent=2))
        return
    for found in figures:
        click.echo("\n".join(_lines(found)))
    if not figures:
        click.echo("no connectors (add one with `lrs-bridge connector add`)")


@outbox.command("retry")
@click.argument("name", required=False)
@click.option("--event", "event_id", metavar="ID", help="only the deliveries of this event")
@click.option("--tenant", help=_TENANT_HELP)
@click.pass_obj
def outbox_retry(settings: Settings, name: str | None, event_id: str | None,
                 tenant: str | None) -> None:
    """Put dead deliveries (of connector NAME, of one event, or all) back in the queue: due
    now, their attempts counted from 0 again."""
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant) if tenant else None
    with write_transaction(services.engine) as conn:
        chosen = _chosen(conn, name, tenant_id, tenant)
        count = retry_dead(conn, chosen, _now_ms(services), event_id)
        found = deliveries_of_event(conn, chosen, event_id) if event_id and not count else {}
    where = f"of {name}" if name else "of every connector" if tenant is None \
        else f"of tenant {tenant}'s connectors"
    if event_id and not count:
        if not found:
            raise click.ClickException(f"no deliveries of event {event_id} {where}")
        states = ", ".join(f"{n} {status}" for status, n in sorted(found.items()))
        click.echo(f"event {event_id} has no dead deliveries {where} ({states}): nothing to "
                   f"retry")
        return
    click.echo(f"{plural(count, 'dead delivery', 'dead deliveries')} {where} put back in the "
               f"queue, due now")


@outbox.command("purge")
@click.argument("name", required=False)
@click.option("--done", is_flag=True, help="delivered ones (default: done and dead)")
@click.option("--dead", is_flag=True, help="dead ones (default: done and dead)")
@click.option("--before", type=Moment(), help="only those settled, and events written, before "
                                              "this date or time (default: whenever)")
@click.option("--tenant", help=_TENANT_HELP)
@click.pass_obj
def outbox_purge(settings: Settings, name: str | None, done: bool, dead: bool,
                 before: datetime | None, tenant: str | None) -> None:
    """Delete settled deliveries (done and dead) and the events no delivery refers to any
    more; pending deliveries, and their events, are kept."""
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant) if tenant else None
    statuses = tuple(s for s, chosen in (("done", done), ("dead", dead)) if chosen) \
        or ("done", "dead")
    before_ms = None if before is None else int(before.timestamp() * 1000)
    with write_transaction(services.engine) as conn:
        purged = purge(conn, _chosen(conn, name, tenant_id, tenant), statuses, before_ms)
    kinds = " and ".join(statuses)
    when = "" if before is None else f" before {before.isoformat(timespec='seconds')}"
    click.echo(f"purged {plural(purged.deliveries, 'delivery', 'deliveries')} ({kinds}"
               f"{when}) and {plural(purged.events, 'event')} no delivery needs; pending "
               f"deliveries are kept")


def _chosen(conn, name: str | None, tenant_id: int | None, tenant: str | None):
    chosen = select_connectors(conn, name=name, tenant_id=tenant_id)
    if chosen is None:
        raise click.ClickException(f"no connector called {name!r}"
                                   + (f" in tenant {tenant}" if tenant else ""))
    return chosen


def _lines(found: ConnectorFigures) -> list[str]:
    """A connector's figures in four lines."""
    if found.healthy:
        health = "healthy"
    else:
        why = []
        if found.dead_last_24h:
            why.append(f"{found.dead_last_24h} dead in the last {DEAD_WINDOW_SECONDS // 3600} h")
        if (found.oldest_pending_seconds or 0) > LATE_SECONDS:
            why.append(f"pending for over {LATE_SECONDS // 3600} h")
        health = "NOT HEALTHY: " + ", ".join(why)
    pending = f"  pending  {found.pending}"
    if found.pending:
        pending += (f": {found.due} due now, {found.waiting} waiting for a retry or an "
                    f"earlier event; the oldest written {_age(found.oldest_pending_seconds)} "
                    f"ago")
    dead = f"  dead     {found.dead}"
    if found.last_error:
        dead += f"; the newest: {found.last_error}"
    return [f"{found.name} ({found.kind}, tenant {found.tenant}): {health}", pending,
            f"  done     {found.done}", dead]


def _age(seconds: float | None) -> str:
    """`40 s`, `12 min`, `2 h 5 min`, `3 d 4 h`."""
    whole = int(seconds or 0)
    if whole < 60:
        return f"{whole} s"
    minutes, hours, days = whole // 60 % 60, whole // 3600 % 24, whole // 86400
    if whole < 3600:
        return f"{minutes} min"
    if whole < 86400:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{days} d {hours} h" if hours else f"{days} d"


def _now_ms(services) -> int:
    return int(services.clock.now().timestamp() * 1000)

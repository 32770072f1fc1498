"""`lrs-bridge worker`, `reprocess` and `alerts`: the progress engine from the command line."""

import json
import logging
import os
import signal
import sys
import threading
from datetime import datetime

import click
from sqlalchemy import select

from lrs_bridge.cli_mappings import startup_mappings, working_mapping
from lrs_bridge.cli_support import CommandGroup, plural, services_for
from lrs_bridge.clock import Clock, parse_moment
from lrs_bridge.delivery.delivery_worker import run as run_delivery
from lrs_bridge.delivery.progress_worker import run
from lrs_bridge.journey.alert_rules import KINDS
from lrs_bridge.learner_report import alert_entry
from lrs_bridge.report_text import alert_line
from lrs_bridge.settings import Settings
from lrs_bridge.store.alerts import list_alerts
from lrs_bridge.store.credentials import find_tenant
from lrs_bridge.store.engine import (
    WORKER_PARTS,
    WorkerRunning,
    read_transaction,
    worker_lock,
    write_transaction,
)
from lrs_bridge.store.learner_list import learner_ids_by_email
from lrs_bridge.store.progress_queue import backlog, mark_learners
from lrs_bridge.store.tables import learners
from lrs_bridge.xapi.agents import email_keys


class Moment(click.ParamType):
    """An ISO 8601 date or date and time; without a zone it is read as UTC."""

    name = "ISO8601"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return parse_moment(value)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date or date and time "
                      f"(e.g. 2026-03-01 or 2026-03-01T09:00:00Z)", param, ctx)


def tenant_id_of(services, name: str) -> int:
    """The id of tenant `name`; a clear error when there is none."""
    found = find_tenant(services.engine, name)
    if found is None:
        raise click.ClickException(f"no tenant called {name!r}")
    return found


@click.command()
@click.option("--once", is_flag=True, help="process what waits, run the alert rules, and exit")
@click.option("--only", type=click.Choice(WORKER_PARTS),
              help="fold progress only, or deliver to the LMS only (default: both)")
@click.option("--background", is_flag=True, hidden=True,
              help="run at a lower priority than the requests (as `serve` starts it)")
@click.option("--parent", type=int, hidden=True, help="stop when this process is gone")
@click.pass_obj
def worker(settings: Settings, once: bool, only: str | None, background: bool,
           parent: int | None) -> None:
    """Fold stored statements into progress, run the alert rules and deliver what changed
    to the LMS connectors (until stopped).

    `serve` runs these inside itself on the embedded SQLite database (folding and delivering
    in two processes); on PostgreSQL run one or more of these next to it, and with --only,
    as many of each part as the load needs.
    """
    services = services_for(settings, announce=not background)
    # Started by `serve`, which checked the folder: a folder broken since then must not make
    # the worker stop and start again every few seconds; it keeps (or waits for) a working
    # mapping, and the server's status shows what is wrong.
    snapshot = services.mappings.current() if background else \
        startup_mappings(settings, services)
    if snapshot.mapping is None and not background:
        click.echo(f"no mappings folder at {settings.mappings}: statements wait to be mapped "
                   f"until there is one", err=True)
        services.mappings.quiet = True  # said once here, not again in the log
    parts = (only,) if only else WORKER_PARTS
    try:
        with worker_lock(services.engine, parts):
            _work(settings, services, parts, once, background, parent)
    except WorkerRunning as err:
        raise click.ClickException(str(err)) from None


def _work(settings: Settings, services, parts: tuple[str, ...], once: bool,
          background: bool, parent: int | None) -> None:
    progress = services.progress_worker() if "progress" in parts else None
    delivery = services.delivery_worker() if "delivery" in parts else None
    if background:
        os.nice(min(max(settings.worker_nice, 0), 19))
    if once:
        said = []
        if progress is not None:
            said += [f"{plural(progress.drain(), 'mark')} processed",
                     f"alerts of {plural(progress.scan(), 'learner')} checked"]
        if delivery is not None:
            delivered = 0
            while count := delivery.run_once():
                delivered += count
            delivery.close()
            said.append(f"{plural(delivered, 'event')} handed to connectors")
        click.echo(", ".join(said))
        return
    logging.basicConfig(level=settings.log_level.upper(),
                        format="[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: "
                               "%(message)s")
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if parent is not None:
        threading.Thread(target=_stop_without_parent, args=(parent, stop), daemon=True).start()
    if not background:
        click.echo(f"{' and '.join(_DOING[p] for p in parts)} (Ctrl+C stops it)", err=True)
    if delivery is None:
        run(progress, stop, scan_every=settings.alert_scan_minutes * 60)
        return
    if progress is None:
        run_delivery(delivery, stop)
        return
    # Deliveries wait on the LMS: a thread of their own (with a pool of its own), so that
    # folding never waits for them.
    sender = threading.Thread(target=run_delivery, name="delivery", args=(delivery, stop))
    sender.start()
    run(progress, stop, scan_every=settings.alert_scan_minutes * 60)
    sender.join()


_DOING = {"progress": "progress worker running", "delivery": "delivering to the connectors"}


def _stop_without_parent(parent: int, stop: threading.Event) -> None:
    """Set `stop` once the process that started this one is gone (even killed outright)."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            stop.set()


@click.command()
@click.option("--tenant", default="default", show_default=True, help="the store to reprocess")
@click.option("--learner", "email", metavar="EMAIL", help="only this learner")
@click.pass_obj
def reprocess(settings: Settings, tenant: str, email: str | None) -> None:
    """Rebuild learners' progress from their statements with the current mappings."""
    working_mapping(settings)
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant)
    if email is not None:
        found = services.learners.find(tenant, email_keys(email)[0])
        if found is None:
            raise click.ClickException(f"no learner with e-mail address {email} in tenant "
                                       f"{tenant}")
        ids = [found.id]
    else:
        with services.engine.connect() as conn:
            ids = list(conn.execute(select(learners.c.id).where(
                learners.c.tenant_id == tenant_id).order_by(learners.c.id)).scalars())
    with write_transaction(services.engine) as conn:
        mark_learners(conn, tenant_id, ids)
    with services.engine.connect() as conn:
        waiting = backlog(conn)[0]
    progress = services.progress_worker()
    with click.progressbar(length=waiting, label=f"reprocessing {plural(len(ids), 'learner')}",
                           file=sys.stderr) as bar:
        done = progress.drain(bar.update)
    click.echo(f"{plural(len(ids), 'learner')} rebuilt ({plural(done, 'mark')} processed)")


@click.group(cls=CommandGroup)
def alerts() -> None:
    """Gap, overdue, stalled … alerts of the learners: run the rules, list them."""


@alerts.command("scan")
@click.option("--now", type=Moment(), help="run the rules as at this time (default: now)")
@click.option("--tenant", help="only this store (default: every one)")
@click.pass_obj
def alerts_scan(settings: Settings, now: datetime | None, tenant: str | None) -> None:
    """Run the time-based alert rules (overdue, stalled, expiring …) for every learner."""
    working_mapping(settings)
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant) if tenant else None
    progress = services.progress_worker()
    progress.clock = Clock(now)
    checked = progress.scan(tenant_id)
    click.echo(f"alerts of {plural(checked, 'learner')} checked as at "
               f"{progress.clock.now().isoformat(timespec='seconds')}")


@alerts.command("list")
@click.option("--tenant", default="default", show_default=True, help="the store to look in")
@click.option("--kind", type=click.Choice(KINDS), help="only alerts of this kind")
@click.option("--status", type=click.Choice(("open", "resolved", "all")), default="open",
              show_default=True)
@click.option("--learner", "email", metavar="EMAIL", help="only this learner's")
@click.option("--team", help="only learners of this team")
@click.option("--manager", metavar="EMAIL", help="only learners with this manager")
@click.option("--limit", type=click.IntRange(1), default=1000, show_default=True,
              help="at most this many, newest first")
@click.option("--json", "as_json", is_flag=True, help="print a JSON array")
@click.pass_obj
def alerts_list(settings: Settings, tenant: str, kind: str | None, status: str,
                email: str | None, team: str | None, manager: str | None, limit: int,
                as_json: bool) -> None:
    """The learners' alerts, newest first: opened, kind, learner, subject and why."""
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant)
    with read_transaction(services.engine) as conn:
        ids = None if email is None else learner_ids_by_email(conn, tenant_id, email)
        found = list_alerts(conn, tenant_id, status=None if status == "all" else status,
                            kind=kind, learner_ids=ids, team=team, manager=manager,
                            limit=limit + 1)
    entries = [alert_entry(alert) for alert in found[:limit]]
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        for entry in entries:
            click.echo(alert_line(entry))
        if not entries:
            click.echo(f"no {'' if status == 'all' else status + ' '}alerts", err=True)
    if len(found) > limit:
        click.echo(f"only the newest {plural(limit, 'alert')} shown (--limit)", err=True)

"""`lrs-bridge forget`: erase a person, or every leaver past the retention period."""

import sys
from datetime import date

import click
from sqlalchemy import select

from lrs_bridge.cli_progress import tenant_id_of
from lrs_bridge.cli_support import person_of, plural, services_for
from lrs_bridge.settings import Settings
from lrs_bridge.store.documents import Resource
from lrs_bridge.store.engine import progress_lock, read_transaction, write_transaction
from lrs_bridge.store.erasure import Footprint, erase, find, person_keys
from lrs_bridge.store.learners import load_learners
from lrs_bridge.store.tables import connectors, learners

_PROGRESS_ROWS = ("progress_learners", "progress_evidence", "progress_modules",
                  "progress_skills", "progress_phase_months", "progress_journeys",
                  "progress_paths", "progress_skill_levels", "progress_short_days",
                  "progress_responses")


@click.command()
@click.argument("email", required=False)
@click.option("--account", nargs=2, metavar="HOMEPAGE NAME",
              help="the person's xAPI account instead of an e-mail address")
@click.option("--left-before", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="instead of one person: every learner whose leave date is before DATE")
@click.option("--tenant", default="default", show_default=True, help="the store to erase in")
@click.option("--everywhere", is_flag=True,
              help="also erase the statements of others that name them (as instructor, team "
                   "member, context agent …)")
@click.option("--dry-run", is_flag=True, help="say what would be erased, erase nothing")
@click.option("--yes", is_flag=True, help="do not ask before erasing")
@click.pass_obj
def forget(settings: Settings, email: str | None, account: tuple[str, str] | None,
           left_before, tenant: str, everywhere: bool, dry_run: bool, yes: bool) -> None:
    """Erase a person: their statements, documents, directory entry, progress, alerts and
    feed events, so that nothing of them is left (the right to erasure).

    Name the person by EMAIL or --account HOMEPAGE NAME; or erase every learner whose
    leave date is before --left-before DATE (a retention period, e.g. from cron).
    """
    chosen = [bool(email), bool(account), left_before is not None]
    if sum(chosen) != 1:
        raise click.UsageError("name one person (EMAIL or --account HOMEPAGE NAME), or give "
                               "--left-before DATE")
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant)
    if left_before is not None:
        if left_before.date() > services.clock.now().date():
            raise click.BadParameter(f"{left_before.date()} is in the future: it would erase "
                                     f"people who have not left yet", param_hint="--left-before")
        _forget_leavers(services.engine, tenant_id, tenant, left_before.date(), everywhere,
                        dry_run, yes)
        return
    keys, shown = person_of(email, account)
    with read_transaction(services.engine) as conn:
        found = footprint(conn, tenant_id, tenant, keys, shown, everywhere=everywhere)
    all_keys, learner = found.keys, found.learner
    click.echo(f"{'would erase' if dry_run else 'to erase'} for {shown} in tenant {tenant}:")
    click.echo("\n".join(_lines(found)))
    if dry_run:
        return
    if not yes:
        click.confirm("erase all of this? it cannot be undone", abort=True, err=True)
    with progress_lock(services.engine), write_transaction(services.engine) as conn:
        found = find(conn, tenant_id, all_keys, learner, everywhere=everywhere)
        erase(conn, tenant_id, found)
        delivered = _connector_names(conn, tenant_id) if found.rows.get("deliveries") else []
    click.echo(f"erased {plural(len(found.statements), 'statement')}"
               + (f" and learner {found.learner.id}" if found.learner else "") + ".")
    click.echo("\n".join(_afterwards(found, delivered)))


def footprint(conn, tenant_id: int, tenant: str, keys, shown: str, **options) -> Footprint:
    """What tenant `tenant` holds of the person these directory keys name (`shown`: how to
    name them); a clear error when it holds nothing, or when the keys name two learners."""
    try:
        all_keys, learner = person_keys(conn, tenant_id, keys)
    except ValueError as err:
        raise click.ClickException(f"{shown}: {err}") from None
    found = find(conn, tenant_id, all_keys, learner, **options)
    if found.empty:
        raise click.ClickException(f"tenant {tenant} holds nothing of {shown}")
    return found


def _forget_leavers(engine, tenant_id: int, tenant: str, before: date, everywhere: bool,
                    dry_run: bool, yes: bool) -> None:
    """Erase every learner of the tenant who left before `before`, one per transaction."""
    query = select(learners.c.id, learners.c.email, learners.c.name, learners.c.leave_date,
                   learners.c.status).where(
        learners.c.tenant_id == tenant_id, learners.c.leave_date < before).order_by(
        learners.c.id)
    with read_transaction(engine) as conn:
        ids = list(conn.execute(query))
    if not ids:
        click.echo(f"no learner of tenant {tenant} left before {before.isoformat()}")
        return
    click.echo(f"{plural(len(ids), 'learner')} of tenant {tenant} left before "
               f"{before.isoformat()}:")
    for row in ids:
        click.echo(f"  learner {row.id}  {row.email or row.name or '(no e-mail address)'}  "
                   f"left {row.leave_date.isoformat()}  {row.status}")
    if dry_run:
        click.echo("dry run: nothing erased; without --dry-run each is erased whole, as "
                   "`lrs-bridge forget EMAIL` would")
        return
    if not yes:
        click.confirm(f"erase all {plural(len(ids), 'learner')}? it cannot be undone",
                      abort=True, err=True)
    statements = 0
    with click.progressbar(ids, label="erasing", file=sys.stderr, show_pos=True) as bar:
        for row in bar:
            with progress_lock(engine), write_transaction(engine) as conn:
                learner_id = conn.execute(select(learners.c.id).where(
                    learners.c.id == row.id)).scalar()
                if learner_id is None:
                    continue  # erased meanwhile
                learner = load_learners(conn, {learner_id})[learner_id]
                found = find(conn, tenant_id, learner.keys, learner, everywhere=everywhere)
                erase(conn, tenant_id, found)
                statements += len(found.statements)
    click.echo(f"erased {plural(len(ids), 'learner')} and {plural(statements, 'statement')}")


def _lines(found: Footprint) -> list[str]:
    lines = []
    if found.learner is not None:
        learner, rows = found.learner, found.rows
        progress = sum(rows.get(name, 0) for name in _PROGRESS_ROWS)
        lines.append(f"  learner {learner.id} ({learner.name or 'no name'}): directory entry, "
                     f"{plural(len(learner.keys), 'identifier')}, role history")
        lines.append(f"  progress and metric rows: {progress}; "
                     f"{plural(rows.get('alerts', 0), 'alert')}; "
                     f"{plural(rows.get('outbox', 0), 'progress-feed event')}")
        if rows.get("deliveries"):
            lines.append(f"  deliveries to the LMS: {rows['deliveries']} "
                         f"({found.pending_deliveries} still pending, dropped)")
    own = len(found.statements) - found.referring
    lines.append(f"  statements: {own} theirs (as actor or as object)"
                 + (f", {found.referring} pointing at theirs (StatementRef, voiding)"
                    if found.referring else ""))
    if found.document_ids:
        kinds = {Resource.STATE: "State", Resource.AGENT_PROFILE: "Agent Profile"}
        lines.append("  documents: " + ", ".join(
            f"{count} {kinds.get(Resource(resource), 'other')}"
            for resource, count in sorted(found.documents.items())))
    if found.managed:
        lines.append(f"  kept: {plural(found.managed, 'learner')} whose roster entry names "
                     f"them as manager")
    if found.elsewhere:
        lines.append(f"  kept: {plural(len(found.elsewhere), 'statement')} of others that name "
                     f"them (as instructor, team member, context agent …); --everywhere "
                     f"erases those too")
    return lines


def _afterwards(found: Footprint, delivered: list[str]) -> list[str]:
    lines = []
    if found.learner is not None:
        lines.append("remove them from the roster too: the next `lrs-bridge roster import` "
                     "that names them adds them again")
    if found.managed:
        lines.append(f"{plural(found.managed, 'learner')} still name them as manager: import "
                     f"a roster that gives them another")
    if delivered:
        lines.append("the LMS keeps what was delivered to it: remove them there too "
                     f"(connectors: {', '.join(delivered)})")
    lines.append("content that still sends their statements stores new ones")
    return lines


def _connector_names(conn, tenant_id: int) -> list[str]:
    return list(conn.execute(select(connectors.c.name).where(
        connectors.c.tenant_id == tenant_id).order_by(connectors.c.name)).scalars())

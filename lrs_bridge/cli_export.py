"""`lrs-bridge export …`: every statement as JSON Lines, or all the store holds of a person."""

import json
from datetime import datetime

import click

from lrs_bridge.cli_forget import footprint
from lrs_bridge.cli_progress import Moment, tenant_id_of
from lrs_bridge.cli_roster import mapping_in_use
from lrs_bridge.cli_support import CommandGroup, person_of, plural, services_for
from lrs_bridge.learner_report import alert_entry, learner_report
from lrs_bridge.settings import Settings
from lrs_bridge.store.engine import read_transaction
from lrs_bridge.store.person_export import alerts_of, documents_of, feed_rows, statements_of
from lrs_bridge.web.api.feed_entries import feed_entry

_OUTPUT = click.option("--output", "-o", default="-", metavar="FILE",
                       help="write to FILE instead of standard output")
_TENANT = click.option("--tenant", default="default", show_default=True,
                       help="the store to export from")


@click.group(cls=CommandGroup)
def export() -> None:
    """Write what the store holds to a file: every statement, or all of one person's data."""


@export.command("statements")
@_TENANT
@click.option("--since", type=Moment(), help="only statements stored at or after this ISO 8601 "
                                            "date or time")
@click.option("--until", type=Moment(), help="only statements stored before it")
@_OUTPUT
@click.pass_obj
def export_statements(settings: Settings, tenant: str, since: datetime | None,
                      until: datetime | None, output: str) -> None:
    """Every statement of the tenant as stored (`stored` and `authority` set), one JSON
    object per line (JSON Lines), in the order written; voided statements and the statements
    that void them are included. Attachments are not."""
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant)
    since_ms = _ms(since) if since else 0
    until_ms = _ms(until) if until else None
    written = 0
    with click.open_file(output, "w", encoding="utf-8") as out:
        for payload in services.statements.export(tenant_id, since_ms, until_ms):
            out.write(payload)
            out.write("\n")
            written += 1
    where = "" if output == "-" else f" to {output}"
    click.echo(f"exported {plural(written, 'statement')} of tenant {tenant}{where}", err=True)


@export.command("person")
@click.argument("email", required=False)
@click.option("--account", nargs=2, metavar="HOMEPAGE NAME",
              help="the person's xAPI account instead of an e-mail address")
@_TENANT
@_OUTPUT
@click.pass_obj
def export_person(settings: Settings, email: str | None, account: tuple[str, str] | None,
                  tenant: str, output: str) -> None:
    """All the store holds of one person, as one JSON object (the right of access): their
    directory entry and progress, alerts, progress-feed events, statements, the statements of
    others that name them, and their documents. What `lrs-bridge forget` would erase, and
    more."""
    if bool(email) == bool(account):
        raise click.UsageError("name one person: EMAIL or --account HOMEPAGE NAME")
    keys, shown = person_of(email, account)
    services = services_for(settings)
    tenant_id = tenant_id_of(services, tenant)
    now = services.clock.now()
    with read_transaction(services.engine) as conn:
        found = footprint(conn, tenant_id, tenant, keys, shown, lock=False)
        all_keys, learner = found.keys, found.learner
        own, named_in = statements_of(found)
        data = {"exported": now.isoformat(), "tenant": tenant,
                "identifiers": sorted(all_keys), "learner": None, "alerts": [],
                "progress_events": []}
        if learner is not None:
            # Only a learner's progress needs the mapping.
            snapshot = mapping_in_use(settings, services)
            data["learner"] = learner_report(conn, tenant_id, learner, snapshot.mapping,
                                             snapshot.version, now)
            data["alerts"] = [alert_entry(a) for a in alerts_of(conn, tenant_id, learner.id)]
            data["progress_events"] = [
                {k: v for k, v in feed_entry(row, {"id": learner.id}).items() if k != "learner"}
                for row in feed_rows(conn, tenant_id, learner.id)]
        data.update(statements=own, named_in_statements_of_others=named_in,
                    documents=documents_of(conn, found))
    with click.open_file(output, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    where = "" if output == "-" else f" to {output}"
    click.echo(f"exported {shown}: {plural(len(own), 'statement')}, "
               f"{plural(len(data['documents']), 'document')}"
               + (f", learner {learner.id}" if learner else "") + where, err=True)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


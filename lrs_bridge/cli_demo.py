"""`lrs-bridge demo`: the sample organisation's people and eighteen months of their learning,
sent through TinCanPython to a server started here, folded by its worker and summed up; the
server keeps running (for the dashboard and the API) until Ctrl-C."""

import secrets
import shlex
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import func, select

import lrs_bridge
from lrs_bridge.cli_mappings import working_mapping
from lrs_bridge.cli_support import describe, plural, services_for
from lrs_bridge.demo.lrs_client import LrsError, ProgressApi, send_statements
from lrs_bridge.demo.organisation import Person, make_people, roster_csv
from lrs_bridge.demo.server_process import (
    HOST,
    ServerError,
    check_running,
    free_port,
    port_taken,
    start_server,
    stop_server,
    wait_until_up,
)
from lrs_bridge.demo.simulation import simulate
from lrs_bridge.demo.summary import summary_lines
from lrs_bridge.journey.model import Mapping
from lrs_bridge.journey.roster import parse_roster
from lrs_bridge.settings import Settings
from lrs_bridge.store.credentials import CredentialError
from lrs_bridge.store.tables import statements as statement_rows

# The sample organisation, beside the package in a source checkout (`pip install -e .`).
SAMPLE_MAPPINGS = Path(lrs_bridge.__file__).resolve().parents[1] / "mappings"
ROSTER_FILE, LOG_FILE = "demo-roster.csv", "demo-server.log"
ADMIN_EMAIL = "demo-admin@noordwind.example"


@click.command()
@click.option("--people", default=200, show_default=True, type=click.IntRange(1, 5000),
              help="how many people the organisation has")
@click.option("--seed", default=1, show_default=True, type=int,
              help="the same seed (on the same day) gives the same people and statements")
@click.option("--port", type=click.IntRange(1, 65535), help="the server's port  [default: a "
                                                            "free one]")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help="a data folder for the demo (created if missing): its database and mappings "
                   "are used, whatever LRS_BRIDGE_DATABASE_URL and LRS_BRIDGE_MAPPINGS say")
@click.option("--force", is_flag=True,
              help="add the demo to a database that already holds statements")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 1000),
              help="statements per POST")
@click.pass_obj
def demo(settings: Settings, people: int, seed: int, port: int | None, home: Path | None,
         force: bool, batch: int) -> None:
    """Show lrs-bridge at work on an invented organisation, until Ctrl-C.

    Imports a roster of PEOPLE (teams, leads, leavers, alumni) of the sample organisation's
    mappings, starts `lrs-bridge serve` with its progress worker, sends 18 months of their
    learning through TinCanPython, waits until every statement is folded, and prints a
    summary and the dashboard's address. Refuses a database that already holds statements
    unless --force is given; --home DIR starts afresh in DIR.
    """
    # SIGTERM ends the demo as Ctrl-C does, so the server is stopped with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    began = time.monotonic()
    settings = _demo_settings(settings, home)
    if port is not None and port_taken(port):
        raise click.BadParameter(f"port {port} is in use; choose another, or leave --port "
                                 f"out for a free one", param_hint="--port")
    ready = _prepare(settings, people, seed, force)
    click.echo(f"simulating the learning of {plural(people, 'person', 'people')} (seed {seed})")
    statements = simulate(ready.mapping, ready.people, seed, ready.now)
    port = port or free_port()
    log = Path(settings.home) / LOG_FILE
    process = start_server(settings, port, log)
    click.echo(f"started lrs-bridge serve on http://{HOST}:{port}/ (its log: {log})")
    try:
        wait_until_up(process, port, log)
        api = ProgressApi(f"http://{HOST}:{port}", *ready.reader)
        _send(f"http://{HOST}:{port}/xapi/", ready.content, statements, batch)
        status = _fold(api)
        lines = summary_lines(list(api.pages("learners", "learners")),
                              list(api.pages("alerts", "alerts", status="open")),
                              status["statements"]["stored"], [p.id for p in ready.mapping.paths])
        _announce(settings, lines, port, ready.reader, time.monotonic() - began)
        while True:
            check_running(process, log)
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("\nstopping the server")
    except (ServerError, LrsError) as err:
        raise click.ClickException(str(err)) from None
    finally:
        stop_server(process)


def _demo_settings(settings: Settings, home: Path | None) -> Settings:
    """The settings of the demo: `home`'s own database and mappings when it is given."""
    if home is None:
        return settings
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise click.BadParameter(f"cannot create {home}: {err.strerror}",
                                 param_hint="--home") from None
    return Settings.from_env(home=str(home), database_url="", mappings="")


@dataclass(frozen=True)
class Prepared:
    """What the demo set up: the mapping, the people imported, the time they were made for,
    and credentials (key, secret) to send statements and to read progress."""

    mapping: Mapping
    people: list[Person]
    now: datetime
    content: tuple[str, str]
    reader: tuple[str, str]


def _prepare(settings: Settings, count: int, seed: int, force: bool) -> Prepared:
    """Mappings, database, roster and credentials."""
    services = services_for(settings)
    held = _statements_held(services)
    if held and not force:
        raise click.ClickException(
            f"the database {describe(settings.database_url)} already holds "
            f"{plural(held, 'statement')}; the demo wants an empty one. Run it in a fresh "
            f"folder (`lrs-bridge demo --home DIR`), or add --force to add the demo's people "
            f"and statements to this database")
    copied = _ensure_mappings(settings)
    mapping = working_mapping(settings)
    click.echo(f"mappings: {settings.mappings}{copied}: {plural(len(mapping.roles), 'role')}, "
               f"{plural(len(mapping.modules), 'module')}, {plural(len(mapping.paths), 'path')}")
    now = services.clock.now()
    try:
        people = make_people(mapping, count, seed, now.date())
    except ValueError as err:
        raise click.ClickException(f"{settings.mappings}: {err}") from None
    roster = Path(settings.home) / ROSTER_FILE
    roster.write_text(roster_csv(people), encoding="utf-8")
    parsed = parse_roster(roster.read_bytes(), str(roster), {r.id for r in mapping.roles},
                          {p.id for p in mapping.paths})
    result = services.learners.import_roster("default", parsed, str(roster))
    problems = [*parsed.problems, *result.problems]
    if problems:
        raise click.ClickException("the demo's roster has problems:\n" +
                                   "\n".join(str(p) for p in problems[:10]))
    click.echo(f"roster: {roster}: {result.added} added, {result.changed} changed, "
               f"{result.unchanged} unchanged")
    prepared = Prepared(mapping, people, now,
                        _credential(services, "demo-content", ["statements/write"]),
                        _credential(services, "demo-reader", ["progress/read"]))
    services.engine.dispose()  # the server opens its own connections
    return prepared


def _ensure_mappings(settings: Settings) -> str:
    """Copy the sample organisation into a data folder that has no mappings folder; says so."""
    target = Path(settings.mappings)
    if target.is_dir():
        return ""
    if not SAMPLE_MAPPINGS.is_dir():
        raise click.ClickException(
            f"no mappings folder at {target}: set LRS_BRIDGE_MAPPINGS to a mappings folder "
            f"(the sample organisation is the `mappings` folder of lrs-bridge's source)")
    shutil.copytree(SAMPLE_MAPPINGS, target)
    return ", a copy of the sample organisation"


def _statements_held(services) -> int:
    with services.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(statement_rows)).scalar()


def _credential(services, name: str, scopes: list[str]) -> tuple[str, str]:
    """A new credential called `name` (or `name-2`, … when a previous demo made one)."""
    for number in range(1, 1000):
        try:
            return services.credentials.add(name if number == 1 else f"{name}-{number}", scopes)
        except CredentialError:
            continue
    raise click.ClickException(f"too many credentials called {name}-N; revoke some")


def _send(endpoint: str, content: tuple[str, str], statements: list[dict], batch: int) -> None:
    with click.progressbar(length=len(statements), file=sys.stderr, show_pos=True,
                           label=f"sending {len(statements):,} statements") as bar:
        send_statements(endpoint, *content, statements, batch, bar.update)


def _fold(api: ProgressApi) -> dict:
    """Wait, with a progress bar, until the worker has folded everything."""
    with click.progressbar(length=1, file=sys.stderr, show_pos=True,
                           label="folding them into progress") as bar:
        def progress(processed: int, stored: int) -> None:
            bar.length = max(stored, 1)
            bar.update(processed - bar.pos)

        return api.wait_folded(progress)


def _announce(settings: Settings, lines: list[str], port: int, reader: tuple[str, str],
              seconds: float) -> None:
    click.echo(f"\nready in {seconds:.0f} s\n")
    for line in lines:
        click.echo(line)
    base = f"http://{HOST}:{port}"
    click.echo(f"\ndashboard    {base}/")
    email, password = dashboard_login(settings)
    click.echo(f"sign in as   {email}, password {password}")
    key, secret = reader
    click.echo(f"API          curl -u {key}:{secret} {base}/api/v1/alerts")
    click.echo(f"xAPI         {base}/xapi/ (statements are from credential demo-content)")
    click.echo("\nthe server runs until Ctrl-C")


def dashboard_login(settings: Settings) -> tuple[str, str]:
    """An admin dashboard user for the demo, with a new password: (e-mail, password). A run
    with --force on an earlier demo's database gives the same user a new password."""
    password = secrets.token_urlsafe(12)
    users = services_for(settings).dashboard_users
    if users.find(ADMIN_EMAIL) is None:
        users.add(ADMIN_EMAIL, "admin", password, tenant="default", name="Demo admin")
    else:
        users.set_password(ADMIN_EMAIL, password)
    return ADMIN_EMAIL, password


def _env_prefix(settings: Settings) -> str:
    """What another command needs to open the demo's database and mappings."""
    default = Settings.from_env(home=settings.home, database_url="", mappings="")
    prefix = f"LRS_BRIDGE_HOME={shlex.quote(settings.home)} "
    if settings.database_url != default.database_url:
        prefix += f"LRS_BRIDGE_DATABASE_URL={shlex.quote(describe(settings.database_url))} "
    if settings.mappings != default.mappings:
        prefix += f"LRS_BRIDGE_MAPPINGS={shlex.quote(settings.mappings)} "
    return prefix

"""What the `lrs-bridge` commands share: which database they open, and its errors as sentences.

Every command that needs the database goes through `services_for`, and every database error
a command meets ends in `CommandGroup.invoke`, so a user sees one line saying what is wrong
and what to do, never a traceback.
"""

import re
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from lrs_bridge.bootstrap import Services, bootstrap
from lrs_bridge.settings import Settings
from lrs_bridge.store.migrate import current_revision, head_revision, known_revisions, upgrade
from lrs_bridge.xapi.agents import account_key, email_keys

SUPPORTED = "sqlite, postgresql+psycopg"
_FIX_URL = "set LRS_BRIDGE_DATABASE_URL"
# Root causes a user can act on, and what to do about them (the rest: check the URL).
_HINTS = (
    (re.compile(r'database ".*" does not exist'), f"create it, or {_FIX_URL}"),
    (re.compile(r"role .* does not exist|password authentication failed"),
     "check the user and password in LRS_BRIDGE_DATABASE_URL"),
    (re.compile(r"refused|resolve host|timeout expired|No route", re.IGNORECASE),
     f"is the database server running there? or {_FIX_URL}"),
)


class CommandGroup(click.Group):
    """A command group that lists its commands' descriptions whole, wrapped, rather than
    cut off with `...`, and turns any database error into one line."""

    group_class = type  # its subgroups are CommandGroups too

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the subcommands with the first sentence of their help."""
        rows = [(name, command.get_short_help_str(limit=1000))
                for name in self.list_commands(ctx)
                if (command := self.get_command(ctx, name)) is not None and not command.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        """Run the command; a database error becomes a one-line error (exit status 1)."""
        try:
            return super().invoke(ctx)
        except SQLAlchemyError as err:
            settings = ctx.find_object(Settings)
            raise database_error(settings.database_url if settings else "", err) from None


def describe(url: str) -> str:
    """The database as a person looks for it: a SQLite file's path, else the URL without
    its password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database if parsed.database not in (None, "", ":memory:") \
            else "an in-memory SQLite database"
    return parsed.render_as_string(hide_password=True)


def services_for(settings: Settings, announce: bool = True) -> Services:
    """Services for a command; an embedded SQLite database is migrated on first use, any
    other must have this version's schema. Says on stderr which database it opens."""
    services = _open(settings, announce)
    current = _revision(services.engine, settings.database_url)
    if services.engine.dialect.name == "sqlite":
        upgrade(services.engine)
        return services
    needed = head_revision(services.engine)
    if current is None:
        raise click.ClickException(
            f"the database {describe(settings.database_url)} has no lrs-bridge schema yet: "
            f"run `lrs-bridge db upgrade`")
    if current != needed:
        raise click.ClickException(
            f"the database {describe(settings.database_url)} has schema {current}, this "
            f"version of lrs-bridge needs {needed}: run `lrs-bridge db upgrade`")
    return services


def upgrade_schema(settings: Settings) -> str:
    """Create or migrate the schema; a sentence saying which of the two happened, if any."""
    engine = _open(settings, announce=True).engine
    before = _revision(engine, settings.database_url)
    upgrade(engine)
    after = current_revision(engine)
    if before is None:
        return f"created the lrs-bridge schema (revision {after})"
    if before != after:
        return f"migrated the schema from revision {before} to {after}"
    return f"the schema is up to date (revision {after})"


def _revision(engine: Engine, url: str) -> str | None:
    """The database's schema revision; one this version does not know is refused."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions(engine):
        raise click.ClickException(
            f"the database {describe(url)} has schema {current}, which this version of "
            f"lrs-bridge does not know (a newer version made it): upgrade lrs-bridge")
    return current


def database_error(url: str, err: BaseException) -> click.ClickException:
    """One line for a database error: which database, the root cause, what to do."""
    cause = _root_cause(err)
    hint = next((hint for pattern, hint in _HINTS if pattern.search(cause)),
                "check LRS_BRIDGE_DATABASE_URL")
    # An error without a statement happened while connecting.
    doing = "open" if getattr(err, "statement", None) is None else "use"
    return click.ClickException(f"cannot {doing} the database {describe(url)}: {cause} ({hint})")


def plural(count: int, word: str, words: str | None = None) -> str:
    """`1 problem`, `2 problems`: a count with its noun (`words` when it is not `word` + s)."""
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def _supported_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise click.ClickException(
            f"LRS_BRIDGE_DATABASE_URL {url!r} is not a database URL; supported: {SUPPORTED}, "
            f"e.g. postgresql+psycopg://user@host/db") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if (backend, driver) not in (("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        raise click.ClickException(
            f"the database {describe(url)} is a {parsed.drivername} database, which "
            f"lrs-bridge does not support; supported: {SUPPORTED} (set LRS_BRIDGE_DATABASE_URL)")
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        if not folder.is_dir():
            raise click.ClickException(
                f"cannot open the database {describe(url)}: the folder {folder} does not exist "
                f"(create it, or set LRS_BRIDGE_HOME or LRS_BRIDGE_DATABASE_URL)")
    return parsed


def _is_new_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
        and not Path(url.database).exists()


def _open(settings: Settings, announce: bool) -> Services:
    url = _supported_url(settings.database_url)
    if announce:
        new = " (new: creating it)" if _is_new_sqlite(url) else ""
        click.echo(f"lrs-bridge: database {describe(settings.database_url)}{new}", err=True)
    try:
        return bootstrap(settings)
    except ModuleNotFoundError as err:
        if url.get_backend_name() != "postgresql":
            raise
        raise click.ClickException(
            f"the database {describe(settings.database_url)} needs the PostgreSQL driver "
            f"psycopg ({err}): pip install 'lrs-bridge[postgres]'") from None


def _root_cause(err: BaseException) -> str:
    """The first line of the innermost error, without the driver's connection preamble."""
    for _ in range(10):  # a chain of causes, never a loop
        inner = getattr(err, "orig", None) or err.__cause__
        if inner is None:
            break
        err = inner
    lines = str(err).strip().splitlines() or [err.__class__.__name__]
    # psycopg: 'connection failed: connection to server at "h", port 5432 failed: FATAL:  …'
    line = lines[0].rsplit(" failed: ", 1)[-1]
    return re.sub(r"^(FATAL|ERROR):\s+", "", line)


def mapping_problems(folder, problems, shown: int = 10) -> click.ClickException:
    """The error of a command that needs a mapping and found a folder with problems."""
    count = len(problems)
    lines = [f"the mappings in {folder} have {plural(count, 'problem')}; fix them first "
             f"(`lrs-bridge mappings check {folder}`):", *(str(p) for p in problems[:shown])]
    if count > shown:
        lines.append(f"... and {count - shown} more")
    return click.ClickException("\n".join(lines))


def person_of(email: str | None, account: tuple[str, str] | None) -> tuple[tuple[str, ...], str]:
    """The directory keys a person is named by on the command line, and how to name them."""
    if email is not None:
        if "@" not in email or email.strip() != email or ":" in email:
            raise click.BadParameter(f"{email!r} is not an e-mail address (without mailto:)",
                                     param_hint="EMAIL")
        return email_keys(email), email
    return (account_key(*account),), f"account {account[1]} on {account[0]}"

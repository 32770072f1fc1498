"""The databases the in-process benchmarks (bench/metrics.py, bench/dashboard.py) fill and
time: a SQLite file, and a schema of its own in a PostgreSQL. Each is filled once and reused
when it exists already (`--sqlite FILE`, `--pg-schema NAME`), since a fill takes minutes."""

import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

from bench.journey import SAMPLE
from lrs_bridge.bootstrap import bootstrap
from lrs_bridge.settings import Settings
from lrs_bridge.store.migrate import upgrade

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def services_on(url: str):
    """Migrated services on `url` with the sample organisation's mappings."""
    services = bootstrap(Settings(database_url=url, mappings=str(SAMPLE),
                                  secret_hash_method="pbkdf2:sha256:1000"))
    upgrade(services.engine)
    return services


def add_arguments(parser, default_postgres: str) -> None:
    """The options that choose and keep the databases."""
    parser.add_argument("--postgres", default=default_postgres)
    parser.add_argument("--sqlite", type=Path, help="a SQLite file to fill, or to reuse when "
                        "it exists (default: a temporary one)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--pg-schema", help="a PostgreSQL schema to fill and keep, or to reuse "
                        "when it exists (default: a temporary one)")
    parser.add_argument("--no-sqlite", action="store_true")


def on_sqlite(args, fill: Callable, measure: Callable):
    """`fill(services)` a SQLite file (unless `--sqlite` names one that exists), then
    `measure(services)`; what measure gives."""
    with tempfile.TemporaryDirectory() as folder:
        database = args.sqlite or Path(folder) / "bench.db"
        fresh = not database.exists()
        lite = services_on(f"sqlite:///{database.resolve()}")
        if fresh:
            print("SQLite: filling", flush=True)
            print(f"  filled in {fill(lite):.0f} s", flush=True)
        found = measure(lite)
        lite.engine.dispose()
        return found


def on_postgres(args, fill: Callable, measure: Callable):
    """The same in a schema of its own in the PostgreSQL at `args.postgres`; the schema is
    dropped unless it was named (`--pg-schema`), and a named one that exists is reused."""
    schema = args.pg_schema or f"bench_{uuid.uuid4().hex[:8]}"
    plain = args.postgres.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        fresh = conn.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                             (schema,)).fetchone() is None
        if fresh:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        sep = "&" if "?" in args.postgres else "?"
        pg = services_on(f"{args.postgres}{sep}options=-csearch_path%3D{schema}")
        if fresh:
            print("PostgreSQL: filling", flush=True)
            print(f"  filled in {fill(pg):.0f} s", flush=True)
            # What autovacuum does soon after a load: statistics, and the visibility map that
            # lets the covering indexes answer without reading the tables.
            with psycopg.connect(plain, autocommit=True,
                                 options=f"-csearch_path={schema}") as conn:
                conn.execute("VACUUM ANALYZE")
        found = measure(pg)
        pg.engine.dispose()
        return found
    finally:
        if not args.pg_schema:
            with psycopg.connect(plain, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

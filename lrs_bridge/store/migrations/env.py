"""Alembic environment: runs the migrations on the connection the caller hands over."""

from alembic import context

from lrs_bridge.store.tables import metadata

config = context.config


def run_migrations() -> None:
    """Migrate on config.attributes['connection'] (set by store.migrate) or on sqlalchemy.url."""
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

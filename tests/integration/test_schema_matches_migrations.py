"""The migrations build exactly the schema the code declares (tables.py), on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lrs_bridge.store.tables import metadata


def test_migrated_database_has_no_difference_from_the_declared_tables(services):
    with services.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []

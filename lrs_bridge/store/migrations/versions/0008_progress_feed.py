"""The outbox as the progress feed: commit order (txn), what each event is about, indexes;
alerts by the moment they opened and resolved

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_AUTOINCREMENT = {"sqlite_autoincrement": True}
_COLUMNS = ("txn", "path", "module", "skill")
_ORDER = "ix_outbox_tenant_id_txn_id"
_BY_LEARNER = "ix_outbox_tenant_id_learner_id_txn_id"
_BY_TIME = "ix_outbox_tenant_id_created_txn_id"
_BY_PATH = "ix_outbox_tenant_id_path_txn_id"
_ALERTS_OF = "ix_alerts_tenant_id_learner_id_status"  # the worker's open alerts of a batch
_ALERT_MOMENTS = ("opened", "resolved")  # alerts newest first, of any status (alerts.atom)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # On SQLite the table is rebuilt with AUTOINCREMENT, so that a purged id is never handed
    # out again (see tables.outbox); the rebuild adds the columns too.
    with op.batch_alter_table("outbox", recreate="always" if sqlite else "auto",
                              table_kwargs=_AUTOINCREMENT) as batch:
        # Every event written before this version is committed: transaction 0, in id order.
        batch.add_column(sa.Column("txn", sa.BigInteger(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("path", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("module", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("skill", sa.String(length=200), nullable=True))
    with op.batch_alter_table("outbox", table_kwargs=_AUTOINCREMENT) as batch:
        # The writer sets txn itself (store.outbox.transaction_order): no default hides a
        # writer that forgets it.
        batch.alter_column("txn", server_default=None)
    field = ("json_extract(payload, '$.{}')" if sqlite
             else "CAST(payload AS json) ->> '{}'").format
    # Constant SQL: the field names are the literals here.
    op.execute(f"UPDATE outbox SET path = {field('path')}, "  # noqa: S608
               f"module = CASE WHEN type = 'step.changed' THEN {field('module')} END, "
               f"skill = CASE WHEN type = 'skill.changed' THEN {field('skill')} END")
    op.create_index(op.f(_ORDER), "outbox", ["tenant_id", "txn", "id"])
    op.create_index(op.f(_BY_LEARNER), "outbox", ["tenant_id", "learner_id", "txn", "id"])
    op.create_index(op.f(_BY_TIME), "outbox", ["tenant_id", "created", "txn", "id"])
    op.create_index(op.f(_BY_PATH), "outbox", ["tenant_id", "path", "txn", "id"])
    for moment in _ALERT_MOMENTS:
        op.create_index(op.f(f"ix_alerts_tenant_id_{moment}_id"), "alerts",
                        ["tenant_id", moment, "id"])
    op.create_index(op.f(_ALERTS_OF), "alerts", ["tenant_id", "learner_id", "status"])


def downgrade() -> None:
    op.drop_index(op.f(_ALERTS_OF), "alerts")
    for moment in _ALERT_MOMENTS:
        op.drop_index(op.f(f"ix_alerts_tenant_id_{moment}_id"), "alerts")
    op.drop_index(op.f(_BY_PATH), "outbox")
    op.drop_index(op.f(_BY_TIME), "outbox")
    op.drop_index(op.f(_BY_LEARNER), "outbox")
    op.drop_index(op.f(_ORDER), "outbox")
    with op.batch_alter_table("outbox") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)

"""LMS connectors, deliveries of outbox events to them, and the LMS users found

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "connectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("token_env", sa.String(length=200), nullable=True),
        sa.Column("token_encrypted", sa.Text(), nullable=True),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_connectors_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connectors")),
        sa.UniqueConstraint("name", name=op.f("uq_connectors_name")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.BigInteger(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt", sa.BigInteger(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("connector_id", "outbox_id",
                            name=op.f("uq_deliveries_connector_id_outbox_id")),
    )
    op.create_index(op.f("ix_deliveries_status_next_attempt"), "deliveries",
                    ["status", "next_attempt"])
    op.create_index(op.f("ix_deliveries_connector_id_learner_id_outbox_id"), "deliveries",
                    ["connector_id", "learner_id", "outbox_id"])
    op.create_table(
        "lms_users",
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("resolved", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("connector_id", "learner_id", name=op.f("pk_lms_users")),
    )


def downgrade() -> None:
    op.drop_table("lms_users")
    op.drop_index(op.f("ix_deliveries_connector_id_learner_id_outbox_id"), "deliveries")
    op.drop_index(op.f("ix_deliveries_status_next_attempt"), "deliveries")
    op.drop_table("deliveries")
    op.drop_table("connectors")

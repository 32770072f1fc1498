"""documents and canonical activity definitions; the tenants sequence on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # 0001 inserted the default tenant with an explicit id, which PostgreSQL's sequence
        # did not see: the next tenant would have been given id 1 again.
        op.execute("SELECT setval(pg_get_serial_sequence('tenants', 'id'), "
                   "(SELECT COALESCE(MAX(id), 1) FROM tenants))")
    op.create_table(
        "documents",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("resource", sa.SmallInteger(), nullable=False),
        sa.Column("context", sa.String(length=64), nullable=False),
        sa.Column("registration", sa.String(length=36), nullable=False),
        sa.Column("doc_key", sa.String(length=64), nullable=False),
        sa.Column("doc_id", sa.Text(), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=True),
        sa.Column("agent", sa.Text(), nullable=True),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("contents", sa.LargeBinary(), nullable=False),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("tenant_id", "context", "registration", "doc_key",
                            name=op.f("uq_documents_tenant_id_context_registration_doc_key")),
    )
    op.create_table(
        "activities",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id_hash", name=op.f("pk_activities")),
    )


def downgrade() -> None:
    op.drop_table("activities")
    op.drop_table("documents")

"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("sha2", sa.String(length=128), nullable=False),
        sa.Column("content_type", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "sha2", name=op.f("pk_attachments")),
    )
    op.create_table(
        "statement_index",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("stored", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "kind", "key", "stored", "seq", name=op.f("pk_statement_index")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "statements",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("stored", sa.BigInteger(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("voiding_target", sa.String(length=36), nullable=True),
        sa.Column("ref_target", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_statements")),
        sa.UniqueConstraint(
            "tenant_id", "statement_id", name=op.f("uq_statements_tenant_id_statement_id")
        ),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statements_tenant_id_ref_target"),
            ["tenant_id", "ref_target"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_statements_tenant_id_stored_seq"),
            ["tenant_id", "stored", "seq"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_statements_tenant_id_voiding_target"),
            ["tenant_id", "voiding_target"],
            unique=False,
        )

    op.create_table(
        "tenants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("name", name=op.f("uq_tenants_name")),
    )
    tenants = sa.table("tenants", sa.column("id", sa.Integer), sa.column("name", sa.String))
    op.bulk_insert(tenants, [{"id": 1, "name": "default"}])
    op.create_table(
        "credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("secret_hash", sa.String(length=300), nullable=False),
        sa.Column("scopes", sa.String(length=500), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.Column("revoked", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_credentials_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
        sa.UniqueConstraint("key", name=op.f("uq_credentials_key")),
        sa.UniqueConstraint("name", name=op.f("uq_credentials_name")),
    )


def downgrade() -> None:
    op.drop_table("credentials")
    op.drop_table("tenants")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_tenant_id_voiding_target"))
        batch_op.drop_index(batch_op.f("ix_statements_tenant_id_stored_seq"))
        batch_op.drop_index(batch_op.f("ix_statements_tenant_id_ref_target"))

    op.drop_table("statements")
    op.drop_table("statement_index")
    op.drop_table("attachments")

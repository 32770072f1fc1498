"""the learner directory: learners, their identifiers and their role history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("manager_email", sa.String(length=254), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("leave_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("paths", sa.Text(), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_learners_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learners")),
    )
    op.create_table(
        "learner_identifiers",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"],
                                name=op.f("fk_learner_identifiers_learner_id_learners")),
        sa.PrimaryKeyConstraint("tenant_id", "key", name=op.f("pk_learner_identifiers")),
    )
    op.create_index(op.f("ix_learner_identifiers_learner_id"), "learner_identifiers",
                    ["learner_id"])
    op.create_table(
        "learner_roles",
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["learner_id"], ["learners.id"],
                                name=op.f("fk_learner_roles_learner_id_learners")),
        sa.PrimaryKeyConstraint("learner_id", "since", name=op.f("pk_learner_roles")),
    )


def downgrade() -> None:
    op.drop_table("learner_roles")
    op.drop_index(op.f("ix_learner_identifiers_learner_id"), "learner_identifiers")
    op.drop_table("learner_identifiers")
    op.drop_table("learners")

"""the progress engine: its work queue, actors seen, per-learner state, alerts and the outbox;
learners by team

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_index(op.f("ix_learners_tenant_id_team"), "learners", ["tenant_id", "team"])
    op.create_table(
        "progress_queue",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=True),
        sa.Column("learner_id", sa.BigInteger(), nullable=True),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_queue")),
    )
    op.create_table(
        "actors",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_key", sa.String(length=600), nullable=False),
        sa.Column("ifi_key", sa.String(length=600), nullable=False),
        sa.Column("statements", sa.BigInteger(), nullable=False),
        sa.Column("last_seen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_key", "ifi_key", name=op.f("pk_actors")),
    )
    op.create_table(
        "progress_learners",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("mapping_version", sa.String(length=64), nullable=False),
        sa.Column("updated", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", name=op.f("pk_progress_learners")),
    )
    op.create_table(
        "progress_evidence",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("module", sa.String(length=200), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "statement_id",
                                name=op.f("pk_progress_evidence")),
    )
    op.create_index(op.f("ix_progress_evidence_tenant_id_learner_id_module"),
                    "progress_evidence", ["tenant_id", "learner_id", "module"])
    op.create_table(
        "progress_modules",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("module", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "module",
                                name=op.f("pk_progress_modules")),
    )
    op.create_table(
        "progress_skills",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("skill", sa.String(length=200), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "skill",
                                name=op.f("pk_progress_skills")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=True),
        sa.Column("phase", sa.String(length=200), nullable=True),
        sa.Column("since", sa.BigInteger(), nullable=False),
        sa.Column("opened", sa.BigInteger(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("resolved", sa.BigInteger(), nullable=True),
        sa.Column("resolved_by", sa.String(length=36), nullable=True),
        sa.Column("resolved_reason", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index("uq_alerts_open", "alerts", ["tenant_id", "learner_id", "kind", "subject"],
                    unique=True, sqlite_where=_OPEN, postgresql_where=_OPEN)
    op.create_index(op.f("ix_alerts_tenant_id_status_opened"), "alerts",
                    ["tenant_id", "status", "opened"])
    op.create_table(
        "outbox",
        sa.Column("id", _SERIAL, autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("tenant_id", "event_id", name=op.f("uq_outbox_tenant_id_event_id")),
    )
    # Statements stored before this version wait for the worker like new ones.
    op.execute("INSERT INTO progress_queue (tenant_id, kind, statement_id, created) "
               "SELECT tenant_id, 1, statement_id, stored FROM statements "
               "WHERE voiding_target IS NULL AND NOT voided ORDER BY seq")


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_index(op.f("ix_alerts_tenant_id_status_opened"), "alerts")
    op.drop_index("uq_alerts_open", "alerts")
    op.drop_table("alerts")
    op.drop_table("progress_skills")
    op.drop_table("progress_modules")
    op.drop_index(op.f("ix_progress_evidence_tenant_id_learner_id_module"), "progress_evidence")
    op.drop_table("progress_evidence")
    op.drop_table("progress_learners")
    op.drop_table("actors")
    op.drop_table("progress_queue")
    op.drop_index(op.f("ix_learners_tenant_id_team"), "learners")

"""what the progress worker keeps for the journey metrics: start, onboarding and six-month
day, phase months, paths followed, skill levels over time, short completions, survey
responses; every learner is rebuilt to fill them

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-30
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "progress_journeys",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("started", sa.Date(), nullable=False),
        sa.Column("onboarding", sa.Boolean(), nullable=False),
        sa.Column("onboarded", sa.BigInteger(), nullable=True),
        sa.Column("onboarding_days", sa.Integer(), nullable=True),
        sa.Column("retention_day", sa.Date(), nullable=False),
        sa.Column("retained", sa.Boolean(), nullable=False),
        sa.Column("retention_onboarded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", name=op.f("pk_progress_journeys")),
    )
    op.create_index("ix_progress_journeys_started", "progress_journeys",
                    ["tenant_id", "started", "onboarding", "onboarded", "onboarding_days",
                     "learner_id"])
    op.create_index("ix_progress_journeys_retention", "progress_journeys",
                    ["tenant_id", "retention_day", "retention_onboarded", "retained",
                     "learner_id"])
    op.create_table(
        "progress_phase_months",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("phase", sa.String(length=200), nullable=False),
        sa.Column("block", sa.Integer(), nullable=False),
        sa.Column("audience", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "phase", "block",
                                name=op.f("pk_progress_phase_months")),
    )
    op.create_index("ix_progress_phase_months_metrics", "progress_phase_months",
                    ["tenant_id", "block", "phase", "audience", "active", "learner_id"])
    op.create_table(
        "progress_paths",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("phase", sa.String(length=200), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("completed", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "path",
                                name=op.f("pk_progress_paths")),
    )
    op.create_index("ix_progress_paths_metrics", "progress_paths",
                    ["tenant_id", "path", "phase", "anchor", "due", "completed", "learner_id"])
    op.create_table(
        "progress_skill_levels",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("skill", sa.String(length=200), nullable=False),
        sa.Column("since", sa.BigInteger(), nullable=False),
        sa.Column("until", sa.BigInteger(), nullable=True),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("drops", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "skill", "since",
                                name=op.f("pk_progress_skill_levels")),
    )
    op.create_index("ix_progress_skill_levels_metrics", "progress_skill_levels",
                    ["tenant_id", "skill", "role", "level", "state", "since", "until", "drops",
                     "learner_id"])
    op.create_table(
        "progress_short_days",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("module", sa.String(length=200), nullable=False),
        sa.Column("completions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "day", "module",
                                name=op.f("pk_progress_short_days")),
    )
    op.create_index("ix_progress_short_days_metrics", "progress_short_days",
                    ["tenant_id", "day", "module", "learner_id", "completions"])
    op.create_table(
        "progress_responses",
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("module", sa.String(length=200), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "learner_id", "statement_id",
                                name=op.f("pk_progress_responses")),
    )
    op.create_index("ix_progress_responses_metrics", "progress_responses",
                    ["tenant_id", "module", "at", "learner_id", "score"])
    # The new tables fill as learners are folded: rebuild everyone the directory knows.
    op.execute(sa.text("INSERT INTO progress_queue (tenant_id, kind, learner_id, created) "
                       "SELECT tenant_id, 3, id, :now FROM learners ORDER BY id")
               .bindparams(now=int(time.time() * 1000)))


def downgrade() -> None:
    for name in ("progress_responses", "progress_short_days", "progress_skill_levels",
                 "progress_paths", "progress_phase_months"):
        op.drop_index(f"ix_{name}_metrics", name)
        op.drop_table(name)
    op.drop_index("ix_progress_journeys_retention", "progress_journeys")
    op.drop_index("ix_progress_journeys_started", "progress_journeys")
    op.drop_table("progress_journeys")

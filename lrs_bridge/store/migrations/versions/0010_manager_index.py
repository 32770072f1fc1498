"""learners by their manager (lower case), so that a manager's team is an index lookup rather
than a pass over every learner or every open alert

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_NAME = "ix_learners_tenant_id_manager"


def upgrade() -> None:
    op.create_index(_NAME, "learners", ["tenant_id", sa.text("lower(manager_email)")])


def downgrade() -> None:
    op.drop_index(_NAME, table_name="learners")

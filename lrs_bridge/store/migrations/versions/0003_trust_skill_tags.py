"""credentials.trust_skill_tags: whose self-tagged skill levels count

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing credentials are not trusted: a self-tagged level must be granted on purpose.
    with op.batch_alter_table("credentials") as batch_op:
        batch_op.add_column(sa.Column("trust_skill_tags", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch_op:
        batch_op.drop_column("trust_skill_tags")

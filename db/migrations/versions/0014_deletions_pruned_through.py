"""revision_counter.deletions_pruned_through: how far deletion records have been pruned

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("revision_counter", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "deletions_pruned_through", sa.BigInteger(), nullable=False, server_default="0"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("revision_counter", schema=None) as batch_op:
        batch_op.drop_column("deletions_pruned_through")

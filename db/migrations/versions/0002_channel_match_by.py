"""channel.match_by: the key that links existing store products to entities

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        # Existing channels get the default (SKU); the server default fills their rows.
        batch_op.add_column(
            sa.Column(
                "match_by",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="SKU",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("match_by")

"""channel: sync_schedule and next_sync_at, for scheduled syncs

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-30 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel") as batch:
        batch.add_column(
            sa.Column("sync_schedule", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch.add_column(
            sa.Column("next_sync_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch.create_index("ix_channel_next_sync_at", ["next_sync_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channel") as batch:
        batch.drop_index("ix_channel_next_sync_at")
        batch.drop_column("next_sync_at")
        batch.drop_column("sync_schedule")

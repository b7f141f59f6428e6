"""sync_log (channel_id, id): a channel's newest logs without a sort

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 09:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.create_index("ix_sync_log_channel_id_id", ["channel_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_log", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_log_channel_id_id")

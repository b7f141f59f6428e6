"""channel: webhook secret, subscriptions and remote_delete_policy; webhook_event

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "remote_delete_policy",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="UNLINK",
            )
        )
        batch_op.add_column(
            sa.Column(
                "webhook_secret_encrypted",
                sqlmodel.sql.sqltypes.AutoString(length=2000),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("webhook_subscription_ids", sa.JSON(), nullable=False, server_default="[]")
        )
    op.create_table(
        "webhook_event",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("product_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("processed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channel.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id", "event_id", name="uq_webhook_event"),
    )
    op.create_index(
        "ix_webhook_event_pending",
        "webhook_event",
        ["channel_id", "processed_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_event_pending", table_name="webhook_event")
    op.drop_table("webhook_event")
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("webhook_subscription_ids")
        batch_op.drop_column("webhook_secret_encrypted")
        batch_op.drop_column("remote_delete_policy")

"""sync_mapping: variant_keys and media_sources

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_mapping", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_keys", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("media_sources", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_mapping", schema=None) as batch_op:
        batch_op.drop_column("media_sources")
        batch_op.drop_column("variant_keys")

"""sync_log: phase, total and bulk_operation_id, for live progress

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_log") as batch:
        # Rows written before this migration are finished runs.
        batch.add_column(
            sa.Column(
                "phase",
                sqlmodel.sql.sqltypes.AutoString(length=30),
                nullable=False,
                server_default="DONE",
            )
        )
        batch.add_column(sa.Column("total", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "bulk_operation_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_log") as batch:
        batch.drop_column("bulk_operation_id")
        batch.drop_column("total")
        batch.drop_column("phase")

"""entity revisions: entity.revision, revision_counter, entity_deletion and the channel's
synced revision and configuration fingerprint (local change tracking)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    counter = op.create_table(
        "revision_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Existing entities keep revision 0 and existing channels synced_config NULL: each channel's
    # next run compares everything once, as before, and records where it got to.
    op.bulk_insert(counter, [{"id": 1, "value": 0}])
    op.create_table(
        "entity_deletion",
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("entity_id"),
    )
    op.create_index(
        op.f("ix_entity_deletion_revision"), "entity_deletion", ["revision"], unique=False
    )
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revision", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.create_index("ix_entity_revision_id", ["revision", "id"], unique=False)
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("synced_revision", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("synced_config", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_column("synced_config")
        batch_op.drop_column("synced_revision")
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_revision_id")
        batch_op.drop_column("revision")
    op.drop_index(op.f("ix_entity_deletion_revision"), table_name="entity_deletion")
    op.drop_table("entity_deletion")
    op.drop_table("revision_counter")

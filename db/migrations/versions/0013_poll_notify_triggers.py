"""Triggers that tell other processes' poll caches when sync_log or channel changed

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 18:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every process that serves polls LISTENs on this channel (db.poll_cache.CHANNEL) and drops its
# cached rows on each notification. Statement-level: one notification per write statement, and
# PostgreSQL folds identical ones within a transaction into one, delivered at commit.
TABLES = ("sync_log", "channel")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite poll caches read PRAGMA data_version instead (db.poll_sqlite)
    op.execute(
        """CREATE FUNCTION sigma_poll_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('sigma_poll_reads', TG_TABLE_NAME);
            RETURN NULL;
        END $$"""
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_poll_notify "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION sigma_poll_notify()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_poll_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS sigma_poll_notify()")

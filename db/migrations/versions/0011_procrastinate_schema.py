"""Procrastinate's job queue tables (PostgreSQL only; SQLite runs stay in-process)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 12:30:00
"""

from collections.abc import Sequence

from alembic import op

from db.job_schema import apply_job_schema

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The schema of procrastinate 3.10. A newer Procrastinate ships SQL migrations in
# procrastinate/sql/migrations: apply the ones past 3.10 in a new revision of this chain.


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    apply_job_schema(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in ("periodic_defers", "events", "jobs", "workers"):
        op.execute(f"DROP TABLE IF EXISTS procrastinate_{table} CASCADE")
    op.execute(
        """DO $$ DECLARE f record; BEGIN
        FOR f IN SELECT oid::regprocedure AS sig FROM pg_proc
                 WHERE proname LIKE 'procrastinate\\_%' LOOP
            EXECUTE 'DROP FUNCTION ' || f.sig || ' CASCADE';
        END LOOP; END $$"""
    )
    for type_ in ("job_to_defer_v1", "job_event_type", "job_status"):
        op.execute(f"DROP TYPE IF EXISTS procrastinate_{type_} CASCADE")

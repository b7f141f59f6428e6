"""Whether the database can serve this code: it answers, and its schema is at the migrations'
head. Read by GET /readyz; says why not in words that carry no connection details."""

import asyncio
from dataclasses import dataclass
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import alembic_config


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str | None
    revision: str | None  # the database's, when it answered
    head: str  # the code's


@cache
def code_head() -> str:
    """The newest migration this code ships (read once: the files do not change under us)."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return ",".join(sorted(heads))


def _database_heads(connection: Connection) -> str | None:
    heads = MigrationContext.configure(connection).get_current_heads()
    return ",".join(sorted(heads)) or None


async def readiness(engine: AsyncEngine, timeout: float = 3.0) -> Readiness:
    head = code_head()
    try:
        async with asyncio.timeout(timeout):
            async with engine.connect() as connection:
                revision = await connection.run_sync(_database_heads)
    except TimeoutError:
        return Readiness(False, f"the database did not answer within {timeout:g} s", None, head)
    except Exception as failure:
        # The class name only: a driver's message may name hosts, users or paths.
        reason = f"the database is unreachable ({type(failure).__name__})"
        return Readiness(False, reason, None, head)
    if revision != head:
        reason = f"the database schema is at {revision or 'no migration'}, the code needs {head}"
        return Readiness(False, reason + "; run the migrations", revision, head)
    return Readiness(True, None, revision, head)

"""Per-request context: collaborators of the resolvers, and DataLoaders that batch row lookups."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from db.engine import SessionFactory
from db.entities import catalog_ids_for
from db.models import Schema
from db.schemas import schemas_by_ids
from graph.services import Services


@dataclass
class Loaders:
    catalog_ids: DataLoader[str, list[str]]
    schemas: DataLoader[str, Schema | None]


def make_loaders(sessions: SessionFactory) -> Loaders:
    # Each batch opens its own session: resolvers run concurrently, and one AsyncSession must not.
    async def load_catalog_ids(keys: list[str]) -> list[list[str]]:
        async with sessions() as session:
            found = await catalog_ids_for(session, keys)
        return [found.get(key, []) for key in keys]

    async def load_schemas(keys: list[str]) -> list[Schema | None]:
        async with sessions() as session:
            found = await schemas_by_ids(session, keys)
        return [found.get(key) for key in keys]

    return Loaders(
        catalog_ids=DataLoader(load_fn=load_catalog_ids),
        schemas=DataLoader(load_fn=load_schemas),
    )


@dataclass
class Context:
    services: Services
    _loaders: Loaders | None = None
    # The id the response carries (X-Request-Id, extensions.requestId) and the log lines name.
    request_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def loaders(self) -> Loaders:
        # Made on first use: most requests (polls, mutations) never batch a lookup.
        if self._loaders is None:
            self._loaders = make_loaders(self.services.sessions)
        return self._loaders

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.services.sessions() as session:
            yield session

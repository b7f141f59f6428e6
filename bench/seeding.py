"""Deterministic PIM entities and the database they live in, seeded in batches for large N."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import text

from db.engine import SessionFactory, apply_migrations, create_engine, session_factory
from db.entities import entities_by_ids, insert_entities, update_entity_attributes
from db.models import Entity
from db.schemas import create_catalog, create_schema
from db.secret_box import SecretBox
from db.settings import Settings
from sync.channels import ChannelInput, create_channel
from sync.default_schema import DEFAULT_PRODUCT_ATTRIBUTES

VENDORS = ["Acme", "Northwind", "Globex", "Initech", "Umbrella"]
TYPES = ["T-Shirt", "Hoodie", "Sneakers", "Mug", "Poster"]
TAGS = ["new", "sale", "summer", "winter", "eco", "gift"]
SIZES = ["S", "M", "L", "XL"]
COLOURS = ["Black", "White", "Navy", "Red"]
BATCH = 2000


def entity_attributes(n: int, seed: int = 1) -> dict[str, Any]:
    """Entity number `n`: 40% single-variant (sku/price), 60% with 2-8 option variants."""
    rng = random.Random(seed * 1_000_003 + n)
    kind = rng.choice(TYPES)
    name = f"Bench {kind} {n}"
    attributes: dict[str, Any] = {
        "name": name,
        "description": f"<p>{name}, a benchmark product.</p>",
        "vendor": rng.choice(VENDORS),
        "productType": kind,
        "tags": sorted(rng.sample(TAGS, rng.randint(0, 3))),
        "status": rng.choices(["ACTIVE", "DRAFT"], [9, 1])[0],
        "images": [f"https://cdn.example.com/bench-{n}-{k}.jpg" for k in range(rng.randint(0, 2))],
    }
    price = f"{rng.randint(5, 199)}.{rng.choice(['00', '50', '99'])}"
    if rng.random() < 0.4:
        attributes["sku"] = f"B-{n:06d}"
        attributes["price"] = price
    else:
        sizes = rng.sample(SIZES, rng.randint(2, 4))
        colours = rng.sample(COLOURS, rng.randint(1, 2))
        attributes["variants"] = [
            {"sku": f"B-{n:06d}-{s}-{c}", "price": price, "options": {"Size": s, "Colour": c}}
            for s in sizes
            for c in colours
        ]
    return attributes


def attribute_stream(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    return (entity_attributes(n, seed) for n in range(count))


@dataclass
class BenchDatabase:
    sessions: SessionFactory
    box: SecretBox
    settings: Settings
    schema_id: str
    catalog_id: str

    async def add_channel(self, name: str, shop: str, token: str) -> str:
        async with self.sessions() as session:
            channel = await create_channel(
                session,
                self.box,
                ChannelInput(
                    name=name,
                    shop_domain=shop,
                    access_token=token,
                    schema_id=self.schema_id,
                    catalog_ids=[self.catalog_id],
                ),
                allow_any_host=True,
            )
        return channel.id


async def open_database(path: str, shopify_base_url: str) -> BenchDatabase:
    """A migrated SQLite database with the product schema and one catalog, no entities.
    `path` may instead be a database URL; a PostgreSQL database is emptied first."""
    url = path if "://" in path else f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    if url.startswith("postgresql"):
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await apply_migrations(engine)
    sessions = session_factory(engine)
    key = Fernet.generate_key().decode()
    settings = Settings(
        database_url=url, api_token="bench", secret_key=key, shopify_base_url=shopify_base_url
    )
    async with sessions() as session:
        schema = await create_schema(session, "Product", DEFAULT_PRODUCT_ATTRIBUTES)
        catalog = await create_catalog(session, "Web")
    return BenchDatabase(sessions, SecretBox(key), settings, schema.id, catalog.id)


async def seed_entities(db: BenchDatabase, count: int, seed: int = 1) -> list[str]:
    """Insert `count` entities, BATCH per transaction; returns their ids in creation order."""
    ids: list[str] = []
    batch: list[Entity] = []
    for attributes in attribute_stream(count, seed):
        batch.append(Entity(schema_id=db.schema_id, attributes=attributes))
        if len(batch) >= BATCH:
            ids += await _insert(db, batch)
            batch = []
    ids += await _insert(db, batch)
    return ids


async def _insert(db: BenchDatabase, batch: list[Entity]) -> list[str]:
    if not batch:
        return []
    async with db.sessions() as session:
        await insert_entities(session, batch, db.catalog_id)
        await session.commit()
    return [entity.id for entity in batch]


async def edit_entities(db: BenchDatabase, ids: list[str], suffix: str) -> None:
    """Rename the given entities locally (a change every field mapping notices)."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        async with db.sessions() as session:
            rows = await entities_by_ids(session, chunk)
            changes = {
                entity_id: {**row.attributes, "name": f"{row.attributes['name']} {suffix}"}
                for entity_id, row in rows.items()
            }
            await update_entity_attributes(session, changes)
            await session.commit()

"""`sigma demo`: the API with an in-process Shopify emulator and sample data, ready to sync."""

import asyncio
import secrets
import tempfile
from pathlib import Path

import uvicorn

from db.engine import apply_migrations, create_engine, session_factory
from db.entities import insert_entities
from db.models import Entity
from db.schemas import create_catalog, create_schema
from db.secret_box import SecretBox
from db.settings import Settings
from emulator.runner import run_emulator
from graph.app import create_app
from sync.channels import ChannelInput, create_channel
from sync.default_schema import DEFAULT_PRODUCT_ATTRIBUTES

SHOP = "sigma-demo.myshopify.com"
SHOP_TOKEN = "shpat_demo_token"


def _sample_entities(schema_id: str) -> list[Entity]:
    entities = [
        Entity(
            schema_id=schema_id,
            attributes={
                "name": f"Ceramic mug no. {index}",
                "description": "<p>Stoneware, 350 ml.</p>",
                "vendor": "Sigma Pottery",
                "productType": "Mug",
                "tags": ["kitchen", "ceramic"],
                "status": "ACTIVE",
                "sku": f"MUG-{index:03d}",
                "price": f"{12 + index}.50",
            },
        )
        for index in range(1, 9)
    ]
    entities.append(
        Entity(
            schema_id=schema_id,
            attributes={
                "name": "Linen shirt",
                "vendor": "Sigma Apparel",
                "status": "DRAFT",
                "variants": [
                    {"sku": f"SHIRT-{size}", "price": "49.00", "options": {"Size": size}}
                    for size in ("S", "M", "L")
                ],
            },
        )
    )
    return entities


async def _seed(settings: Settings) -> str:
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    await apply_migrations(engine)
    async with sessions() as session:
        schema = await create_schema(session, "Product", DEFAULT_PRODUCT_ATTRIBUTES)
        catalog = await create_catalog(session, "Web shop")
        await insert_entities(session, _sample_entities(schema.id), catalog.id)
        await session.commit()
        channel = await create_channel(
            session,
            SecretBox(settings.secret_key),
            ChannelInput(
                name="Demo store",
                shop_domain=SHOP,
                access_token=SHOP_TOKEN,
                schema_id=schema.id,
                catalog_ids=[catalog.id],
            ),
            allow_any_host=True,
        )
    await engine.dispose()
    return channel.id


def _instructions(url: str, token: str, channel_id: str, emulator_url: str) -> str:
    auth = f'-H "Authorization: Bearer {token}"'
    return f"""
Sigma demo is running.
  API        {url}/graphql   (GraphiQL; add the header Authorization: Bearer {token})
  emulator   {emulator_url}  (a Shopify store with 12 products, token {SHOP_TOKEN})
  channel    {channel_id}    (9 sample entities in the catalog 'Web shop')

Try:
  curl -s -X POST {url}/channels/{channel_id}/test-connection {auth}
  curl -s -X POST {url}/channels/{channel_id}/push {auth} -d '{{"wait": true}}'
  curl -s -X POST {url}/channels/{channel_id}/sync {auth} -d '{{"wait": true}}'
  curl -s {url}/channels/{channel_id}/sync-logs {auth}
  curl -s {url}/channels/{channel_id}/sync-mappings {auth}
Press Ctrl-C to stop; the demo database is deleted on exit.
"""


async def run_demo(host: str, port: int, emulator_port: int) -> int:
    with tempfile.TemporaryDirectory(prefix="sigma-demo-") as directory:
        async with run_emulator(
            shop=SHOP, token=SHOP_TOKEN, products=12, port=emulator_port, seed=1
        ) as emulator:
            settings = Settings(
                database_url=f"sqlite+aiosqlite:///{Path(directory) / 'demo.db'}",
                api_token=secrets.token_urlsafe(24),
                secret_key=secrets.token_urlsafe(32),
                shopify_base_url=emulator.base_url,
            )
            channel_id = await _seed(settings)
            server = uvicorn.Server(
                uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning")
            )
            serving = asyncio.create_task(server.serve())
            while not server.started and not serving.done():
                await asyncio.sleep(0.05)
            if server.started:
                url = f"http://{host}:{port}"
                print(_instructions(url, settings.api_token, channel_id, emulator.base_url))
            await serving
    return 0

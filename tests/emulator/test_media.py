"""Media processing (PROCESSING -> READY / FAILED), file names, the file library, redirects."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from emulator.runner import Emulator, run_emulator
from tests.helpers.emulator_calls import TOKEN, Call, make_call, product_set

MEDIA = """
query($id: ID!) {
  product(id: $id) {
    media(first: 10) { nodes { ... on MediaImage { id status alt image { url } } } }
  }
}
"""


@pytest.fixture
async def slow_emu() -> AsyncIterator[Emulator]:
    async with run_emulator(token=TOKEN, bucket=1e6, restore_rate=1e5, media_delay=30) as running:
        yield running


@pytest.fixture
def slow_gql(slow_emu: Emulator, session: aiohttp.ClientSession) -> Call:
    return make_call(slow_emu, session)


async def test_media_processing_then_ready_or_failed(slow_emu: Emulator, slow_gql: Call) -> None:
    files = [
        {"originalSource": "https://img.example.com/a.jpg", "alt": "A"},
        {"originalSource": "https://img.unreachable.invalid/b.jpg", "alt": "B"},
    ]
    created = (await product_set(slow_gql, {"title": "Mug", "files": files}))["product"]
    _, body = await slow_gql(MEDIA, {"id": created["id"]})
    nodes = body["data"]["product"]["media"]["nodes"]
    assert [(n["status"], n["image"], n["alt"]) for n in nodes] == [
        ("PROCESSING", None, "A"),
        ("PROCESSING", None, "B"),
    ]
    slow_emu.clock.advance(31)
    _, body = await slow_gql(MEDIA, {"id": created["id"]})
    nodes = body["data"]["product"]["media"]["nodes"]
    assert [n["status"] for n in nodes] == ["READY", "FAILED"]
    assert nodes[0]["image"]["url"] and nodes[1]["image"] is None


async def test_every_source_is_a_new_file_renamed_on_collision(emu: Emulator, gql: Call) -> None:
    files = [{"originalSource": "https://img.example.com/same.jpg"}]
    first = (await product_set(gql, {"title": "One", "files": files}))["product"]
    second = (await product_set(gql, {"title": "Two", "files": files}))["product"]
    assert emu.store.file_count() == 2
    _, body = await gql("{ files(first: 10) { nodes { id fileStatus alt } } }")
    assert len(body["data"]["files"]["nodes"]) == 2
    assert {n["fileStatus"] for n in body["data"]["files"]["nodes"]} == {"READY"}
    names = sorted(m.filename for m in emu.store.library.values())
    assert names[0] == "same.jpg" and names[1].startswith("same_") and names[1].endswith(".jpg")
    assert first["id"] != second["id"]
    refused = await product_set(
        gql,
        {
            "title": "Three",
            "files": [{**files[0], "duplicateResolutionMode": "RAISE_ERROR"}],
        },
    )
    assert refused["userErrors"][0]["field"] == ["input", "files", "0", "filename"]
    assert emu.store.file_count() == 2


async def test_redirect_new_handle(emu: Emulator, gql: Call) -> None:
    created = (await product_set(gql, {"title": "Mug", "handle": "mug"}))["product"]
    await product_set(gql, {"handle": "mug-2"}, {"id": created["id"]})
    assert emu.store.redirects == []
    await product_set(gql, {"handle": "mug-3", "redirectNewHandle": True}, {"id": created["id"]})
    _status, body = await gql(
        "mutation($p: ProductUpdateInput) { productUpdate(product: $p) "
        "{ product { handle } userErrors { message } } }",
        {"p": {"id": created["id"], "handle": "mug-4", "redirectNewHandle": True}},
    )
    assert body["data"]["productUpdate"]["product"] == {"handle": "mug-4"}
    assert [(r.path, r.target) for r in emu.store.redirects] == [
        ("/products/mug-2", "/products/mug-3"),
        ("/products/mug-3", "/products/mug-4"),
    ]

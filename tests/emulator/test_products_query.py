"""products(...) pagination, filters and sorting; product lookups."""

from datetime import UTC, datetime, timedelta

from emulator.runner import Emulator
from tests.helpers.emulator_calls import Call, product_set

PAGE = """query($first: Int, $last: Int, $after: String, $before: String, $query: String,
  $sortKey: ProductSortKeys, $reverse: Boolean) {
  products(first: $first, last: $last, after: $after, before: $before, query: $query,
    sortKey: $sortKey, reverse: $reverse) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }"""


async def _titles(gql: Call, **variables: object) -> tuple[list[str], dict[str, object]]:
    _, body = await gql(PAGE, dict(variables))
    assert "errors" not in body, body
    products = body["data"]["products"]
    return [e["node"]["title"] for e in products["edges"]], products["pageInfo"]


async def _make(gql: Call, count: int) -> None:
    for n in range(count):
        await product_set(gql, {"title": f"P{n}", "tags": ["even" if n % 2 == 0 else "odd"]})


async def test_paginates_forward_and_backward(gql: Call) -> None:
    await _make(gql, 5)
    titles, info = await _titles(gql, first=2)
    assert titles == ["P0", "P1"] and info["hasNextPage"] and not info["hasPreviousPage"]
    titles, info = await _titles(gql, first=2, after=info["endCursor"])
    assert titles == ["P2", "P3"] and info["hasNextPage"] and info["hasPreviousPage"]
    titles, last_info = await _titles(gql, first=2, after=info["endCursor"])
    assert titles == ["P4"] and not last_info["hasNextPage"]
    titles, back = await _titles(gql, last=2, before=info["startCursor"])
    assert titles == ["P0", "P1"] and back["hasNextPage"] and not back["hasPreviousPage"]
    titles, _ = await _titles(gql, last=2)
    assert titles == ["P3", "P4"]
    titles, _ = await _titles(gql, first=2, reverse=True)
    assert titles == ["P4", "P3"]


async def test_first_or_last_is_required_and_capped(gql: Call) -> None:
    _, body = await gql('{ products(query: "x") { nodes { id } } }')
    assert body["errors"][0]["message"] == "you must provide one of first or last"
    _, body = await gql("{ products(first: 251) { nodes { id } } }")
    assert "250" in body["errors"][0]["message"]


async def test_updated_at_filter_and_sort(emu: Emulator, gql: Call) -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    emu.clock.set(start)
    await _make(gql, 2)
    emu.clock.advance(3600)
    await product_set(gql, {"title": "Later"})
    since = (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    titles, _ = await _titles(gql, first=10, query=f"updated_at:>'{since}'")
    assert titles == ["Later"]
    titles, _ = await _titles(
        gql,
        first=10,
        query="updated_at:>='2026-03-01T00:00:00Z'",
        sortKey="UPDATED_AT",
        reverse=True,
    )
    assert titles[0] == "Later" and len(titles) == 3
    titles, _ = await _titles(gql, first=10, query="updated_at:<'2026-03-01T00:30:00Z'")
    assert sorted(titles) == ["P0", "P1"]


async def test_tag_sku_id_filters_and_title_sort(gql: Call) -> None:
    await _make(gql, 4)
    titles, _ = await _titles(gql, first=10, query="tag:even")
    assert titles == ["P0", "P2"]
    created = await product_set(
        gql,
        {
            "title": "Alpha",
            "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
            "variants": [
                {"optionValues": [{"optionName": "Title", "name": "Default Title"}], "sku": "ABC-1"}
            ],
        },
    )
    titles, _ = await _titles(gql, first=10, query="sku:ABC-1")
    assert titles == ["Alpha"]
    number = int(created["product"]["id"].rsplit("/", 1)[1])
    titles, _ = await _titles(gql, first=10, query=f"id:>{number - 1} AND title:Alpha")
    assert titles == ["Alpha"]
    titles, _ = await _titles(gql, first=10, query="tag:even OR tag:odd", sortKey="TITLE")
    assert titles == ["P0", "P1", "P2", "P3"]
    titles, _ = await _titles(gql, first=10, query="-tag:even", sortKey="TITLE")
    assert titles == ["Alpha", "P1", "P3"]


async def test_product_lookups_and_nodes(gql: Call) -> None:
    created = await product_set(gql, {"title": "Lookup me", "handle": "lookup-me"})
    product_id = created["product"]["id"]
    _, body = await gql(
        f'{{ product(id: "{product_id}") {{ handle variantsCount {{ count }} '
        f"hasOnlyDefaultVariant }} }}"
    )
    assert body["data"]["product"] == {
        "handle": "lookup-me",
        "variantsCount": {"count": 1},
        "hasOnlyDefaultVariant": True,
    }
    _, body = await gql('{ productByIdentifier(identifier: {handle: "lookup-me"}) { id } }')
    assert body["data"]["productByIdentifier"]["id"] == product_id
    _, body = await gql(
        f'{{ nodes(ids: ["{product_id}", "gid://shopify/Product/1"]) {{ id ... on Product {{ '
        f"title }} }} }}"
    )
    assert body["data"]["nodes"] == [{"id": product_id, "title": "Lookup me"}, None]

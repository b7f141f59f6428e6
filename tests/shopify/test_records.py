from sync.shopify import ShopInfo, UserError, product_record
from sync.shopify.records import connection_nodes
from tests.helpers.shopify_nodes import product_node


def test_product_record_flattens_connections_and_keeps_media_images_in_order() -> None:
    node = product_node(
        7,
        variants=2,
        metafields=[
            {
                "namespace": "sigma",
                "key": "entity_id",
                "type": "single_line_text_field",
                "value": "e1",
            }
        ],
    )
    record = product_record(node)
    assert record["id"] == "gid://shopify/Product/7"
    assert record["tags"] == ["b", "a"]  # order kept; canonicalisation is the checksum's job
    assert record["seo"] == {"title": None, "description": None}
    assert [v["sku"] for v in record["variants"]] == ["SKU-7-0", "SKU-7-1"]
    assert record["variants"][1]["price"] == "1.50"
    assert record["variants"][0]["selectedOptions"] == [{"name": "Size", "value": "S0"}]
    assert record["metafields"] == [
        {"namespace": "sigma", "key": "entity_id", "type": "single_line_text_field", "value": "e1"}
    ]
    assert record["images"] == ["https://cdn.example/7/1.jpg", "https://cdn.example/7/2.jpg"]
    assert record["options"] == [{"name": "Size", "values": ["S0", "S1"]}]


def test_product_record_tolerates_null_seo_and_missing_connections() -> None:
    record = product_record(
        {
            "id": "gid://shopify/Product/1",
            "title": "T",
            "seo": None,
            "descriptionHtml": None,
            "tags": [],
        }
    )
    assert record["seo"] == {"title": None, "description": None}
    assert record["descriptionHtml"] == ""
    assert record["variants"] == [] and record["images"] == [] and record["metafields"] == []


def test_product_record_accepts_edges_form() -> None:
    node = product_node(3)
    node["variants"] = {"edges": [{"node": v} for v in node["variants"]["nodes"]]}
    assert product_record(node)["variants"][0]["id"] == "gid://shopify/ProductVariant/3000"


def test_connection_nodes_shapes() -> None:
    assert connection_nodes(None) == []
    assert connection_nodes([1]) == [1]
    assert connection_nodes({"nodes": [2]}) == [2]
    assert connection_nodes({"edges": [{"node": 3}]}) == [3]


def test_shop_info_and_user_error_text() -> None:
    info = ShopInfo.from_node(
        {
            "name": "S",
            "myshopifyDomain": "s.myshopify.com",
            "primaryDomain": {"url": "https://s.com"},
            "plan": {"displayName": "Plus"},
            "currencyCode": "USD",
            "ianaTimezone": "UTC",
        }
    )
    assert info.plan_name == "Plus" and info.primary_domain_url == "https://s.com"
    error = UserError.from_node({"field": ["input", "handle"], "message": "taken", "code": "TAKEN"})
    assert str(error) == "input.handle: taken (TAKEN)"

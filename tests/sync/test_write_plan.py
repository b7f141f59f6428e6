"""What a push writes, and with which mutation: productSet never replaces what it does not own."""

from sync.fields import DEFAULT_MAPPINGS, FieldMapping
from sync.remote_ids import MediaSource, VariantKey
from sync.write_plan import plan_write

IMAGES = [FieldMapping("name", "title"), FieldMapping("images", "images")]


def test_known_images_are_sent_by_id_new_ones_by_source_with_alt_and_order() -> None:
    known = [
        MediaSource(id="gid://shopify/MediaImage/1", source="https://img/a.jpg"),
        MediaSource(id="gid://shopify/MediaImage/2", source="https://img/b.jpg"),
    ]
    attributes = {
        "name": "Mug",
        "images": [
            "https://img/b.jpg",
            {"url": "https://img/c.jpg", "alt": "Side"},
            {"url": "https://img/a.jpg", "alt": "Front"},
        ],
    }
    plan = plan_write(attributes, IMAGES, entity_id="e1", create=False, known_media=known)
    assert plan.input["files"] == [
        {"id": "gid://shopify/MediaImage/2"},
        {"originalSource": "https://img/c.jpg", "contentType": "IMAGE", "alt": "Side"},
        {"id": "gid://shopify/MediaImage/1", "alt": "Front"},
    ]
    assert plan.images == ["https://img/b.jpg", "https://img/c.jpg", "https://img/a.jpg"]
    # the same image twice is one kept file and one new upload, never one id twice
    twice = plan_write(
        {"images": ["https://img/a.jpg", "https://img/a.jpg"]},
        IMAGES, entity_id="e1", create=False, known_media=known,
    )  # fmt: skip
    assert [sorted(f) for f in twice.input["files"]] == [["id"], ["contentType", "originalSource"]]


def test_an_update_sends_the_known_variant_ids() -> None:
    known = [
        VariantKey(id="gid://shopify/ProductVariant/1", options={"Size": "S"}, sku="S"),
        VariantKey(id="gid://shopify/ProductVariant/2", options={"Size": "M"}, sku="M"),
    ]
    variants = [
        {"options": {"Size": "M"}, "sku": "M", "price": "6"},
        {"options": {"Size": "L"}, "sku": "L", "price": "7"},
    ]
    plan = plan_write(
        {"variants": variants}, DEFAULT_MAPPINGS, entity_id="e1", create=False,
        known_variants=known,
    )  # fmt: skip
    assert [v.get("id") for v in plan.input["variants"]] == [
        "gid://shopify/ProductVariant/2",
        None,  # a new variant: no id, Shopify creates it
    ]
    assert plan.variant_update is None and plan.metafields == [] and plan.cleared == []


def test_a_handle_change_asks_for_a_redirect_on_updates_only() -> None:
    mappings = [FieldMapping("slug", "handle")]
    update = plan_write({"slug": "mug-2"}, mappings, entity_id="e1", create=False)
    assert update.input == {"handle": "mug-2", "redirectNewHandle": True}
    create = plan_write({"slug": "mug-2"}, mappings, entity_id="e1", create=True)
    assert "redirectNewHandle" not in create.input


def test_absent_and_empty_mapped_metafields_are_deleted_unmapped_never_named() -> None:
    mappings = [
        FieldMapping("material", "metafield.custom.material"),
        FieldMapping("care", "metafield.custom.care"),
        FieldMapping("origin", "metafield.custom.origin", metafield_type="single_line_text_field"),
    ]
    plan = plan_write({"material": "wool", "care": ""}, mappings, entity_id="e1", create=False)
    assert plan.metafields == [
        {"namespace": "custom", "key": "material", "type": "single_line_text_field",
         "value": "wool"}
    ]  # fmt: skip
    assert plan.cleared == [("custom", "care"), ("custom", "origin")]
    assert "metafields" not in plan.input
    assert plan.needs_more

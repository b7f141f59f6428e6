from db.errors import UserErrorCode
from sync.field_rules import parse_field_mappings, validate_field_mappings
from sync.fields import (
    DEFAULT_MAPPINGS,
    FieldMapping,
    MappingDirection,
    field_mappings_to_json,
    mappings_or_default,
)

SCHEMA = {
    "name": "text",
    "description": "richtext",
    "price": "money",
    "active": "boolean",
    "colors": "list",
    "specs": "json",
    "weight": "number",
}


def codes(mappings: list[FieldMapping], schema: dict[str, str] | None = SCHEMA) -> list[str]:
    return [problem.code for problem in validate_field_mappings(mappings, schema)]


def test_default_mappings_are_the_designed_ones() -> None:
    pairs = [(m.attribute, m.field, m.direction) for m in DEFAULT_MAPPINGS]
    assert pairs == [
        ("name", "title", MappingDirection.BOTH),
        ("description", "descriptionHtml", MappingDirection.BOTH),
        ("vendor", "vendor", MappingDirection.BOTH),
        ("productType", "productType", MappingDirection.BOTH),
        ("tags", "tags", MappingDirection.BOTH),
        ("status", "status", MappingDirection.BOTH),
        ("sku", "variant.sku", MappingDirection.BOTH),
        ("price", "variant.price", MappingDirection.BOTH),
        ("variants", "variants", MappingDirection.BOTH),
        ("images", "images", MappingDirection.BOTH),
    ]
    assert validate_field_mappings(DEFAULT_MAPPINGS, None) == []
    assert mappings_or_default([]) == DEFAULT_MAPPINGS
    own = [FieldMapping("name", "title")]
    assert mappings_or_default(own) == tuple(own)


def test_every_vocabulary_field_is_accepted() -> None:
    fields = [
        "title", "descriptionHtml", "vendor", "productType", "handle", "status", "tags",
        "seo.title", "seo.description", "variant.sku", "variant.price",
        "variant.compareAtPrice", "variant.barcode", "variants", "images",
        "metafield.custom.material", "metafield.my-app_1.key_2",
    ]  # fmt: skip
    mappings = [FieldMapping(f"a{i}", field) for i, field in enumerate(fields)]
    assert validate_field_mappings(mappings, None) == []


def test_unknown_field_names_the_mapping_and_suggests() -> None:
    problems = validate_field_mappings(
        [
            FieldMapping("name", "title"),
            FieldMapping("vendor", "vendor"),
            FieldMapping("x", "titel"),
        ],
        None,
    )
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.index, problem.key, problem.code) == (2, "field", UserErrorCode.UNKNOWN_FIELD)
    assert problem.message.startswith("fieldMappings[2].field: unknown Shopify field 'titel'")
    assert "did you mean 'title'" in problem.message
    assert problem.path() == ["fieldMappings", "2", "field"]


def test_blank_attribute_and_field_are_required() -> None:
    problems = validate_field_mappings([FieldMapping("", "")], None)
    assert {(p.key, p.code) for p in problems} == {
        ("attribute", UserErrorCode.REQUIRED),
        ("field", UserErrorCode.REQUIRED),
    }


def test_unknown_attribute_only_with_a_schema() -> None:
    mapping = [FieldMapping("nmae", "title")]
    problems = validate_field_mappings(mapping, SCHEMA)
    assert [(p.key, p.code) for p in problems] == [("attribute", UserErrorCode.UNKNOWN_ATTRIBUTE)]
    assert "'nmae'" in problems[0].message
    assert validate_field_mappings(mapping, None) == []


def test_duplicate_target_flags_the_later_mapping() -> None:
    problems = validate_field_mappings(
        [FieldMapping("name", "title"), FieldMapping("label", "title", MappingDirection.PUSH)],
        None,
    )
    assert [(p.index, p.key, p.code) for p in problems] == [
        (1, "field", UserErrorCode.DUPLICATE_TARGET)
    ]
    assert "fieldMappings[0]" in problems[0].message


def test_one_attribute_may_feed_two_fields_but_be_pulled_from_one() -> None:
    push_twice = [
        FieldMapping("name", "title"),
        FieldMapping("name", "seo.title", MappingDirection.PUSH),
    ]
    assert validate_field_mappings(push_twice, None) == []
    pull_twice = [FieldMapping("name", "title"), FieldMapping("name", "seo.title")]
    assert codes(pull_twice) == [UserErrorCode.DUPLICATE_ATTRIBUTE]


def test_metafield_key_rules() -> None:
    bad = [
        "metafield.custom",  # no key
        "metafield.a.b.c",  # too many parts
        "metafield.ab.material",  # namespace too short
        "metafield.custom.k",  # key too short
        "metafield.custom." + "k" * 65,  # key too long
        "metafield.cus tom.material",  # space
        "metafield.custom.mat$rial",
    ]
    for field in bad:
        assert codes([FieldMapping("name", field)], None) == [
            UserErrorCode.INVALID_METAFIELD_KEY
        ], field
    ok = ["metafield.abc.kk", "metafield." + "n" * 255 + "." + "k" * 64]
    for field in ok:
        assert codes([FieldMapping("name", field)], None) == [], field


def test_sigma_namespace_is_reserved() -> None:
    for field in ("metafield.sigma.entity_id", "metafield.Sigma.other"):
        problems = validate_field_mappings([FieldMapping("name", field)], None)
        assert [p.code for p in problems] == [UserErrorCode.RESERVED_NAMESPACE]
        assert "reserved" in problems[0].message


def test_metafield_type_rules() -> None:
    assert codes([FieldMapping("specs", "metafield.custom.specs", metafield_type="json")]) == []
    problems = validate_field_mappings(
        [FieldMapping("name", "metafield.custom.x1", metafield_type="single_line_txt")], None
    )
    assert [(p.key, p.code) for p in problems] == [
        ("metafieldType", UserErrorCode.INVALID_METAFIELD_TYPE)
    ]
    assert "single_line_txt" in problems[0].message
    not_a_metafield = [FieldMapping("name", "title", metafield_type="json")]
    assert codes(not_a_metafield) == [UserErrorCode.INVALID_METAFIELD_TYPE]


def test_obvious_type_mismatches() -> None:
    assert codes([FieldMapping("active", "tags")]) == [UserErrorCode.TYPE_MISMATCH]
    assert codes([FieldMapping("colors", "title")]) == [UserErrorCode.TYPE_MISMATCH]
    assert codes([FieldMapping("name", "variants")]) == [UserErrorCode.TYPE_MISMATCH]
    assert codes([FieldMapping("specs", "variant.price")]) == [UserErrorCode.TYPE_MISMATCH]
    assert codes([FieldMapping("weight", "metafield.custom.flag", metafield_type="boolean")]) == [
        UserErrorCode.TYPE_MISMATCH
    ]
    fine = [
        FieldMapping("name", "title"),
        FieldMapping("description", "descriptionHtml"),
        FieldMapping("price", "variant.price"),
        FieldMapping("colors", "tags"),
        FieldMapping("active", "metafield.custom.active", metafield_type="boolean"),
        FieldMapping("specs", "metafield.custom.specs", metafield_type="json"),
        FieldMapping("weight", "metafield.custom.weight", metafield_type="number_decimal"),
    ]
    assert codes(fine) == []
    message = validate_field_mappings([FieldMapping("active", "tags")], SCHEMA)[0].message
    assert (
        message == "fieldMappings[0].field: 'tags' cannot hold attribute 'active' of type boolean"
    )


def test_invalid_direction_on_a_constructed_mapping() -> None:
    mapping = FieldMapping("name", "title", "SIDEWAYS")  # type: ignore[arg-type]
    assert codes([mapping], None) == [UserErrorCode.INVALID_DIRECTION]


def test_parse_accepts_api_dicts_and_round_trips_json() -> None:
    raw = [
        {"attribute": "name", "field": "title"},
        {"attribute": "price", "field": "variant.price", "direction": "push"},
        {"attribute": "specs", "field": "metafield.custom.specs", "direction": "PULL",
         "metafieldType": "json"},
    ]  # fmt: skip
    mappings, problems = parse_field_mappings(raw, SCHEMA)
    assert problems == []
    assert mappings == [
        FieldMapping("name", "title"),
        FieldMapping("price", "variant.price", MappingDirection.PUSH),
        FieldMapping("specs", "metafield.custom.specs", MappingDirection.PULL, "json"),
    ]
    stored = field_mappings_to_json(mappings)
    assert stored[1] == {
        "attribute": "price",
        "field": "variant.price",
        "direction": "PUSH",
        "metafieldType": None,
    }
    assert parse_field_mappings(stored) == (mappings, [])


def test_parse_reports_problems_at_raw_indices() -> None:
    raw = [
        "title",
        {"attribute": "name"},
        {"attribute": "name", "field": "title", "direction": "sideways"},
        {"attribute": "name", "field": "titel"},
        {"attribute": "x", "field": "vendor", "metafieldType": 3},
    ]
    mappings, problems = parse_field_mappings(raw, None)
    found = [(p.index, p.key, p.code) for p in problems]
    assert found == [
        (0, "attribute", "INVALID"),
        (1, "field", UserErrorCode.REQUIRED),
        (2, "direction", UserErrorCode.INVALID_DIRECTION),
        (3, "field", UserErrorCode.UNKNOWN_FIELD),
        (4, "metafieldType", UserErrorCode.INVALID_METAFIELD_TYPE),
    ]
    assert problems[3].message.startswith("fieldMappings[3].field:")
    assert mappings == [FieldMapping("name", "titel")]

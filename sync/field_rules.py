"""Validation of field mappings, run when a channel is saved.

Every problem names the offending mapping (`fieldMappings[2].field`) and carries a UserErrorCode,
so the API layer turns it into a userError as is.
"""

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from db.errors import UserErrorCode
from sync.fields import (
    JSON_METAFIELD_TYPES,
    METAFIELD_PREFIX,
    METAFIELD_TYPES,
    MONEY_FIELDS,
    SCALAR_FIELDS,
    SEO_FIELDS,
    STANDARD_FIELDS,
    VARIANT_FIELDS,
    FieldMapping,
    MappingDirection,
    metafield_ref,
    metafield_type_of,
)
from sync.identity import IDENTITY_NAMESPACE

_NAMESPACE_RE = re.compile(r"[A-Za-z0-9_-]{3,255}")
_KEY_RE = re.compile(r"[A-Za-z0-9_-]{2,64}")

# Schema attribute types that can sensibly feed each kind of field; anything else is a clear
# UserErrorCode.TYPE_MISMATCH. Attribute types outside the schema vocabulary are not checked.
SCHEMA_TYPES = frozenset({"text", "richtext", "number", "money", "boolean", "list", "json"})
_ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "string": frozenset({"text", "richtext", "number"}),
    "html": frozenset({"text", "richtext"}),
    "status": frozenset({"text"}),
    "tags": frozenset({"list", "text", "json"}),
    "money": frozenset({"money", "number", "text"}),
    "code": frozenset({"text", "number"}),
    "list": frozenset({"list", "json"}),
    "number_integer": frozenset({"number", "text"}),
    "number_decimal": frozenset({"number", "money", "text"}),
    "boolean": frozenset({"boolean", "text"}),
    "json": SCHEMA_TYPES,
    "json_list": frozenset({"list", "json"}),
    "metafield_text": frozenset({"text", "richtext", "number", "money"}),
}


@dataclass(frozen=True, slots=True)
class FieldProblem:
    index: int
    key: str  # "attribute" | "field" | "direction" | "metafieldType"
    message: str
    code: UserErrorCode

    def path(self, root: str = "fieldMappings") -> list[str]:
        """The userError `field` path, e.g. ["fieldMappings", "2", "field"]."""
        return [root, str(self.index), self.key]


def _field_kind(mapping: FieldMapping) -> str:
    field = mapping.field
    if field == "descriptionHtml":
        return "html"
    if field in SCALAR_FIELDS or field in SEO_FIELDS:
        return "string"
    if field in MONEY_FIELDS:
        return "money"
    if field in VARIANT_FIELDS:
        return "code"
    if field in ("status", "tags"):
        return field
    if field in ("variants", "images"):
        return "list"
    mtype = metafield_type_of(mapping)
    if mtype in ("number_integer", "number_decimal", "boolean", "json"):
        return mtype
    if mtype in JSON_METAFIELD_TYPES:
        return "json_list" if mtype.startswith("list.") else "json"
    return "metafield_text"


def _field_problems(index: int, mapping: FieldMapping) -> list[FieldProblem]:
    at = f"fieldMappings[{index}].field"
    field = mapping.field
    if not field:
        return [
            FieldProblem(
                index, "field", f"{at}: a Shopify field is required", UserErrorCode.REQUIRED
            )
        ]
    if field.startswith(METAFIELD_PREFIX):
        ref = metafield_ref(field)
        if ref is None:
            message = f"{at}: metafield '{field}' must have the form metafield.<namespace>.<key>"
            return [FieldProblem(index, "field", message, UserErrorCode.INVALID_METAFIELD_KEY)]
        namespace, key = ref
        if namespace.lower() == IDENTITY_NAMESPACE:
            message = f"{at}: metafield namespace '{namespace}' is reserved for Sigma's identity"
            return [FieldProblem(index, "field", message, UserErrorCode.RESERVED_NAMESPACE)]
        problems = []
        if not _NAMESPACE_RE.fullmatch(namespace):
            message = (
                f"{at}: metafield namespace '{namespace}' must be 3-255 characters of letters, "
                "digits, '-' or '_'"
            )
            problems.append(
                FieldProblem(index, "field", message, UserErrorCode.INVALID_METAFIELD_KEY)
            )
        if not _KEY_RE.fullmatch(key):
            message = (
                f"{at}: metafield key '{key}' must be 2-64 characters of letters, digits, "
                "'-' or '_'"
            )
            problems.append(
                FieldProblem(index, "field", message, UserErrorCode.INVALID_METAFIELD_KEY)
            )
        return problems
    if field not in STANDARD_FIELDS:
        message = f"{at}: unknown Shopify field '{field}'"
        close = difflib.get_close_matches(field, sorted(STANDARD_FIELDS), n=1)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        return [FieldProblem(index, "field", message, UserErrorCode.UNKNOWN_FIELD)]
    return []


def _mapping_problems(
    index: int, mapping: FieldMapping, schema_attributes: Mapping[str, str] | None
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    at = f"fieldMappings[{index}]"
    if not mapping.attribute:
        message = f"{at}.attribute: an attribute key is required"
        problems.append(FieldProblem(index, "attribute", message, UserErrorCode.REQUIRED))
    elif schema_attributes is not None and mapping.attribute not in schema_attributes:
        message = f"{at}.attribute: attribute '{mapping.attribute}' is not defined by the schema"
        problems.append(FieldProblem(index, "attribute", message, UserErrorCode.UNKNOWN_ATTRIBUTE))
    field_problems = _field_problems(index, mapping)
    problems.extend(field_problems)
    if not isinstance(mapping.direction, MappingDirection):
        message = f"{at}.direction: direction must be one of BOTH, PUSH, PULL"
        problems.append(FieldProblem(index, "direction", message, UserErrorCode.INVALID_DIRECTION))
    is_metafield = mapping.field.startswith(METAFIELD_PREFIX)
    if mapping.metafield_type is not None:
        if not is_metafield:
            message = f"{at}.metafieldType: metafieldType applies only to metafield.* fields"
            problems.append(
                FieldProblem(index, "metafieldType", message, UserErrorCode.INVALID_METAFIELD_TYPE)
            )
        elif mapping.metafield_type not in METAFIELD_TYPES:
            message = (
                f"{at}.metafieldType: unsupported metafield type '{mapping.metafield_type}' "
                f"(supported: {', '.join(sorted(METAFIELD_TYPES))})"
            )
            problems.append(
                FieldProblem(index, "metafieldType", message, UserErrorCode.INVALID_METAFIELD_TYPE)
            )
    attribute_type = (schema_attributes or {}).get(mapping.attribute)
    if (
        attribute_type in SCHEMA_TYPES
        and not problems
        and attribute_type not in _ALLOWED_TYPES[_field_kind(mapping)]
    ):
        message = (
            f"{at}.field: '{mapping.field}' cannot hold attribute '{mapping.attribute}' "
            f"of type {attribute_type}"
        )
        problems.append(FieldProblem(index, "field", message, UserErrorCode.TYPE_MISMATCH))
    return problems


def _validate_indexed(
    indexed: Sequence[tuple[int, FieldMapping]], schema_attributes: Mapping[str, str] | None
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    target_of: dict[str, int] = {}
    puller_of: dict[str, int] = {}
    for index, mapping in indexed:
        problems.extend(_mapping_problems(index, mapping, schema_attributes))
        if mapping.field:
            if mapping.field in target_of:
                message = (
                    f"fieldMappings[{index}].field: '{mapping.field}' is already mapped by "
                    f"fieldMappings[{target_of[mapping.field]}]"
                )
                problems.append(
                    FieldProblem(index, "field", message, UserErrorCode.DUPLICATE_TARGET)
                )
            else:
                target_of[mapping.field] = index
        # Two fields pulled into one attribute would overwrite each other on every pull.
        if mapping.attribute and mapping.pulls:
            if mapping.attribute in puller_of:
                message = (
                    f"fieldMappings[{index}].attribute: attribute '{mapping.attribute}' is already "
                    f"pulled by fieldMappings[{puller_of[mapping.attribute]}]"
                )
                problems.append(
                    FieldProblem(index, "attribute", message, UserErrorCode.DUPLICATE_ATTRIBUTE)
                )
            else:
                puller_of[mapping.attribute] = index
    return problems


def validate_field_mappings(
    mappings: Sequence[FieldMapping], schema_attributes: Mapping[str, str] | None
) -> list[FieldProblem]:
    """Every problem of a channel's mappings; `schema_attributes` maps attribute key -> type
    (None when the channel has no schema: attribute existence and types are then not checked)."""
    return _validate_indexed(list(enumerate(mappings)), schema_attributes)


def _parse_direction(raw: Any) -> MappingDirection | None:
    if raw is None:
        return MappingDirection.BOTH
    if isinstance(raw, MappingDirection):
        return raw
    if isinstance(raw, str):
        try:
            return MappingDirection(raw.upper())
        except ValueError:
            return None
    return None


def parse_field_mappings(
    raw: Sequence[Any], schema_attributes: Mapping[str, str] | None = None
) -> tuple[list[FieldMapping], list[FieldProblem]]:
    """Parse and validate API/JSON input `[{attribute, field, direction?, metafieldType?}]`.

    Problems index into `raw`; the returned mappings are the well-formed entries only, so use
    them only when the problem list is empty."""
    parsed: list[tuple[int, FieldMapping]] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(raw):
        at = f"fieldMappings[{index}]"
        if not isinstance(item, Mapping):
            message = f"{at}: a mapping must be an object {{attribute, field, direction}}"
            problems.append(FieldProblem(index, "attribute", message, UserErrorCode.INVALID))
            continue
        entry_problems = []
        attribute, field = item.get("attribute"), item.get("field")
        for key, value in (("attribute", attribute), ("field", field)):
            if not isinstance(value, str) or not value.strip():
                message = f"{at}.{key}: a non-empty string is required"
                entry_problems.append(FieldProblem(index, key, message, UserErrorCode.REQUIRED))
        direction = _parse_direction(item.get("direction"))
        if direction is None:
            message = (
                f"{at}.direction: unknown direction {item.get('direction')!r} "
                "(expected BOTH, PUSH or PULL)"
            )
            entry_problems.append(
                FieldProblem(index, "direction", message, UserErrorCode.INVALID_DIRECTION)
            )
        metafield_type = item.get("metafieldType")
        if metafield_type is not None and not isinstance(metafield_type, str):
            message = f"{at}.metafieldType: metafieldType must be a string"
            entry_problems.append(
                FieldProblem(index, "metafieldType", message, UserErrorCode.INVALID_METAFIELD_TYPE)
            )
        if entry_problems:
            problems.extend(entry_problems)
            continue
        assert isinstance(attribute, str) and isinstance(field, str) and direction is not None
        mapping = FieldMapping(attribute.strip(), field.strip(), direction, metafield_type)
        parsed.append((index, mapping))
    problems.extend(_validate_indexed(parsed, schema_attributes))
    problems.sort(key=lambda problem: problem.index)
    return [mapping for _, mapping in parsed], problems

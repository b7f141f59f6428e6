"""A `variants` attribute: its canonical values, and the productSet options and variants built
from them (no I/O)."""

from collections.abc import Mapping, Sequence
from typing import Any

from sync.field_values import MappingError, as_text, money, money_or_raw

MAX_OPTIONS = 3


def _variant_options(options: Mapping[Any, Any]) -> dict[str, str]:
    for name, option in options.items():
        if type(name) is not str or type(option) is not str:
            return {as_text(name): as_text(option) for name, option in options.items()}
    return dict(options)  # already text: as_text would return each one unchanged


def variant_values(value: Any, attribute: str, strict: bool) -> list[dict[str, Any]]:
    if not isinstance(value, list | tuple):
        if strict:
            raise MappingError(f"{attribute}: variants must be a list of objects")
        return []
    variants: list[dict[str, Any]] = []
    for position, item in enumerate(value):
        # `type(...) is dict` first: the Mapping ABC check is slow and attributes are JSON.
        is_mapping = type(item) is dict or isinstance(item, Mapping)
        options = item.get("options") if is_mapping else None
        if not (type(options) is dict or isinstance(options, Mapping)) or not options:
            if strict:
                what = f"{attribute}[{position}]"
                raise MappingError(f"{what}: a variant needs an 'options' object, e.g. {{Size: M}}")
            options = {}
            item = item if is_mapping else {}
        variant: dict[str, Any] = {"options": _variant_options(options)}
        for key in ("sku", "barcode"):
            text = item.get(key)
            if text is not None:
                variant[key] = text if type(text) is str else as_text(text)
        for key in ("price", "compareAtPrice"):
            amount = item.get(key)
            if amount is not None:
                canonical = money(amount)
                variant[key] = (
                    canonical
                    if canonical is not None
                    else money_or_raw(amount, f"{attribute}[{position}].{key}", strict)
                )
        variants.append(variant)
    return variants


def option_names(variants: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Option name -> values, both in first-seen order."""
    names: dict[str, dict[str, None]] = {}
    for variant in variants:
        for name, value in variant["options"].items():
            seen = names.get(name)
            if seen is None:
                names[name] = {value: None}
            else:
                seen[value] = None
    return {name: list(values) for name, values in names.items()}


def variant_inputs(variants: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    options = option_names(variants)
    if len(options) > MAX_OPTIONS:
        raise MappingError(
            f"variants: Shopify allows at most {MAX_OPTIONS} options, got {len(options)}: "
            + ", ".join(options)
        )
    product_options = [
        {"name": name, "position": position, "values": [{"name": value} for value in values]}
        for position, (name, values) in enumerate(options.items(), start=1)
    ]
    names = list(options)
    seen: set[tuple[str, ...]] = set()
    inputs = []
    for position, variant in enumerate(variants):
        chosen = variant["options"]
        # `options` holds every variant's names, so a variant lacks one exactly when it has fewer.
        if len(chosen) < len(names):
            missing = next(name for name in names if name not in chosen)
            raise MappingError(f"variants[{position}].options: no value for option '{missing}'")
        values = [chosen[name] for name in names]
        combination = tuple(values)
        if combination in seen:
            raise MappingError(
                f"variants[{position}].options: {' / '.join(combination)} appears twice"
            )
        seen.add(combination)
        pairs = zip(names, values, strict=True)
        item: dict[str, Any] = {
            "optionValues": [{"optionName": name, "name": value} for name, value in pairs]
        }
        for key, value in variant.items():
            if key != "options":
                item[key] = value
        inputs.append(item)
    return product_options, inputs

"""Whether an operation asks for a field, so a resolver can skip work nobody reads."""

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def selects(info: Info, name: str) -> bool:
    """True when `name` is selected directly under the current field (through fragments too)."""
    stack: list[Selection] = []
    for field in info.selected_fields:
        stack.extend(field.selections)
    while stack:
        node = stack.pop()
        if isinstance(node, SelectedField):
            if node.name == name:
                return True
        elif isinstance(node, FragmentSpread | InlineFragment):
            stack.extend(node.selections)
    return False

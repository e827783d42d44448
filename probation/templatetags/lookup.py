from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    """{{ mapping|get:key }}: a dictionary lookup by a variable key."""
    return mapping.get(key) if mapping else None

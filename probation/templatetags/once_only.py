from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from probation.idempotency import FIELD, new_key

register = template.Library()


@register.simple_tag
def once_only_key() -> SafeString:
    """The hidden once-only key of a form that records something (probation/idempotency.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())

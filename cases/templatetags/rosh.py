"""The RoSH level as a GOV.UK tag, coloured by level: the case pages' one way to show it."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cases.models import Person
from cases.record.selectors import CaseloadRow

register = template.Library()

COLOURS = {"very_high": "red", "high": "orange", "medium": "yellow", "low": "green"}


@register.simple_tag
def rosh_tag(person: Person | CaseloadRow) -> SafeString:
    """`{% rosh_tag person %}`: the person's overall RoSH as a tag, or "Not assessed"."""
    colour = COLOURS.get(person.rosh)
    if colour is None:
        return mark_safe("Not assessed")
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, person.get_rosh_display())

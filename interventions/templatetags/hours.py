from decimal import Decimal

from django import template

from interventions.upw.services import hours_text

register = template.Library()


@register.filter
def hours(value: Decimal | None) -> str:
    """6.50 as "6.5", 24.00 as "24": the way the error messages say it."""
    return hours_text(Decimal(value or 0))

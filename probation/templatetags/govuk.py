from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.utils.safestring import SafeString

from probation import gds_fields

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: forms.BaseForm) -> dict[str, object]:
    """The GOV.UK error summary: every error, each linking to its field (form-wide ones to the first)."""
    fields = form.visible_fields()
    first_id = _input_id(fields[0]) if fields else ""
    items = [(first_id, error) for error in form.non_field_errors()]
    # A hidden field has no place on the page to show its error: it is listed with the form-wide ones.
    items.extend((first_id, error) for field in form.hidden_fields() for error in field.errors)
    for field in fields:
        items.extend((_input_id(field), error) for error in field.errors)
    return {"items": items}


def _input_id(field: forms.BoundField) -> str:
    """The id of the field's first input: a date's day box, a radio group's first option."""
    widget = field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{field.auto_id}_0"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_1"  # crispy-forms-gds numbers options from 1
    return field.auto_id


@register.simple_tag
def govuk_fields(form: forms.BaseForm) -> SafeString:
    """`{% govuk_fields form %}`: the form's fields as `{% crispy form %}` draws them, drawn in Python where every
    field is of a kind probation/gds_fields.py draws (the hot forms' several milliseconds of nested templates)."""
    return gds_fields.render_form(form)


@register.filter
def page_numbers(page: Page[Any]) -> list[int | str]:
    """The numbers the GOV.UK pagination shows: the first and last pages and those beside the current one,
    with the paginator's ellipsis for each gap."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.simple_tag(takes_context=True)
def error_title_prefix(context: template.Context) -> str:
    """GOV.UK starts the title with "Error: " while a form on the page shows errors, so a screen reader user
    hears at once that the submission failed. Any form in the context counts: some pages carry two."""
    has_errors = any(
        isinstance(value, forms.BaseForm) and value.is_bound and value.errors for value in context.flatten().values()
    )
    return "Error: " if has_errors else ""

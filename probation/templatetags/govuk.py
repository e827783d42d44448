from django import forms, template

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: forms.BaseForm) -> dict[str, object]:
    """The GOV.UK error summary: every error, each linking to its field (form-wide ones to the first)."""
    fields = form.visible_fields()
    first_id = _input_id(fields[0]) if fields else ""
    items = [(first_id, error) for error in form.non_field_errors()]
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

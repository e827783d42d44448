from django import forms, template

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def error_summary(form: forms.BaseForm) -> dict[str, object]:
    """The GOV.UK error summary: every error, each linking to its field (form-wide ones to the first)."""
    first_field = next(iter(form.visible_fields()), None)
    first_id = first_field.auto_id if first_field else ""
    items = [(first_id, error) for error in form.non_field_errors()]
    for field in form.visible_fields():
        items.extend((field.auto_id, error) for error in field.errors)
    return {"items": items}

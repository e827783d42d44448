"""The GOV.UK fields of the officer's hot forms (booking, logging a contact, the My cases and contact log filters)
drawn in Python. crispy-forms-gds draws a field through four or five nested templates: the booking form cost
about 6 ms of CPU a page, a filter form 2.4-3.6 ms. This draws the same markup, to the byte, for the widgets those
forms use (text input, textarea, select, a single checkbox, radios, the date input, hidden inputs); a form with any
other widget is drawn by crispy-forms-gds as before. tests/probation/test_gds_fields.py draws each form both ways
in many states and compares them.

Every value goes through format_html (escaped as the templates escaped it). The layout of each piece follows the
crispy-forms-gds template it replaces; the whitespace crispy's `specialspaceless` leaves (inside labels, legends,
error messages and the radio inputs) is kept so the page does not change, and the same `remove_spaces` is applied
to the whole, as `{% crispy %}` does."""

import copy
from collections.abc import Iterable
from typing import Any

from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.template import Context, Template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from probation.govuk_forms import Select, flat_attrs

# The class crispy-forms-gds gives each widget (by its class name), and the widgets that take the error class.
WIDGET_CLASSES = {
    "checkboxinput": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textinput": "govuk-input",
    "textarea": "govuk-textarea",
}
TAKE_ERROR_CLASS = {"Select", "TextInput", "Textarea"}
DRAWN = {forms.TextInput, forms.Textarea, Select, forms.CheckboxInput, forms.HiddenInput, forms.RadioSelect}

# Each piece as crispy-forms-gds's template leaves it once `specialspaceless` has made every run of three or more
# whitespace characters between tags one space (done here too, by the same function): what is left, inside labels,
# legends, error messages and the radio inputs, is the templates' own indentation, kept so the page is unchanged.
GROUP = '<div id="div_{}" class="govuk-form-group{}">\n    {}\n  </div>'
LABEL = '<label for="{}" class="govuk-label">\n          {}\n        </label>'
HINT = '<div id="{}_hint" class="govuk-hint">{}</div>'
ERROR = (
    '<span id="{}_{}_error" class="govuk-error-message">\n'
    '      <span class="govuk-visually-hidden">Error:</span> {}\n    </span>'
)
FIELDSET = '<fieldset class="govuk-fieldset"{}>\n    {}\n    {}\n    {}</fieldset>'
LEGEND = '<legend class="govuk-fieldset__legend">\n      \n      {}\n      \n    </legend>'
CHECKBOX = """
    <div class="govuk-checkboxes">
      <div class="govuk-checkboxes__item">
        {}
        <label class="govuk-label govuk-checkboxes__label" for="{}">
              {}
            </label>
      </div>
    </div>"""
RADIO = """
    <div class="govuk-radios__item">
      {}
      <label class="govuk-label govuk-radios__label" for="id_{}_{}">
    {}
  </label>
    </div>"""
RADIO_INPUT = (
    '<input\n    type="radio"\n    name="{name}"\n    class="govuk-radios__input"\n    id="id_{name}_{position}"\n'
    '    value="{value}"\n    {checked}\n    \n    \n  >'
)
CHECKED = '\n      checked="checked"\n    '
DATE_PART = """
    <div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="{}">{}</label>
        {}
      </div>
    </div>"""


def render_form(form: forms.BaseForm) -> SafeString:
    """What `{% crispy form %}` draws for a form of probation.govuk_forms (the default layout, no <form> tag):
    in Python when every field is one drawn here, by crispy-forms-gds otherwise."""
    if not all(drawable(form[name]) for name in form.fields):
        return crispy_html(form)
    body = " ".join(_field(form[name]) for name in form.fields)
    return mark_safe(f"\n\n{remove_spaces(body.strip())}\n")  # noqa: S308 - every part is built by format_html


def crispy_html(form: forms.BaseForm) -> SafeString:
    """The form drawn by crispy-forms-gds, as the page's `{% crispy form %}` draws it (no form on the hot pages
    comes here: the template is compiled for each, rather than kept in the process)."""
    template = Template("{% load crispy_forms_tags %}{% crispy form %}")
    return mark_safe(template.render(Context({"form": form})))  # noqa: S308 - crispy's own escaping


def drawable(field: forms.BoundField) -> bool:
    """Whether the field's widget is one drawn here, so drawn as crispy-forms-gds would."""
    widget = field.field.widget
    if isinstance(field.field, forms.MultiValueField):
        return type(widget) is DateInputWidget and all(type(part) is forms.TextInput for part in widget.widgets)
    if type(widget) not in DRAWN or "input_type" in widget.attrs:
        return False
    if isinstance(widget, forms.RadioSelect):  # crispy-forms-gds's Choice carries a hint or divider: not drawn here
        return all(type(choice) is tuple for choice in field.field.choices)  # type: ignore[attr-defined]
    return True


def _field(field: forms.BoundField) -> SafeString:
    """gds/field.html: the field in its form group, as the kind of widget decides."""
    widget = field.field.widget
    if widget.is_hidden:
        return _control(field, dict(widget.attrs))
    if isinstance(widget, forms.RadioSelect):
        content = _fieldset(field, _radios(field))
    elif isinstance(widget, forms.MultiWidget):
        content = _fieldset(field, _date(field))
    elif isinstance(widget, forms.CheckboxInput):
        control = _control(field, _crispy_attrs(field, widget))
        content = format_html(
            "{}{}", _hint_and_errors(field), format_html(CHECKBOX, control, field.id_for_label, field.label)
        )
    else:
        label = format_html(LABEL, field.id_for_label, field.label) if field.label else ""
        control = _control(field, _crispy_attrs(field, widget))
        content = format_html("{}\n    {}\n    {}", label, _hint_and_errors(field), control)
    return format_html(GROUP, field.auto_id, " govuk-form-group--error" if field.errors else "", content)


def _hint_and_errors(field: forms.BoundField) -> SafeString:
    hint = format_html(HINT, field.auto_id, field.help_text) if field.help_text else ""
    errors = format_html_join("\n    ", ERROR, ((field.auto_id, n, e) for n, e in enumerate(field.errors, 1)))
    return format_html("{}\n    {}", hint, errors)


def _fieldset(field: forms.BoundField, inputs: SafeString) -> SafeString:
    """A group of inputs under a legend: the radios, the date's boxes. The fieldset names the hint and errors."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_hint")
    described.extend(f" {field.auto_id}_{n}_error" for n in range(1, len(field.errors) + 1))
    describedby = format_html(' aria-describedby="{}"', "".join(described)) if described else ""
    legend = format_html(LEGEND, field.label) if field.label else ""
    return format_html(FIELDSET, describedby, legend, _hint_and_errors(field), inputs)


def _radios(field: forms.BoundField) -> SafeString:
    """gds/layout/radios.html: the options numbered from 1, the one whose value is the field's checked."""
    value = str(field.value())
    name = field.html_name
    items = (
        format_html(
            RADIO,
            format_html(
                RADIO_INPUT,
                name=name,
                position=position,
                value=str(choice),
                checked=mark_safe(CHECKED) if str(choice) == value else "",  # noqa: S308 - a constant
            ),
            name,
            position,
            label,
        )
        for position, (choice, label) in enumerate(field.field.choices, 1)  # type: ignore[attr-defined]
    )
    return format_html('<div class="govuk-radios">{}\n    </div>\n  ', _joined(items))


def _date(field: forms.BoundField) -> SafeString:
    """gds/widgets/date.html: the day, month and year boxes, each with its label; each box styled and described
    by the errors that are its own (DateInputField leaves them on the parts' widgets)."""
    widget = field.field.widget
    assert isinstance(widget, forms.MultiWidget)  # drawable() checked it
    part_errors = [getattr(part.widget, "errors", []) for part in field.field.fields]  # type: ignore[attr-defined]
    styled = copy.copy(widget)
    styled.widgets = []
    for part, errors in zip(widget.widgets, part_errors, strict=True):
        styled_part = copy.copy(part)
        styled_part.attrs = _crispy_attrs(field, part, errors, any(part_errors))
        styled.widgets.append(styled_part)
    context = styled.get_context(field.html_name, field.value(), _extra_attrs(field))["widget"]
    parts = []
    for part in context["subwidgets"]:
        attrs = dict(part["attrs"])
        label = attrs.pop("label")
        parts.append(format_html(DATE_PART, attrs["id"], label, _input(part, attrs)))
    return format_html('<div class="govuk-date-input" id="{}">{}\n  </div>\n\n', context["attrs"]["id"], _joined(parts))


def _crispy_attrs(
    field: forms.BoundField, widget: forms.Widget, part_errors: list[str] | None = None, any_part_errors: bool = False
) -> dict[str, Any]:
    """The widget's attrs as crispy-forms-gds sets them (crispy_gds_field changes the widget itself; here a
    copy): its GOV.UK class, the error class, and aria-describedby naming the hint and the errors. `part_errors`:
    for one box of the date, the errors that are its own."""
    attrs = dict(widget.attrs)
    name = type(widget).__name__
    classes: list[str] = WIDGET_CLASSES.get(name.lower(), name.lower()).split()
    for css_class in attrs.get("class", "").split():
        if css_class not in classes:
            classes.append(css_class)
    is_part = part_errors is not None
    if field.help_text and not is_part:
        attrs["aria-describedby"] = f"{field.auto_id}_hint"
    if field.errors:
        if name in TAKE_ERROR_CLASS and (not is_part or not any_part_errors or part_errors):
            classes.append("govuk-input--error")
        if not field.help_text:
            attrs["aria-describedby"] = ""
        for number, error in enumerate(field.errors, 1):
            if not is_part or (part_errors and error in part_errors):
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{described} " * bool(described) + f"{field.auto_id}_{number}_error"
    attrs["class"] = " ".join(classes)
    return attrs


def _extra_attrs(field: forms.BoundField) -> dict[str, Any]:
    """What Django's BoundField.as_widget adds to the widget's attrs (crispy-forms-gds turns `required` off)."""
    extra: dict[str, Any] = {}
    if field.field.disabled:
        extra["disabled"] = True
    if not field.field.widget.is_hidden and field.errors:
        extra["aria-invalid"] = "true"
    if field.auto_id and "id" not in field.field.widget.attrs:
        extra["id"] = field.auto_id
    return extra


def _control(field: forms.BoundField, attrs: dict[str, Any]) -> SafeString:
    """The field's own widget, with `attrs` for its attrs, drawn as Django's widget template draws it."""
    styled = copy.copy(field.field.widget)
    styled.attrs = attrs
    if isinstance(styled, Select):
        return styled.render(field.html_name, field.value(), _extra_attrs(field))
    context = styled.get_context(field.html_name, field.value(), _extra_attrs(field))["widget"]
    if isinstance(styled, forms.Textarea):
        text = context["value"] or ""
        return format_html('<textarea name="{}"{}>\n{}</textarea>', context["name"], flat_attrs(context["attrs"]), text)
    return _input(context, context["attrs"])


def _input(widget: dict[str, Any], attrs: dict[str, Any]) -> SafeString:
    value = format_html(' value="{}"', str(widget["value"])) if widget["value"] is not None else ""
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, flat_attrs(attrs))


def _joined(parts: Iterable[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html

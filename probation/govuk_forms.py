"""Every form renders through crispy-forms-gds (the hot forms' fields drawn in Python to the same markup by
probation/gds_fields.py); the page supplies <form>, the error summary and the button."""

import html
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db.models import Model
from django.forms.models import ModelChoiceIterator
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from probation import reference

# A free-text box whose model field has no limit (a TextField) takes at most this many characters: about four
# pages, more than any note needs, and a bound on what one post can store and every later page must show.
TEXT_LIMIT = 10_000


class EscapingFormHelper(FormHelper):
    """crispy-forms-gds writes a field's label and hint into the page as HTML (`|safe`): a label or hint built
    from what someone typed (an objective's description) would be markup in the page. Every label and hint
    is escaped as the form is drawn; one already escaped (a SafeString, say from format_html) is left as it is."""

    def render_layout(self, form: Any, context: Any, template_pack: Any = None) -> Any:
        for field in form.fields.values():
            if field.label:
                field.label = conditional_escape(field.label)
            if field.help_text:
                field.help_text = conditional_escape(field.help_text)
        if template_pack is None:
            return super().render_layout(form, context)
        return super().render_layout(form, context, template_pack=template_pack)


class GovukFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if type(field.widget) is forms.Select:
                field.widget.__class__ = Select  # the same markup, without a template include per option
        self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        helper = EscapingFormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        return helper

    def full_clean(self) -> None:
        # Here rather than in __init__, so fields a form adds in its own __init__ are covered too.
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                limit_text(field, name)
        super().full_clean()  # type: ignore[misc]


def limit_text(field: forms.CharField, name: str) -> None:
    """Every text field refuses, in GOV.UK words, text too long for it and the NUL character (which PostgreSQL
    cannot store); a free-text box with no limit of its own gets TEXT_LIMIT."""
    label = str(field.label or pretty_name(name))
    if isinstance(field.label, SafeString):  # escaped for the page (format_html): the error message is escaped again
        label = html.unescape(label)
    what = "Your answer" if label.endswith("?") else label
    if field.max_length is None and isinstance(field.widget, forms.Textarea):
        field.max_length = TEXT_LIMIT
        field.validators.append(MaxLengthValidator(TEXT_LIMIT))
    if field.max_length is not None:
        field.error_messages["max_length"] = f"{what} must be {field.max_length:,} characters or fewer"
    field.error_messages["null_characters_not_allowed"] = (
        f"{what} must not include hidden characters: type it in again rather than pasting it"
    )


# The business-day calendar (cases/standards/calendar.py FIRST_YEAR) starts here: a date a clock could start from
# is refused before it, rather than given a wrong deadline. Dates of birth are not clock dates (earliest=None).
EARLIEST = date(2000, 1, 1)


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes), with GOV.UK error messages."""

    def __init__(
        self, *, past: bool = False, called: str = "", earliest: date | None = EARLIEST, **kwargs: Any
    ) -> None:
        """`past`: the date must be today or earlier (what happened cannot be dated in the future); `called`:
        how the error message names the date, "The <label>" if not given; `earliest`: the first date allowed."""
        super().__init__(require_all_fields=False, **kwargs)
        label = str(kwargs.get("label", "The date"))
        self.past = past
        self.earliest = earliest
        self.called = called or (label if label.startswith("The ") else f"The {label[:1].lower()}{label[1:]}")
        self.error_messages["incomplete"] = f"{label} must include a day, month and year"
        self.error_messages["required"] = f"Enter the {label.lower()}"
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.validators = [RegexValidator(r"^\s*[0-9]+\s*$", f"{label} must be a real date")]
            field.error_messages["incomplete"] = f"{label} must include a {part}"

    def clean(self, value: Any) -> date | None:
        parts = [str(part).strip() for part in (value or ["", "", ""])]
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=False) if not part]
        if 0 < len(missing) < 3:
            raise ValidationError(f"{self.label} must include a {' and '.join(missing)}", code="incomplete")
        cleaned: date | None = super().clean(value)
        if self.past and cleaned is not None and cleaned > timezone.localdate():
            raise ValidationError(f"{self.called} must be today or in the past", code="future")
        if self.earliest and cleaned is not None and cleaned < self.earliest:
            raise ValidationError(f"{self.called} must be on or after {self.earliest:%-d %B %Y}", code="too_early")
        return cleaned

    def compress(self, data_list: Any) -> date | None:
        if not data_list:
            return None
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            if not 1900 <= int(year) <= 2200:
                raise ValidationError(f"{self.label} must have a 4-digit year, like 2026", code="invalid")
            value = date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as error:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from error
        return value


class WholeNumberField(forms.IntegerField):
    """GOV.UK asks for numbers in a text input with a numeric keyboard, not <input type=number>."""

    widget = forms.TextInput

    def __init__(self, *, width: int = 3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "spellcheck": "false", "class": f"govuk-input--width-{width}"}
        )
        label = str(kwargs.get("label") or "This")
        self.error_messages["invalid"] = f"{label} must be a whole number"
        if self.min_value is not None:
            self.error_messages.setdefault("min_value", f"{label} must be {self.min_value} or more")
        if self.max_value is not None:
            self.error_messages.setdefault("max_value", f"{label} must be {self.max_value} or fewer")


TIME = re.compile(r"^\s*([01]?[0-9]|2[0-3])[:.]([0-5][0-9])\s*$")


class TimeField(forms.CharField):
    """A time typed as 24-hour hh:mm (GOV.UK has no time component)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 09:30 or 14:00")
        super().__init__(**kwargs)
        attrs = {"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false", "maxlength": "5"}
        self.widget.attrs.update(attrs)

    def to_python(self, value: Any) -> time | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = TIME.match(text)
        if not match:
            raise forms.ValidationError(f"Enter {str(self.label).lower()} as hours and minutes, like 14:30")
        return time(int(match[1]), int(match[2]))


def moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


class Select(forms.Select):
    """Django's <select>, drawn in Python rather than through one template include per option (a list of a
    hundred officers cost milliseconds a page): the same markup, escaped the same way. It keeps Django's class
    name: crispy-forms-gds styles a widget by its class name (govuk-select)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flat_attrs(widget["attrs"]))]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(_option(option) for option in options)
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n  ".join(parts))  # noqa: S308 - every part is built by format_html


def _option(option: dict[str, Any]) -> str:
    """One <option>, its value and label escaped by conditional_escape: half the cost of format_html, which
    counts a hundred times a page (a list of officers)."""
    value, label = conditional_escape(str(option["value"])), conditional_escape(option["label"])
    return f'<option value="{value}"{flat_attrs(option["attrs"])}>{label}</option>'


def flat_attrs(attrs: dict[str, Any]) -> SafeString:
    """A widget's attributes as Django's attrs.html writes them: `True` as the bare name, `False` left out."""
    if not attrs:  # most options of a list: worth the shortcut, a hundred times a page
        return mark_safe("")
    return format_html_join(
        "",
        " {}{}",
        ((k, "" if v is True else format_html('="{}"', str(v))) for k, v in attrs.items() if v is not False),
    )


class _ListedChoices(ModelChoiceIterator):
    field: "ListedModelChoiceField"

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows:
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self.field.rows) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.rows)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField drawn and checked against a list of rows read once: the reference list cached as
    `cached_as` (probation/reference.py), or a list the form is given (`rows`). Drawing the choices and checking
    the answer then cost no query; without either, the queryset is read once per form."""

    iterator = _ListedChoices
    widget = Select

    def __init__(self, *args: Any, cached_as: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cached_as = cached_as
        self._rows: list[Any] | None = None

    @property
    def rows(self) -> list[Any]:
        if self._rows is None:
            queryset = self.queryset
            if self.cached_as:
                self._rows = reference.rows(queryset.model, self.cached_as, lambda: list(queryset))
            else:
                self._rows = list(queryset)
        return self._rows

    @rows.setter
    def rows(self, rows: list[Any]) -> None:
        self._rows = list(rows)
        self.widget.choices = self.choices  # type: ignore[assignment]

    def _set_queryset(self, queryset: Any) -> None:
        self._rows = None
        super()._set_queryset(queryset)  # type: ignore[misc]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        key = str(value.pk if isinstance(value, Model) else value)
        for obj in self.rows:
            if str(obj.pk) == key:
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})

"""The early end of a sentence: why, when, and a note."""

from typing import Any, cast

from django import forms

from cases.ending.services import EARLY_REASONS, RELEASE_ONLY
from cases.models import Event
from probation.govuk_forms import DateField, GovukFormMixin


class EventEndForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why did the sentence end?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the sentence ended"},
    )
    on = DateField(label="Date the sentence ended", past=True, called="The date the sentence ended")
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when the reason is 'Other'",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        self.event = event
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reason"]).choices = [
            (reason.value, reason.label)
            for reason in EARLY_REASONS
            if reason not in RELEASE_ONLY or event.type in Event.RELEASE_TYPES
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        on, starts = cleaned.get("on"), self.event.supervision_starts_on
        if on is not None and on < starts:
            what = "release" if self.event.type in Event.RELEASE_TYPES else "sentence"
            self.add_error("on", f"The date the sentence ended must be on or after the {what} date, {starts:%-d %B %Y}")
        if cleaned.get("reason") == Event.TerminationReason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter a note saying why the sentence ended")
        return cleaned

"""Forms for a custodial sentence, the pre-release handover and release."""

from typing import Any

from django import forms

from cases.models import Event
from cases.record.forms import _conditions_fit
from probation.govuk_forms import DateField, GovukFormMixin, WholeNumberField


class CustodyForm(GovukFormMixin, forms.Form):
    """A custodial sentence, recorded before release so the pre-release handover can be planned."""

    sentence_date = DateField(label="Sentence date", past=True)
    length_months = WholeNumberField(
        label="Length of the sentence in months", min_value=1, max_value=1200, required=False
    )
    expected_release_date = DateField(label="Expected release date")
    parole = forms.BooleanField(label="This is a parole case", required=False)
    parole_eligibility_date = DateField(label="Parole eligibility date", required=False)
    court = forms.CharField(max_length=100, required=False)
    offence = forms.CharField(label="Main offence", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sentence, release = cleaned.get("sentence_date"), cleaned.get("expected_release_date")
        if sentence and release and release < sentence:
            self.add_error("expected_release_date", "The expected release date must be after the sentence date")
        if cleaned.get("parole") and not cleaned.get("parole_eligibility_date"):
            self.add_error("parole_eligibility_date", "Enter the parole eligibility date for a parole case")
        return cleaned

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        custody = {name: data[name] for name in ["expected_release_date", "parole", "parole_eligibility_date"]}
        return {
            "type": Event.Type.CUSTODY,
            "sentence_date": data["sentence_date"],
            "length_months": data["length_months"],
            "court": data["court"],
            "offence": data["offence"],
            "custody": custody,
        }


class HandoverMeetingForm(GovukFormMixin, forms.Form):
    on = DateField(label="Date of the handover meeting", past=True, called="The date of the meeting")


class ReleaseForm(GovukFormMixin, forms.Form):
    released_on = DateField(label="Date of release", past=True, called="The release date")
    licence_type = forms.ChoiceField(
        label="Released on",
        choices=[(Event.Type.LICENCE.value, "Licence"), (Event.Type.PSS.value, "Post-sentence supervision")],
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(
        label="Licence conditions", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="One a line"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licence_type"].error_messages["required"] = "Select what they are released on"

    def clean_conditions(self) -> str:
        return _conditions_fit(self.cleaned_data["conditions"])

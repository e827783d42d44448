from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from interventions.models import Service, UpwSession
from probation.govuk_forms import DateField, GovukFormMixin


def _hours(label: str) -> forms.DecimalField:
    field = forms.DecimalField(
        label=label, min_value=Decimal("0"), max_value=Decimal("12"), decimal_places=2, required=False
    )
    field.widget = forms.TextInput(
        attrs={"inputmode": "decimal", "class": "govuk-input--width-3", "spellcheck": "false"}
    )
    field.error_messages.update(
        invalid=f"{label} must be a number, like 6 or 6.5",
        min_value=f"{label} cannot be less than 0",
        max_value=f"{label} must be 12 or fewer",
        max_decimal_places=f"{label} can have at most 2 decimal places",
    )
    return field


class UpwSessionForm(GovukFormMixin, forms.Form):
    day = DateField(label="Date of the session")
    status = forms.ChoiceField(label="What happened?", choices=UpwSession.Status.choices, widget=forms.RadioSelect)
    project = forms.CharField(label="Project", max_length=200, required=False)
    placement = forms.ChoiceField(
        choices=UpwSession.Placement.choices, widget=forms.RadioSelect, initial=UpwSession.Placement.GROUP
    )
    work_hours = _hours("Hours worked")
    ete_hours = _hours("ETE hours")
    travel_hours = _hours("Travel hours")
    stand_down_reason = forms.CharField(label="Why was the session stood down?", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["required"] = "Select what happened"
        self.fields["ete_hours"].help_text = "Education, training and employment: at most 20% of the hours ordered"

    def clean_day(self) -> Any:
        value = self.cleaned_data["day"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The session date must be today or in the past")
        return value

    def session(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "day": data["day"],
            "status": data["status"],
            "project": data["project"],
            "placement": data["placement"],
            "work_hours": data["work_hours"] or Decimal("0"),
            "ete_hours": data["ete_hours"] or Decimal("0"),
            "travel_hours": data["travel_hours"] or Decimal("0"),
            "stand_down_reason": data["stand_down_reason"],
        }


class ReferralForm(GovukFormMixin, forms.Form):
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.none(), empty_label="Choose a service")
    reason = forms.CharField(label="Why are you referring them?", widget=forms.Textarea(attrs={"rows": 3}))
    on = DateField(label="Date of referral")

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["service"])
        field.queryset = services
        field.label_from_instance = lambda s: f"{s.get_area_display()}: {s.name} ({s.provider})"  # type: ignore[method-assign,assignment]
        field.error_messages["required"] = "Choose the service"
        self.fields["reason"].error_messages["required"] = "Enter why you are referring them"

    def clean_on(self) -> Any:
        value = self.cleaned_data["on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value


class ReferralUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="What has happened?", widget=forms.RadioSelect)
    on = DateField(label="Date")
    notes = forms.CharField(label="Notes on the outcome", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = allowed
        self.fields["status"].error_messages["required"] = "Select what has happened"

    def clean_on(self) -> Any:
        value = self.cleaned_data["on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value

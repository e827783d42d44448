from decimal import Decimal
from typing import Any, cast

from django import forms

from cases.models import Objective
from cases.standards import rules
from interventions.models import Service, UpwSession
from interventions.programmes import services as programmes
from interventions.sessions import Attendance
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
    day = DateField(label="Date of the session", past=True, called="The session date")
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
        share = rules.current()["upw_completion"].part("ete_share")
        help_text = f"Education, training and employment: at most {share}% of the hours ordered"
        self.fields["ete_hours"].help_text = help_text

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


class UpwReviewForm(GovukFormMixin, forms.Form):
    on = DateField(label="Date of the review", past=True, called="The date")
    notes = forms.CharField(
        label="Why are the hours not done, and what will change?", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"].error_messages["required"] = "Enter what the review found"


class ProgrammeStepForm(GovukFormMixin, forms.Form):
    step = forms.ChoiceField(label="What has happened?", widget=forms.RadioSelect)
    on = DateField(label="Date", past=True)
    notes = forms.CharField(
        label="Reason or notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when they are not eligible or did not complete",
    )

    def __init__(self, *args: Any, steps: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["step"])
        # Shown: what can happen next. Accepted: any step, so a form left open while the programme moved on
        # gets the service's plain refusal rather than "not a valid choice".
        field.choices = [(s, programmes.LABELS[s]) for s in steps]
        field.valid_value = lambda value: value in programmes.LABELS  # type: ignore[method-assign]
        self.fields["step"].error_messages["required"] = "Select what has happened"
        self.fields["on"].label = "Date it happened"
        self.helper = self.build_helper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("step") in programmes.NEEDS_REASON and not cleaned.get("notes", "").strip():
            self.add_error("notes", "Enter the reason")
        return cleaned


class ProgrammeSessionForm(GovukFormMixin, forms.Form):
    day = DateField(label="Date of the session", past=True, called="The date")
    attendance = forms.ChoiceField(label="What happened?", choices=Attendance.choices, widget=forms.RadioSelect)
    rar = forms.BooleanField(label="Counts toward their RAR days", required=False)

    def __init__(self, *args: Any, has_rar: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendance"].error_messages["required"] = "Select what happened"
        if not has_rar:
            del self.fields["rar"]
            self.helper = self.build_helper()


class ReferralForm(GovukFormMixin, forms.Form):
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.none(), empty_label="Choose a service")
    reason = forms.CharField(label="Why are you referring them?", widget=forms.Textarea(attrs={"rows": 3}))
    on = DateField(label="Date of referral", past=True, called="The date")
    objective = forms.ModelChoiceField(
        label="Sentence plan objective it serves",
        queryset=Objective.objects.none(),
        required=False,
        empty_label="Not linked to an objective",
    )

    def __init__(self, *args: Any, services: Any, objectives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if objectives.exists():
            objective = cast(forms.ModelChoiceField, self.fields["objective"])
            objective.queryset = objectives
            objective.label_from_instance = lambda o: f"{o.get_area_display()}: {o.description[:80]}"  # type: ignore[method-assign,assignment]
        else:
            del self.fields["objective"]
        self.helper = self.build_helper()
        field = cast(forms.ModelChoiceField, self.fields["service"])
        field.queryset = services
        field.label_from_instance = lambda s: f"{s.get_area_display()}: {s.name} ({s.provider})"  # type: ignore[method-assign,assignment]
        field.error_messages["required"] = "Choose the service"
        self.fields["reason"].error_messages["required"] = "Enter why you are referring them"


class ReferralUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="What has happened?", widget=forms.RadioSelect)
    on = DateField(label="Date", past=True, called="The date")
    notes = forms.CharField(label="Notes on the outcome", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = allowed
        self.fields["status"].error_messages["required"] = "Select what has happened"

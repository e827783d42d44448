"""Forms for the enforcement decision on a failure to comply, breach outcomes, recall and management oversight."""

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from cases.enforcement.services import second_warning_refused
from cases.models import EnforcementAction
from probation.govuk_forms import DateField, GovukFormMixin, TimeField, moment


def _not_future(when: datetime) -> None:
    if when > timezone.now():
        raise forms.ValidationError("The date and time must be now or in the past")


class DecisionForm(GovukFormMixin, forms.Form):
    """The enforcement decision on a failure to comply. A warning is not offered where the law requires breach."""

    kind = forms.ChoiceField(label="What are you doing about this failure?", widget=forms.RadioSelect)
    on = DateField(
        label="Date of the warning letter or of initiating breach",
        help_text="For example, 8 1 2026",
        past=True,
        called="The date",
    )
    aware_on = DateField(
        label="Date you became aware of the failure (breach only)",
        required=False,
        past=True,
        called="The date you became aware of the failure",
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for a professional judgement",
    )

    def __init__(self, *args: Any, allowed: list[str], covering: EnforcementAction | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(EnforcementAction.Kind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in allowed]  # type: ignore[attr-defined]
        self.fields["kind"].error_messages["required"] = "Select what you are doing about this failure"
        self.fields["on"].error_messages["required"] = "Enter the date"
        if covering is not None:
            self.fields["kind"].help_text = second_warning_refused(covering)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("kind") == EnforcementAction.Kind.PROFESSIONAL_JUDGEMENT
            and not cleaned.get("rationale", "").strip()
        ):
            self.add_error("rationale", "Enter the rationale for your professional judgement")
        return cleaned


class BreachOutcomeForm(GovukFormMixin, forms.Form):
    on = DateField(label="Date of the court's decision", past=True, called="The date of the court's decision")
    court_outcome = forms.CharField(label="What did the court decide?", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court_outcome"].error_messages["required"] = "Enter what the court decided"


class RecallRecommendForm(GovukFormMixin, forms.Form):
    recall_type = forms.ChoiceField(
        label="Type of recall", choices=EnforcementAction.RecallType.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(label="Why do you recommend recall?", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recall_type"].error_messages["required"] = "Select the type of recall"
        self.fields["rationale"].error_messages["required"] = "Enter why you recommend recall"


class RecallDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=EnforcementAction.Decision.choices, widget=forms.RadioSelect, label="Your decision"
    )
    rationale = forms.CharField(label="Rationale for your decision", widget=forms.Textarea(attrs={"rows": 4}))
    decided_day = DateField(label="Date of decision", past=True, called="The date of the decision")
    decided_time = TimeField(label="Time of decision")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Select your decision"
        self.fields["rationale"].error_messages["required"] = "Enter the rationale for your decision"
        self.fields["decided_time"].error_messages["required"] = "Enter the time of the decision"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decided_day") and cleaned.get("decided_time"):
            try:
                _not_future(moment(cleaned["decided_day"], cleaned["decided_time"]))
            except forms.ValidationError as error:
                self.add_error("decided_day", error)
        return cleaned

    def recorded(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "rationale": data["rationale"],
            "decided_at": moment(data["decided_day"], data["decided_time"]),
        }


class RecallRequestForm(GovukFormMixin, forms.Form):
    day = DateField(label="Date the request was sent", past=True)
    at = TimeField(label="Time the request was sent")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"].error_messages["required"] = "Enter the time the request was sent"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("day") and cleaned.get("at"):
            try:
                _not_future(moment(cleaned["day"], cleaned["at"]))
            except forms.ValidationError as error:
                self.add_error("day", error)
        return cleaned

    def requested_at(self) -> datetime:
        return moment(self.cleaned_data["day"], self.cleaned_data["at"])


class RecallReturnForm(GovukFormMixin, forms.Form):
    returned_on = DateField(label="Date they were returned to custody", past=True)
    review_completed_on = DateField(
        label="Date the recall review (Part B) was completed",
        required=False,
        past=True,
        called="The date the recall review was completed",
        help_text="Leave blank until it is done",
    )


class OversightForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Do you agree with how the officer dealt with this?",
        choices=[("agree", "Yes, I agree"), ("disagree", "No, I disagree")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Your oversight note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required if you disagree: say what should happen instead",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = "Select whether you agree with the officer"
        self.fields["outcome"].error_messages["invalid_choice"] = "Select whether you agree with the officer"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == "disagree" and not cleaned.get("note", "").strip():
            self.add_error("note", "Enter why you disagree with the officer")
        return cleaned

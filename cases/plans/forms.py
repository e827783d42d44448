from typing import Any, cast

from django import forms
from django.utils.html import format_html

from cases.models import NeedArea, Objective, Requirement
from probation.govuk_forms import DateField, GovukFormMixin

OUT_OF_DATE = "This form is out of date: go back to the sentence plan and make your changes again"


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the plan version the edit started from, so a stale save can be refused."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": OUT_OF_DATE, "invalid": OUT_OF_DATE}
    )


class PersonsViewForm(VersionedForm):
    persons_view = forms.CharField(
        label="What they want to change, in their own words",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class ObjectiveForm(VersionedForm):
    area = forms.ChoiceField(label="Area of need", choices=[("", "Choose an area"), *NeedArea.choices])
    description = forms.CharField(label="Objective", widget=forms.Textarea(attrs={"rows": 3}))
    steps = forms.CharField(label="Steps", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    who = forms.CharField(label="Who will do them", max_length=200, required=False)
    target_date = DateField(label="Target date", required=False)
    progress = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    achieved = forms.BooleanField(label="This objective has been achieved", required=False)
    requirements = forms.ModelMultipleChoiceField(
        label="Requirements that serve this objective",
        queryset=Requirement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, requirements: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].error_messages["required"] = "Choose the area of need"
        self.fields["description"].error_messages["required"] = "Enter the objective"
        if requirements.exists():
            cast(forms.ModelMultipleChoiceField, self.fields["requirements"]).queryset = requirements
        else:
            del self.fields["requirements"]
            self.helper = self.build_helper()

    @staticmethod
    def initial_for(objective: Objective) -> dict[str, Any]:
        names = ["area", "description", "steps", "who", "target_date", "progress", "achieved"]
        return {name: getattr(objective, name) for name in names} | {
            "requirements": [r.pk for r in objective.requirements.all()]
        }

    def objective_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("version", "requirements")}


class CompleteForm(VersionedForm):
    on = DateField(label="Date the plan was completed", past=True, called="The date the plan was completed")


class ReviewForm(VersionedForm):
    reviewed_on = DateField(label="Date of the review", past=True, called="The date of the review")
    summary = forms.CharField(label="Summary of progress", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, objectives: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        for objective in objectives:
            self.fields[f"progress_{objective.pk}"] = forms.CharField(
                label=format_html("Progress: {}", objective), widget=forms.Textarea(attrs={"rows": 2}), required=False
            )
        self.fields["summary"].error_messages["required"] = "Enter a summary of progress"
        self.helper = self.build_helper()

    def progress(self) -> dict[str, str]:
        return {str(o.pk): self.cleaned_data.get(f"progress_{o.pk}", "") for o in self.objectives}

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone

from cases.models import Event, Registration, Requirement
from cases.models.person import TIER_CHOICES, Rosh
from cases.selectors import CaseloadFilters
from probation.govuk_forms import DateField, GovukFormMixin
from regions.models import StaffMember


def _any(label: str, choices: list[tuple[str, str]] | Any) -> list[tuple[str, str]]:
    return [("", label), *list(choices)]


class CaseloadFilterForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name or CRN", required=False, max_length=100)
    tier = forms.ChoiceField(choices=_any("Any tier", TIER_CHOICES), required=False)
    rosh = forms.ChoiceField(label="RoSH", choices=_any("Any RoSH", Rosh.choices), required=False)
    sentence_type = forms.ChoiceField(
        label="Sentence type", choices=_any("Any sentence", Event.Type.choices), required=False
    )
    flag = forms.ChoiceField(label="Flag", choices=_any("Any flag", Registration.Type.choices), required=False)

    def filters(self) -> CaseloadFilters:
        return CaseloadFilters(**{name: self.cleaned_data.get(name) or "" for name in self.fields})


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="CRN, name or PNC number",
        required=False,
        max_length=100,
        help_text="For example X123456, Smith, or 2010/0123456X. Part of a name or an alias will do.",
    )
    date_of_birth = DateField(label="Date of birth", required=False, help_text="For example, 27 3 1990")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("q", "").strip() and not cleaned.get("date_of_birth") and not self.errors:
            raise forms.ValidationError("Enter a CRN, name, PNC number or date of birth")
        return cleaned


def _not_future(value: date, what: str) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(f"{what} must be today or in the past")


class EventForm(GovukFormMixin, forms.Form):
    """A new sentence from court (community order or suspended sentence order) or a release on licence."""

    type = forms.ChoiceField(label="Sentence type", choices=Event.Type.choices, widget=forms.RadioSelect)
    sentence_date = DateField(label="Sentence date", help_text="For example, 19 12 2025")
    release_date = DateField(
        label="Release date", required=False, help_text="For a licence or post-sentence supervision only"
    )
    length_months = forms.IntegerField(label="Length in months", min_value=1, max_value=240, required=False)
    court = forms.CharField(max_length=100, required=False)
    offence = forms.CharField(label="Main offence", max_length=200, required=False)
    unpaid_work_hours = forms.IntegerField(label="Unpaid work hours", min_value=40, max_value=300, required=False)
    rar_days = forms.IntegerField(label="RAR days", min_value=1, max_value=365, required=False)
    programme = forms.CharField(
        label="Accredited programme", max_length=100, required=False, help_text="For example TSP or BBR"
    )
    licence_conditions = forms.CharField(
        label="Licence conditions", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One a line"
    )

    def __init__(self, *args: Any, release: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unpaid_work_hours"].error_messages.update(
            min_value="Unpaid work must be at least 40 hours", max_value="Unpaid work must be at most 300 hours"
        )
        self.fields["type"].error_messages["required"] = "Select the sentence type"
        if release:
            cast(forms.ChoiceField, self.fields["type"]).choices = [(t.value, t.label) for t in Event.RELEASE_TYPES]
            self.fields["release_date"].required = True
        else:
            orders = [Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER]
            cast(forms.ChoiceField, self.fields["type"]).choices = [(t.value, t.label) for t in orders]
            for name in ["release_date", "licence_conditions"]:
                del self.fields[name]

    def clean_sentence_date(self) -> date:
        value: date = self.cleaned_data["sentence_date"]
        _not_future(value, "The sentence date")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sentence, release = cleaned.get("sentence_date"), cleaned.get("release_date")
        if sentence and release and release < sentence:
            self.add_error("release_date", "The release date must be on or after the sentence date")
        return cleaned

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "sentence_date": data["sentence_date"],
            "release_date": data.get("release_date"),
            "length_months": data.get("length_months"),
            "court": data.get("court", ""),
            "offence": data.get("offence", ""),
            "requirements": self.requirements(),
        }

    def requirements(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found: list[dict[str, Any]] = []
        if data.get("unpaid_work_hours"):
            found.append({"type": Requirement.Type.UNPAID_WORK, "hours": data["unpaid_work_hours"]})
        if data.get("rar_days"):
            found.append({"type": Requirement.Type.RAR, "days": data["rar_days"]})
        if data.get("programme"):
            found.append({"type": Requirement.Type.ACCREDITED_PROGRAMME, "programme": data["programme"]})
        for line in (data.get("licence_conditions") or "").splitlines():
            if line.strip():
                found.append({"type": Requirement.Type.LICENCE_CONDITION, "description": line.strip()[:300]})
        return found


class AllocationForm(GovukFormMixin, forms.Form):
    staff = forms.ModelChoiceField(
        label="Responsible officer", queryset=StaffMember.objects.none(), empty_label="Choose an officer"
    )
    from_date = DateField(label="From", help_text="For example, 22 12 2025")
    reason = forms.CharField(label="Reason", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, officers: Any, reallocation: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = officers
        self.fields["staff"].error_messages["required"] = "Choose the responsible officer"
        self.fields["from_date"].error_messages["required"] = "Enter the date the allocation starts"
        self.fields["reason"].required = reallocation
        self.fields["reason"].error_messages["required"] = "Enter the reason for the change of responsible officer"
        if not reallocation:
            self.fields["reason"].help_text = "Optional for a first allocation"

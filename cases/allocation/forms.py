"""Forms for allocating a case to its Responsible Officer and moving an officer's caseload."""

from typing import Any, cast

from django import forms

from probation.govuk_forms import DateField, GovukFormMixin
from regions.models import StaffMember


def _room(load: Any) -> tuple[int, int, str]:
    capacity = load.capacity
    return (capacity is None, capacity or 0, load.staff.name)


def _officer_label(load: Any) -> str:
    capacity = "no hours available" if load.capacity is None else f"{load.capacity}% capacity"
    team = f", {load.staff.team.name}" if load.staff.team_id else ""
    recent = load.allocated_last_7_days
    return (
        f"{load.staff.name}{team}: {capacity}, {load.cases} case{'s' if load.cases != 1 else ''}, "
        f"{recent} allocated in the last 7 days"
    )


class AllocationForm(GovukFormMixin, forms.Form):
    staff = forms.ModelChoiceField(
        label="Responsible officer", queryset=StaffMember.objects.none(), empty_label="Choose an officer"
    )
    from_date = DateField(label="From", past=True, called="The date", help_text="For example, 22 12 2025")
    reason = forms.CharField(label="Reason", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, officers: Any, reallocation: bool, workload: dict[int, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["staff"])
        field.queryset = officers
        if workload is not None:  # radios, the officer with most room first, each with their workload
            field.widget = forms.RadioSelect()
            field.choices = [(load.staff.pk, _officer_label(load)) for load in sorted(workload.values(), key=_room)]
            self.helper = self.build_helper()
        self.fields["staff"].error_messages["required"] = "Choose the responsible officer"
        self.fields["from_date"].error_messages["required"] = "Enter the date the allocation starts"
        self.fields["reason"].required = reallocation
        self.fields["reason"].error_messages["required"] = "Enter the reason for the change of responsible officer"
        if not reallocation:
            self.fields["reason"].help_text = "Optional for a first allocation"


class ReallocateCaseloadForm(GovukFormMixin, forms.Form):
    """Move some of an officer's cases to one other officer (repeat to share them out)."""

    cases = forms.TypedMultipleChoiceField(
        label="Cases to move", coerce=int, widget=forms.CheckboxSelectMultiple, help_text="Select all that apply"
    )
    staff = forms.ModelChoiceField(label="Move them to", queryset=StaffMember.objects.none())
    from_date = DateField(label="From", past=True, called="The date", help_text="For example, 22 12 2025")
    reason = forms.CharField(label="Reason", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, events: list[Any], officers: Any, workload: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cases = cast(forms.TypedMultipleChoiceField, self.fields["cases"])
        cases.choices = [
            (e.pk, f"{e.person.last_name.upper()}, {e.person.first_name} ({e.person.crn}), {e.get_type_display()}")
            for e in events
        ]
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = officers
        staff.widget = forms.RadioSelect()
        staff.choices = [(load.staff.pk, _officer_label(load)) for load in sorted(workload.values(), key=_room)]
        cases.error_messages["required"] = "Select the cases to move"
        staff.error_messages["required"] = "Choose the officer to move them to"
        self.fields["from_date"].error_messages["required"] = "Enter the date the new allocation starts"
        self.fields["reason"].error_messages["required"] = "Enter the reason for the change of responsible officer"
        self.helper = self.build_helper()

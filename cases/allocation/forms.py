"""Forms for allocating a case to its Responsible Officer and moving an officer's caseload."""

from typing import Any, cast

from crispy_forms_gds.choices import Choice
from django import forms
from django.utils.html import format_html

from cases.models import Allocation
from probation.govuk_forms import DateField, GovukFormMixin
from regions.models import StaffMember

# A reallocation's reasons: every coded reason but the first allocation's own.
REALLOCATION_REASONS = [(code, label) for code, label in Allocation.Reason.choices if code != Allocation.Reason.INITIAL]


def _workload(load: Any) -> str:
    capacity = "no hours available" if load.capacity is None else f"workload {load.capacity}%"
    cases = f"{load.cases} case{'s' if load.cases != 1 else ''}"
    return f"{capacity}, {cases}, {load.allocated_last_7_days} received in the last 7 days"


def _who(staff: StaffMember) -> str:
    team = f", {staff.team.name}" if staff.team is not None else ""
    return f"{staff.get_grade_display()}{team}"


def _officer_choice(option: Any, divider: str = "") -> Choice:
    """An officer as a radio: name (and "most room"), then grade, workload, this case's impact and any
    condition that needs a justification, as the radio's hint."""
    label = f"{option.staff.name} (most room)" if option.recommended else option.staff.name
    if not option.holds_caseload:
        label = f"{option.staff.name} (holds no caseload)"
    needs = ""
    if option.conditions:
        needs = format_html(
            '<br><strong class="govuk-!-font-weight-bold" data-testid="needs-justification">Needs a justification: '
            "{}.</strong>",
            "; ".join(option.conditions),
        )
    hint = format_html(
        '{}: {}.<br><span data-testid="impact">{}.</span>{}',
        _who(option.staff),
        _workload(option.load),
        option.impact,
        needs,
    )
    return Choice(option.staff.pk, label, hint=hint, divider=divider)


def officer_choices(options: list[Any]) -> list[Choice]:
    """Staff who hold a caseload first, then (after a divider) those who do not."""
    choices = []
    for position, option in enumerate(options):
        following = options[position + 1] if position + 1 < len(options) else None
        last_with_caseload = option.holds_caseload and following is not None and not following.holds_caseload
        choices.append(
            _officer_choice(option, divider="or someone who holds no caseload" if last_with_caseload else "")
        )
    return choices


class AllocationForm(GovukFormMixin, forms.Form):
    staff = forms.ModelChoiceField(
        label="Responsible officer", queryset=StaffMember.objects.none(), empty_label="Choose an officer"
    )
    justification = forms.CharField(
        label="Why are you allocating to this officer?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only where the officer you choose is marked “needs a justification”: it is recorded as "
        "an override and listed for the head of the PDU",
    )
    reason_code = forms.ChoiceField(
        label="Why is the responsible officer changing?", choices=REALLOCATION_REASONS, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Note (optional)", max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    from_date = DateField(label="From", past=True, called="The date", help_text="For example, 22 12 2025")

    def __init__(self, *args: Any, officers: Any, reallocation: bool, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {option.staff.pk: option for option in options}
        field = cast(forms.ModelChoiceField, self.fields["staff"])
        field.queryset = officers
        field.widget = forms.RadioSelect()
        field.choices = officer_choices(options)
        field.error_messages["required"] = "Choose the responsible officer"
        self.fields["from_date"].error_messages["required"] = "Enter the date the allocation starts"
        if reallocation:
            self.fields["reason_code"].error_messages["required"] = "Select why the responsible officer is changing"
        else:  # a first allocation's reason is "initial allocation"
            del self.fields["reason_code"]
        self.helper = self.build_helper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        staff = cleaned.get("staff")
        option = self.options.get(staff.pk) if staff is not None else None
        if (
            staff is not None
            and option is not None
            and option.conditions
            and not cleaned.get("justification", "").strip()
        ):
            self.add_error(
                "justification", f"Enter why you are allocating to {staff.name}: {'; '.join(option.conditions)}"
            )
        return cleaned


class ReallocateCaseloadForm(GovukFormMixin, forms.Form):
    """Move some of an officer's cases to one other officer (repeat to share them out), for the reason
    "officer left"."""

    cases = forms.TypedMultipleChoiceField(
        label="Cases to move", coerce=int, widget=forms.CheckboxSelectMultiple, help_text="Select all that apply"
    )
    staff = forms.ModelChoiceField(label="Move them to", queryset=StaffMember.objects.none())
    justification = forms.CharField(
        label="Justification, if the move needs one",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to move a high or very high RoSH, child protection or MAPPA case to a probation services "
        "officer, or any case to someone at or over 100% capacity: recorded as an override",
    )
    from_date = DateField(label="From", past=True, called="The date", help_text="For example, 22 12 2025")
    reason = forms.CharField(
        label="Note (optional)",
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The reason recorded is “officer left”",
    )

    def __init__(self, *args: Any, events: list[Any], officers: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cases = cast(forms.TypedMultipleChoiceField, self.fields["cases"])
        cases.choices = [
            (e.pk, f"{e.person.last_name.upper()}, {e.person.first_name} ({e.person.crn}), {e.get_type_display()}")
            for e in events
        ]
        staff = cast(forms.ModelChoiceField, self.fields["staff"])
        staff.queryset = officers
        staff.widget = forms.RadioSelect()
        staff.choices = [
            Choice(
                o.staff.pk,
                o.staff.name if o.holds_caseload else f"{o.staff.name} (holds no caseload)",
                hint=f"{_who(o.staff)}: {_workload(o.load)}",
            )
            for o in options
        ]
        cases.error_messages["required"] = "Select the cases to move"
        staff.error_messages["required"] = "Choose the officer to move them to"
        self.fields["from_date"].error_messages["required"] = "Enter the date the new allocation starts"
        self.helper = self.build_helper()

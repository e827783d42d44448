"""Forms for the officer's daily work: booking, outcomes and amendments (the enforcement decision on a failure is
cases/enforcement/forms.py)."""

import hashlib
from typing import Any

from django import forms
from django.utils import timezone

from cases.models import AbsenceReason, Contact, ContactType, EnforcementAction, Outcome
from cases.reference import UNBOOKED_CONTACT_TYPES
from probation.govuk_forms import (
    DateField,
    GovukFormMixin,
    ListedModelChoiceField,
    TimeField,
    WholeNumberField,
    moment,
)
from regions.models import StaffMember

ENFORCEABLE_CHOICES = [("", "As usual for this type of contact"), ("yes", "Yes"), ("no", "No")]
REPEAT_CHOICES = [("", "Does not repeat"), ("weekly", "Weekly"), ("fortnightly", "Fortnightly"), ("monthly", "Monthly")]


class BookingForm(GovukFormMixin, forms.Form):
    type = ListedModelChoiceField(
        label="Type of appointment",
        queryset=ContactType.objects.filter(active=True),
        empty_label="Choose a type",
        cached_as="active",
    )
    day = DateField(label="Date", help_text="For example, 2 12 2026")
    at = TimeField(label="Time")
    location = forms.CharField(max_length=200, required=False, help_text="For example, the office address or 'Home'")
    staff = ListedModelChoiceField(
        label="With", queryset=StaffMember.objects.none(), empty_label="Choose who will see them"
    )
    enforceable = forms.ChoiceField(
        label="Enforceable (National Standard)?", choices=ENFORCEABLE_CHOICES, required=False
    )
    repeat = forms.ChoiceField(choices=REPEAT_CHOICES, required=False)
    count = WholeNumberField(
        label="How many appointments in all",
        min_value=1,
        max_value=26,
        required=False,
        help_text="For a repeating appointment",
    )
    rar = forms.BooleanField(
        label="This is a rehabilitation activity (counts toward their RAR days)",
        required=False,
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # Shown only with warnings to confirm (a weekend, a bank holiday, outside office hours, after the end):
    # `warned` carries which warnings were shown, so a confirmation holds only for the times it was given for.
    confirm = forms.BooleanField(label="I have checked: book it anyway", required=False, widget=forms.HiddenInput)
    warned = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def __init__(self, *args: Any, staff: Any, has_rar: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_staff(self.fields["staff"], staff)
        if not has_rar:
            del self.fields["rar"]
            self.helper = self.build_helper()
        self.fields["type"].error_messages["required"] = "Choose the type of appointment"
        self.fields["at"].error_messages["required"] = "Enter the time"
        self.fields["staff"].error_messages["required"] = "Choose who will see them"

    def booking(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "starts_at": moment(data["day"], data["at"]),
            "location": data["location"],
            "staff": data["staff"],
            "enforceable": {"yes": True, "no": False}.get(data["enforceable"]),
            "notes": data["notes"],
            "repeat": data["repeat"],
            "count": (data["count"] or 1) if data["repeat"] else 1,
            "rar": bool(data.get("rar")),
        }

    def confirmed(self, warnings: list[str]) -> bool:
        """Whether the booking may go ahead: no warnings, or these very warnings confirmed. If not, the form
        asks for the confirmation (the page shows the warnings)."""
        key = hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:32]
        if not warnings or (self.cleaned_data.get("confirm") and self.cleaned_data.get("warned") == key):
            return True
        data = self.data.copy()  # type: ignore[attr-defined]
        data["warned"] = key
        if self.cleaned_data.get("warned") != key:
            data["confirm"] = ""  # a confirmation given for other times does not carry over
        self.data = data
        self.fields["confirm"].widget = forms.CheckboxInput()
        self.add_error("confirm", "Check the warnings, then confirm you want to book at this time or change it")
        return False


def absence_reason_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Reason the absence is acceptable",
        choices=[("", "Choose a reason"), *AbsenceReason.choices],
        required=False,
    )


def sensitive_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="These notes are sensitive",
        required=False,
        help_text="Only the officers and managers of this case will see them",
    )


def require_absence_reason(form: forms.Form, cleaned: dict[str, Any]) -> None:
    """An acceptable absence says why (the recording forms share the rule)."""
    if cleaned.get("outcome") == Outcome.ACCEPTABLE_ABSENCE and not cleaned.get("absence_reason"):
        form.add_error("absence_reason", "Choose the reason the absence is acceptable")


class OutcomeForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect, label="What happened?")
    absence_reason = absence_reason_field()
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    sensitive = sensitive_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = "Select what happened"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        require_absence_reason(self, cleaned)
        return cleaned


class UnbookedTypeField(ListedModelChoiceField):
    LABELS = {"office_visit": "Office visit without an appointment", "other": "Other agency contact"}

    def label_from_instance(self, obj: Any) -> str:
        return self.LABELS.get(obj.code, obj.name)


class LogContactForm(GovukFormMixin, forms.Form):
    """A contact that happened without a booking, with its outcome, on one page."""

    type = UnbookedTypeField(
        label="Type of contact",
        queryset=ContactType.objects.filter(active=True, code__in=UNBOOKED_CONTACT_TYPES),
        widget=forms.RadioSelect,
        empty_label=None,
        cached_as="unbooked",
    )
    day = DateField(label="Date", past=True, called="The date of the contact", help_text="For example, 2 12 2026")
    at = TimeField(label="Time")
    staff = ListedModelChoiceField(
        label="Officer", queryset=StaffMember.objects.none(), empty_label="Choose the officer"
    )
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Needed for an office visit or home visit (enforceable). For a call, email, letter or other "
        "agency contact, leave it unselected: it is recorded as having taken place.",
    )
    absence_reason = absence_reason_field()
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}))
    sensitive = sensitive_field()

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_staff(self.fields["staff"], staff)
        self.fields["type"].error_messages["required"] = "Select the type of contact"
        self.fields["at"].error_messages["required"] = "Enter the time"
        self.fields["staff"].error_messages["required"] = "Choose the officer"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("type")
        if kind is not None and kind.enforceable and not cleaned.get("outcome"):
            self.add_error("outcome", f"Select what happened at the {kind.name.lower()}")
        require_absence_reason(self, cleaned)
        when = cleaned.get("day") and cleaned.get("at") and moment(cleaned["day"], cleaned["at"])
        if when and when > timezone.now():
            self.add_error("at", "The time must be now or in the past: book a future appointment instead")
        return cleaned

    def contact(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "starts_at": moment(data["day"], data["at"]),
            "staff": data["staff"],
            "outcome": data["outcome"],
            "absence_reason": data["absence_reason"] if data["outcome"] == Outcome.ACCEPTABLE_ABSENCE else "",
            "notes": data["notes"],
            "sensitive": data["sensitive"],
        }


class AmendForm(GovukFormMixin, forms.Form):
    day = DateField(label="Date")
    at = TimeField(label="Time")
    location = forms.CharField(max_length=200, required=False)
    outcome = forms.ChoiceField(choices=[("", "No outcome yet"), *Outcome.choices], required=False)
    absence_reason = forms.ChoiceField(
        label="Reason the absence is acceptable",
        choices=[("", "Not an acceptable absence"), *AbsenceReason.choices],
        required=False,
    )
    enforceable = forms.BooleanField(label="Enforceable (National Standard)", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))
    sensitive = forms.BooleanField(label="The notes are sensitive", required=False)
    reason = forms.CharField(
        label="Why are you changing this contact?", max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    withdraw_warning = forms.BooleanField(label="Withdraw the warning", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the version this change started from

    def __init__(self, *args: Any, warning: EnforcementAction | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why you are changing this contact"
        if warning is None:
            del self.fields["withdraw_warning"]
            self.helper = self.build_helper()
        else:  # changed to an outcome that is no failure, the warning given for it no longer stands
            self.fields["withdraw_warning"].label = f"Withdraw the warning given on {warning.on:%-d %B %Y}"
            self.fields["withdraw_warning"].help_text = (
                "A warning was given for this failure to comply. If the new outcome is not a failure to comply, "
                "the warning no longer stands: withdraw it to change the outcome."
            )

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        local = timezone.localtime(contact.starts_at)
        return {
            "day": local.date(),
            "at": local.strftime("%H:%M"),
            "location": contact.location,
            "outcome": contact.outcome,
            "absence_reason": contact.absence_reason,
            "enforceable": contact.enforceable,
            "notes": contact.notes,
            "sensitive": contact.sensitive,
            "version": contact.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        require_absence_reason(self, cleaned)
        when = cleaned.get("day") and cleaned.get("at") and moment(cleaned["day"], cleaned["at"])
        if when and cleaned.get("outcome") and when > timezone.now():
            self.add_error("outcome", "A contact in the future cannot have an outcome yet")
        return cleaned

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": moment(data["day"], data["at"]),
            "location": data["location"],
            "outcome": data["outcome"],
            "absence_reason": data["absence_reason"] if data["outcome"] == Outcome.ACCEPTABLE_ABSENCE else "",
            "enforceable": data["enforceable"],
            "notes": data["notes"],
            "sensitive": data["sensitive"],
        }


class EnteredInErrorForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why was this contact entered in error?", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why this contact was entered in error"


class CancelAppointmentForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the appointment cancelled?", max_length=250, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the appointment is cancelled"


class ContactLogFilterForm(GovukFormMixin, forms.Form):
    type = ListedModelChoiceField(
        queryset=ContactType.objects.all(), required=False, empty_label="Any type", cached_as="all"
    )
    outcome = forms.ChoiceField(
        choices=[("", "Any outcome"), ("none", "No outcome yet"), *Outcome.choices], required=False
    )
    enforceable = forms.ChoiceField(
        label="Enforceable", choices=[("", "Either"), ("yes", "Yes"), ("no", "No")], required=False
    )
    date_from = DateField(label="From", required=False)
    date_to = DateField(label="To", required=False)
    text = forms.CharField(label="Words in the notes", max_length=100, required=False)


def set_staff(field: Any, staff: Any) -> None:
    """The officers a contact may be with: a list already read (the view's cached list) or a queryset."""
    if isinstance(staff, list):
        field.rows = staff
    else:
        field.queryset = staff

"""Forms for the person's details, addresses, personal contacts, circumstances, disabilities and risk."""

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from cases.models import Address, Circumstance, Disability, PersonalContact, Phone, Predictor
from cases.models.person import Person, Rosh
from cases.models.risk import AT_RISK
from probation.govuk_forms import DateField, GovukFormMixin

PNC = re.compile(r"[0-9]{2,4}/[0-9]{1,7}[A-Z]")
CRO = re.compile(r"[0-9]{1,6}/[0-9]{2}[A-Z]")
PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
PHONE_ROWS = 3
EXAMPLE = "For example, 20 11 2026"


def _required(form: forms.Form, **messages: str) -> None:
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message
        form.fields[name].error_messages["invalid_choice"] = message


class IdentityChecks:
    """The PNC number's format and a plausible date of birth, wherever a person's identity is entered (adding a
    person; their personal details)."""

    cleaned_data: dict[str, Any]

    def clean_pnc(self) -> str:
        value = self.cleaned_data["pnc"].strip().upper()
        if value and not PNC.fullmatch(value):
            raise forms.ValidationError("Enter a PNC number in the correct format, like 2010/0123456X")
        return value

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate() - timedelta(days=365 * 10):
            raise forms.ValidationError("Date of birth must be at least 10 years ago")
        return value


class DetailsForm(IdentityChecks, GovukFormMixin, forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    preferred_name = forms.CharField(label="Preferred name", max_length=100, required=False)
    pronouns = forms.CharField(max_length=50, required=False, help_text="For example, she/her or they/them")
    date_of_birth = DateField(label="Date of birth", help_text="For example, 27 3 1990", earliest=None)
    gender = forms.ChoiceField(choices=Person.Gender.choices, widget=forms.RadioSelect)
    pnc = forms.CharField(label="PNC number", max_length=14, required=False, help_text="For example 2010/0123456X")
    cro = forms.CharField(label="CRO number", max_length=12, required=False, help_text="For example 123456/08A")
    email = forms.EmailField(label="Email address", required=False, max_length=254)
    language = forms.CharField(label="Preferred language", max_length=100, required=False)
    interpreter = forms.BooleanField(label="An interpreter is needed", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(PHONE_ROWS):
            self.fields[f"phone_{n}"] = forms.CharField(
                label=f"Phone number {n + 1}",
                max_length=30,
                required=False,
                widget=forms.TextInput(attrs={"type": "tel"}),
            )
            self.fields[f"phone_type_{n}"] = forms.ChoiceField(
                label=f"Type of phone number {n + 1}", choices=Phone.Type.choices, required=False
            )
            self.fields[f"phone_type_{n}"].error_messages["invalid_choice"] = "Choose mobile, home or work"
        self.helper = self.build_helper()
        _required(self, first_name="Enter the first name", last_name="Enter the last name", gender="Select the gender")
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )

    def clean_cro(self) -> str:
        value = self.cleaned_data["cro"].strip().upper()
        if value and not CRO.fullmatch(value):
            raise forms.ValidationError("Enter a CRO number in the correct format, like 123456/08A")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for n in range(PHONE_ROWS):
            number = cleaned.get(f"phone_{n}", "").strip()
            if number and not PHONE.match(number):
                self.add_error(f"phone_{n}", "Enter a phone number, like 0191 496 0000 or +44 7700 900 982")
            cleaned[f"phone_{n}"] = number
        return cleaned

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        phones = [
            (data[f"phone_{n}"], data.get(f"phone_type_{n}") or Phone.Type.MOBILE)
            for n in range(PHONE_ROWS)
            if data.get(f"phone_{n}")
        ]
        fields = {name: data[name] for name in self.base_fields}
        return {"phones": phones, **fields}

    @staticmethod
    def initial_for(person: Person, phones: list[Phone]) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(person, name) for name in DetailsForm.base_fields}
        for n, phone in enumerate(phones[:PHONE_ROWS]):
            initial[f"phone_{n}"], initial[f"phone_type_{n}"] = phone.number, phone.type
        return initial


class AddressFields(GovukFormMixin, forms.Form):
    lines = forms.CharField(
        label="Address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        help_text="Each part of the address on its own line, without the postcode",
        max_length=500,
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data.get("postcode", "").upper().split())
        if postcode and not POSTCODE.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like NE1 4ST")
        if postcode and " " not in postcode:
            postcode = f"{postcode[:-3]} {postcode[-3:]}"
        return postcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["lines"] = "\n".join(line.strip() for line in cleaned.get("lines", "").splitlines() if line.strip())
        if cleaned.get("type") != Address.Type.NO_FIXED_ABODE and "type" in cleaned and not cleaned["lines"]:
            self.add_error("lines", "Enter the address")
        return cleaned


HOME_CHOICES = [(t.value, t.label) for t in Address.Type if t in Address.HOME_TYPES]


class MoveForm(AddressFields):
    """A move: the address they live at now ends the day before, and this one starts."""

    type = forms.ChoiceField(label="Where they have moved to", choices=HOME_CHOICES, widget=forms.RadioSelect)
    moved_on = DateField(label="Date of the move", past=True, help_text=EXAMPLE)
    field_order = ["type", "lines", "postcode", "moved_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self, type="Select where they have moved to")


class AddressForm(AddressFields):
    """Another address: a secondary one, or one in the past."""

    type = forms.ChoiceField(label="Type of address", choices=Address.Type.choices, widget=forms.RadioSelect)
    from_date = DateField(label="Start date", past=True, help_text=EXAMPLE, earliest=None)
    to_date = DateField(label="End date", required=False, help_text="Leave blank if they still use it", earliest=None)
    field_order = ["type", "lines", "postcode", "from_date", "to_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self, type="Select the type of address")


class EndForm(GovukFormMixin, forms.Form):
    to_date = DateField(label="End date", past=True, help_text=EXAMPLE, earliest=None)


class _Dated(GovukFormMixin, forms.Form):
    from_date = DateField(label="Start date", past=True, help_text=EXAMPLE, earliest=None)
    to_date = DateField(label="End date", required=False, help_text="Leave blank if it still applies", earliest=None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from_date"), cleaned.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", "The end date must be on or after the start date")
        return cleaned


class PersonalContactForm(_Dated):
    name = forms.CharField(max_length=200)
    relationship = forms.ChoiceField(choices=PersonalContact.Relationship.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label="Phone number", max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    field_order = ["name", "relationship", "phone", "address", "from_date", "to_date", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self, name="Enter their name", relationship="Select how they are related to the person")

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("Enter a phone number, like 0191 496 0000 or +44 7700 900 982")
        return phone


class CircumstanceForm(_Dated):
    type = forms.ChoiceField(label="Circumstance", choices=Circumstance.Type.choices, widget=forms.RadioSelect)
    value = forms.CharField(
        label="What it is", max_length=200, help_text="For example, settled, unemployed, Universal Credit"
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    field_order = ["type", "value", "from_date", "to_date", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self, type="Select the circumstance", value="Enter what it is")


class DisabilityForm(_Dated):
    type = forms.ChoiceField(label="Disability or condition", choices=Disability.Type.choices, widget=forms.RadioSelect)
    adjustments = forms.CharField(
        label="Adjustments agreed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example, appointments downstairs, or a reader for letters",
    )
    field_order = ["type", "adjustments", "from_date", "to_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self, type="Select the disability or condition")


GROUP_LABELS = {"children": "Children", "public": "The public", "known_adult": "A known adult", "staff": "Staff"}
LEVELS = [("", "Not assessed"), *Rosh.choices]


class RoshAssessmentForm(GovukFormMixin, forms.Form):
    assessed_on = DateField(label="Date of the assessment", past=True, help_text=EXAMPLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for setting, where in (("community", "in the community"), ("custody", "in custody")):
            for group in AT_RISK:
                name = f"{setting}_{group}"
                self.fields[name] = forms.ChoiceField(
                    label=f"Risk to {GROUP_LABELS[group].lower()} {where}", choices=LEVELS, required=False
                )
                self.fields[name].error_messages["invalid_choice"] = "Choose low, medium, high or very high"
        self.helper = self.build_helper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(cleaned.get(name) for name in self.fields if name != "assessed_on"):
            self.add_error("community_children", "Enter at least one level of risk")
        return cleaned

    def levels(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if name != "assessed_on"}


class PredictorForm(GovukFormMixin, forms.Form):
    name = forms.ChoiceField(label="Predictor", choices=Predictor.Name.choices, widget=forms.RadioSelect)
    score = forms.DecimalField(
        label="Score", max_digits=6, decimal_places=2, min_value=0, max_value=100, required=False
    )
    band = forms.ChoiceField(label="Band", choices=[("", "Choose a band"), *Rosh.choices], required=False)
    on = DateField(label="Date of the score", past=True, help_text=EXAMPLE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _required(self, name="Select the predictor")
        score = self.fields["score"]
        score.error_messages.update(
            invalid="Enter the score as a number, like 34.5",
            min_value="The score must be 0 or more",
            max_value="The score must be 100 or less",
            max_digits="Enter the score as a number, like 34.5",
            max_decimal_places="The score must have no more than 2 decimal places",
        )
        self.fields["band"].error_messages["invalid_choice"] = "Choose low, medium, high or very high"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and cleaned.get("score") is None and not cleaned.get("band"):
            self.add_error("score", "Enter the score, the band, or both")
        return cleaned

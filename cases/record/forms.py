import re
from typing import Any, cast

from django import forms
from django.utils import timezone

from cases.models import Event, Person, Registration, Requirement
from cases.models.person import TIER_CHOICES, Rosh
from cases.person.forms import IdentityChecks
from cases.record.selectors import CaseloadFilters
from cases.record.services import NO_REQUIREMENT
from probation.govuk_forms import DateField, GovukFormMixin, WholeNumberField


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


MAX_SEARCH_WORDS = 4


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="CRN, name or PNC number",
        required=False,
        max_length=100,
        help_text=(
            "For example X123456, Smith, or 2010/0123456X. Part of a name or an alias will do: "
            "2 letters find names that begin with them."
        ),
    )
    date_of_birth = DateField(label="Date of birth", required=False, help_text="For example, 27 3 1990", earliest=None)

    def clean_q(self) -> str:
        """At most MAX_SEARCH_WORDS words of at least 2 characters each: one-letter words are left out when
        there are others, so every search stays cheap to plan (50 one-letter words took over a second)."""
        words = self.cleaned_data.get("q", "").split()
        if len(words) > MAX_SEARCH_WORDS:
            raise forms.ValidationError(f"Enter no more than {MAX_SEARCH_WORDS} words")
        kept = [word for word in words if len(word) >= 2]
        if words and not kept:
            raise forms.ValidationError("Enter at least 2 letters of a name, or a CRN or PNC number")
        return " ".join(kept)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("q", "").strip() and not cleaned.get("date_of_birth") and not self.errors:
            raise forms.ValidationError("Enter a CRN, name, PNC number or date of birth")
        return cleaned


# Requirements of a community order or SSO, offered beside Unpaid Work, RAR and a programme.
OTHER_REQUIREMENTS = [
    Requirement.Type.DRUG_REHABILITATION,
    Requirement.Type.ALCOHOL_TREATMENT,
    Requirement.Type.MENTAL_HEALTH_TREATMENT,
    Requirement.Type.CURFEW,
    Requirement.Type.EXCLUSION,
]
ORDER_ONLY_FIELDS = ["unpaid_work_hours", "rar_days", "programme", "other_requirements"]


def _conditions_fit(text: str) -> str:
    """Each line becomes one licence condition: refuse one too long to keep whole, rather than cut it short."""
    limit = Requirement._meta.get_field("description").max_length or 0
    if any(len(line.strip()) > limit for line in text.splitlines()):
        raise forms.ValidationError(f"Each licence condition must be {limit} characters or fewer: one a line")
    return text


class EventForm(GovukFormMixin, forms.Form):
    """A new sentence from court (community order or suspended sentence order) or a release on licence."""

    type = forms.ChoiceField(label="Sentence type", choices=Event.Type.choices, widget=forms.RadioSelect)
    sentence_date = DateField(label="Sentence date", help_text="For example, 19 12 2025", past=True)
    release_date = DateField(
        label="Release date",
        required=False,
        help_text="For a licence or post-sentence supervision only",
        past=True,
    )
    length_months = WholeNumberField(label="Length in months", min_value=1, max_value=240, required=False)
    court = forms.CharField(max_length=100, required=False)
    offence = forms.CharField(label="Main offence", max_length=200, required=False)
    unpaid_work_hours = WholeNumberField(label="Unpaid work hours", min_value=40, max_value=300, required=False)
    rar_days = WholeNumberField(label="RAR days", min_value=1, max_value=365, required=False)
    programme = forms.CharField(
        label="Accredited programme", max_length=100, required=False, help_text="For example TSP or BBR"
    )
    other_requirements = forms.MultipleChoiceField(
        label="Other requirements",
        choices=[(t.value, t.label) for t in OTHER_REQUIREMENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
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
        self.release = release
        if release:  # a licence or PSS has licence conditions: Unpaid Work, RAR and programmes belong to orders
            cast(forms.ChoiceField, self.fields["type"]).choices = [(t.value, t.label) for t in Event.RELEASE_TYPES]
            self.fields["release_date"].required = True
            for name in ORDER_ONLY_FIELDS:
                del self.fields[name]
        else:
            orders = [Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER]
            cast(forms.ChoiceField, self.fields["type"]).choices = [(t.value, t.label) for t in orders]
            for name in ["release_date", "licence_conditions"]:
                del self.fields[name]

    def clean_licence_conditions(self) -> str:
        return _conditions_fit(self.cleaned_data["licence_conditions"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sentence, release = cleaned.get("sentence_date"), cleaned.get("release_date")
        if sentence and release and release < sentence:
            self.add_error("release_date", "The release date must be on or after the sentence date")
        requirement_fields = ORDER_ONLY_FIELDS[:-1]
        if not self.release and not self.errors.keys() & set(requirement_fields) and not self.requirements():
            self.add_error(requirement_fields[0], NO_REQUIREMENT)
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
        for kind in data.get("other_requirements") or []:
            found.append({"type": kind})
        for line in (data.get("licence_conditions") or "").splitlines():
            if line.strip():
                found.append({"type": Requirement.Type.LICENCE_CONDITION, "description": line.strip()[:300]})
        return found


class NewPersonForm(IdentityChecks, EventForm):
    """A person new to probation and the sentence the court has just passed."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = DateField(label="Date of birth", help_text="For example, 27 3 1990", earliest=None)
    pnc = forms.CharField(label="PNC number", max_length=14, required=False, help_text="For example 2010/0123456X")
    gender = forms.ChoiceField(choices=Person.Gender.choices, widget=forms.RadioSelect)

    field_order = ["first_name", "last_name", "date_of_birth", "pnc", "gender"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, release=False, **kwargs)
        self.order_fields(self.field_order)
        self.helper = self.build_helper()  # again, in the new field order
        self.fields["first_name"].error_messages["required"] = "Enter the first name"
        self.fields["last_name"].error_messages["required"] = "Enter the last name"
        self.fields["gender"].error_messages["required"] = "Select the gender"

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.field_order}


class RiskLevelForm(GovukFormMixin, forms.Form):
    rosh = forms.ChoiceField(label="Risk of serious harm (RoSH)", choices=Rosh.choices, widget=forms.RadioSelect)
    tier = forms.ChoiceField(choices=_any("Choose a tier", TIER_CHOICES))
    assessed_on = DateField(label="Date of assessment", help_text="For example, 20 11 2026", past=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rosh"].error_messages["required"] = "Select the RoSH level"
        self.fields["tier"].error_messages["required"] = "Choose the tier"


class RegistrationForm(GovukFormMixin, forms.Form):
    type = forms.ChoiceField(label="Flag", choices=_any("Choose a flag", Registration.Type.choices))
    from_date = DateField(label="Start date", help_text="For example, 20 11 2026", past=True)
    review_due = DateField(label="Next review", required=False, help_text="Usually within 6 months")
    mappa_level = forms.TypedChoiceField(
        label="MAPPA level",
        choices=[("", "Not MAPPA"), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    mappa_category = forms.TypedChoiceField(
        label="MAPPA category",
        choices=[("", "Not MAPPA"), (1, "1"), (2, "2"), (3, "3"), (4, "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Choose the flag"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, review = cleaned.get("from_date"), cleaned.get("review_due")
        if start and review and review < start:
            self.add_error("review_due", "The next review must be on or after the start date")
        is_mappa = cleaned.get("type") == Registration.Type.MAPPA
        for name in ["mappa_level", "mappa_category"]:
            if is_mappa and not cleaned.get(name):
                self.add_error(name, f"Choose the {self.fields[name].label}")
            if not is_mappa and cleaned.get(name):
                self.add_error(name, "Only a MAPPA flag has a MAPPA level and category")
        return cleaned


class RegistrationReviewForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=[("continue", "Keep the flag, with a new review date"), ("end", "End the flag")],
        widget=forms.RadioSelect,
    )
    next_review = DateField(label="Next review", required=False)
    ended_on = DateField(label="End date", required=False, past=True)

    def __init__(self, *args: Any, registration: Registration, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registration = registration
        self.fields["outcome"].error_messages["required"] = "Select the outcome of the review"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        outcome = cleaned.get("outcome")
        start = self.registration.from_date
        if outcome == "continue":
            review = cleaned.get("next_review")
            if not review and "next_review" not in self.errors:
                self.add_error("next_review", "Enter the next review date")
            elif review and review <= max(timezone.localdate(), start):
                self.add_error("next_review", "The next review must be in the future")
        if outcome == "end":
            ended = cleaned.get("ended_on")
            if not ended and "ended_on" not in self.errors:
                self.add_error("ended_on", "Enter the end date")
            elif ended and ended < start:
                self.add_error("ended_on", f"The end date must be on or after the start date, {start:%-d %B %Y}")
        return cleaned


postcode_pattern = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
phone_pattern = re.compile(r"^\+?[0-9 ()-]{7,20}$")


class ContactDetailsForm(GovukFormMixin, forms.Form):
    """The person's current main address and email (phones are among their personal details)."""

    lines = forms.CharField(
        label="Address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "street-address"}),
        help_text="Each part of the address on its own line, without the postcode",
        max_length=500,
    )
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    email = forms.EmailField(label="Email address", required=False, max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data.get("postcode", "").upper().split())
        if postcode and not postcode_pattern.match(postcode):
            raise forms.ValidationError("Enter a real postcode, like NE1 4ST")
        if postcode and " " not in postcode:
            postcode = f"{postcode[:-3]} {postcode[-3:]}"
        return postcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["lines"] = "\n".join(line.strip() for line in cleaned.get("lines", "").splitlines() if line.strip())
        if cleaned.get("postcode") and not cleaned["lines"]:
            self.add_error("lines", "Enter the address as well as the postcode")
        return cleaned

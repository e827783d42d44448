"""The person as an officer needs to know them: their details, addresses, personal contacts, circumstances and
disabilities (one page, changed by the case's RO and its PDU's managers), and their risk in full."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.access import may_change_as_read
from cases.case_pages import case_page
from cases.models import Address, Circumstance, Disability, Person, PersonalContact
from cases.person import selectors, services
from cases.person.forms import (
    AddressForm,
    CircumstanceForm,
    DetailsForm,
    DisabilityForm,
    EndForm,
    MoveForm,
    PersonalContactForm,
    PredictorForm,
    RoshAssessmentForm,
)
from probation.forms_errors import add_validation_error

DETAIL_FIELDS = (
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "gender",
    "pnc",
    "cro",
    "email",
    "language",
    "interpreter",
)


def _form_page(request: HttpRequest, person: Person, form: forms.Form, title: str, back: str) -> HttpResponse:
    context = {"person": person, "form": form, "title": title, "back": back}
    return render(request, "cases/simple_form.html", context)


def _saved(
    request: HttpRequest, form: forms.Form, save: Callable[[], Any], message: str, to: str, crn: str
) -> HttpResponse | None:
    """Save through the service if the form is valid; a refusal becomes GOV.UK errors on the form."""
    if not form.is_valid():
        return None
    try:
        save()
    except ValidationError as error:
        add_validation_error(form, error)
        return None
    messages.success(request, message)
    return redirect(to, crn=crn)


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@case_page(fields=DETAIL_FIELDS, rights=True)
def person_page(request: HttpRequest, person: Person) -> HttpResponse:
    record = selectors.person_record(person)
    context = {"person": person, "record": record, "may_change": may_change_as_read(request.user, person)}
    return render(request, "cases/person.html", context)


@case_page(write=True, fields=DETAIL_FIELDS)
def details(request: HttpRequest, person: Person) -> HttpResponse:
    form = DetailsForm(_post(request), initial=DetailsForm.initial_for(person, list(person.phones.order_by("id"))))

    def save() -> None:
        changed = services.details_change(person=person, user=request.user, **form.details())
        if not changed:
            messages.info(request, "Nothing was changed")

    done = _saved(request, form, save, "Personal details saved", "cases:person", person.crn)
    return done or _form_page(request, person, form, "Change personal details", "cases:person")


@case_page(write=True)
def address_move(request: HttpRequest, person: Person) -> HttpResponse:
    form = MoveForm(_post(request), initial={"type": Address.Type.MAIN})

    def save() -> None:
        services.address_move(person=person, user=request.user, **form.cleaned_data)

    done = _saved(request, form, save, "Move of address recorded", "cases:person", person.crn)
    return done or _form_page(request, person, form, "Record a move of address", "cases:person")


@case_page(write=True)
def address_new(request: HttpRequest, person: Person) -> HttpResponse:
    form = AddressForm(_post(request), initial={"type": Address.Type.SECONDARY})

    def save() -> None:
        services.address_add(person=person, user=request.user, **form.cleaned_data)

    done = _saved(request, form, save, "Address added", "cases:person", person.crn)
    return done or _form_page(request, person, form, "Add another address", "cases:person")


@case_page(write=True, record=Address.objects.filter(to_date__isnull=True, type=Address.Type.SECONDARY))
def address_end(request: HttpRequest, person: Person, record: Address) -> HttpResponse:
    form = EndForm(_post(request))

    def save() -> None:
        services.address_end(address=record, user=request.user, **form.cleaned_data)

    done = _saved(request, form, save, "Address ended", "cases:person", person.crn)
    return done or _form_page(request, person, form, f"End the address {record}", "cases:person")


def _dated_record_page(
    request: HttpRequest,
    person: Person,
    record: Any,
    form_class: type[forms.Form],
    save: Callable[..., Any],
    keyword: str,
    what: str,
) -> HttpResponse:
    initial = {name: getattr(record, name) for name in form_class.base_fields} if record else {}
    form = form_class(_post(request), initial=initial)
    done = _saved(
        request,
        form,
        lambda: save(person=person, user=request.user, **{keyword: record}, **form.cleaned_data),
        f"{what.capitalize()} {'changed' if record else 'added'}",
        "cases:person",
        person.crn,
    )
    title = f"Change the {what}" if record else f"Add a {what}"
    return done or _form_page(request, person, form, title, "cases:person")


@case_page(write=True)
def personal_contact_new(request: HttpRequest, person: Person) -> HttpResponse:
    return _dated_record_page(
        request, person, None, PersonalContactForm, services.personal_contact_save, "contact", "personal contact"
    )


@case_page(write=True, record=PersonalContact.objects.all())
def personal_contact(request: HttpRequest, person: Person, record: PersonalContact) -> HttpResponse:
    return _dated_record_page(
        request, person, record, PersonalContactForm, services.personal_contact_save, "contact", "personal contact"
    )


@case_page(write=True)
def circumstance_new(request: HttpRequest, person: Person) -> HttpResponse:
    return _dated_record_page(
        request, person, None, CircumstanceForm, services.circumstance_save, "circumstance", "circumstance"
    )


@case_page(write=True, record=Circumstance.objects.all())
def circumstance(request: HttpRequest, person: Person, record: Circumstance) -> HttpResponse:
    return _dated_record_page(
        request, person, record, CircumstanceForm, services.circumstance_save, "circumstance", "circumstance"
    )


@case_page(write=True)
def disability_new(request: HttpRequest, person: Person) -> HttpResponse:
    return _dated_record_page(
        request, person, None, DisabilityForm, services.disability_save, "disability", "disability or condition"
    )


@case_page(write=True, record=Disability.objects.all())
def disability(request: HttpRequest, person: Person, record: Disability) -> HttpResponse:
    return _dated_record_page(
        request, person, record, DisabilityForm, services.disability_save, "disability", "disability or condition"
    )


@case_page(fields=("rosh", "tier"), rights=True)
def risk(request: HttpRequest, person: Person) -> HttpResponse:
    full = selectors.risk_in_full(person)
    context = {"person": person, "risk": full, "may_change": may_change_as_read(request.user, person)}
    return render(request, "cases/risk.html", context)


@case_page(write=True, fields=("tier",))
def rosh_new(request: HttpRequest, person: Person) -> HttpResponse:
    form = RoshAssessmentForm(_post(request))

    def save() -> None:
        services.rosh_assessment_record(
            person=person, user=request.user, assessed_on=form.cleaned_data["assessed_on"], levels=form.levels()
        )

    done = _saved(request, form, save, "RoSH assessment recorded", "cases:risk-full", person.crn)
    return done or _form_page(request, person, form, "Record a RoSH assessment", "cases:risk-full")


@case_page(write=True)
def predictor_new(request: HttpRequest, person: Person) -> HttpResponse:
    form = PredictorForm(_post(request))

    def save() -> None:
        services.predictor_record(person=person, user=request.user, **form.cleaned_data)

    done = _saved(request, form, save, "Predictor score recorded", "cases:risk-full", person.crn)
    return done or _form_page(request, person, form, "Record a predictor score", "cases:risk-full")

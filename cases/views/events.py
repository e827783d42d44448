from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases import services
from cases.access import staff_of
from cases.forms import EventForm, NewPersonForm
from cases.views.case import person_to_change
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role


def _record(request: HttpRequest, crn: str, *, release: bool) -> HttpResponse:
    person = person_to_change(request, crn)
    form = EventForm(request.POST if request.method == "POST" else None, release=release)
    if form.is_valid():
        try:
            event = services.event_record(person=person, user=request.user, **form.event_fields())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{event.get_type_display()} recorded as event {event.ref}")
            return redirect("cases:overview", crn=person.crn)
    title = "Record a release on licence" if release else "Record a new sentence from court"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


def event_new(request: HttpRequest, crn: str) -> HttpResponse:
    return _record(request, crn, release=False)


def release_new(request: HttpRequest, crn: str) -> HttpResponse:
    return _record(request, crn, release=True)


@role_required(Role.OFFICER, Role.SPO, Role.PDU_HEAD)
def person_new(request: HttpRequest) -> HttpResponse:
    """Court intake: a person new to probation and their sentence, in the user's PDU."""
    staff = staff_of(request.user)
    if staff is None or staff.pdu is None:
        raise PermissionDenied("Your account is not linked to a PDU, so you cannot add people to one")
    form = NewPersonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            event = services.person_record(
                user=request.user, pdu=staff.pdu, person_fields=form.person_fields(), event_fields=form.event_fields()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{event.person.name} added with CRN {event.person.crn}")
            return redirect("cases:overview", crn=event.person.crn)
    return render(request, "cases/person_form.html", {"form": form, "pdu": staff.pdu})

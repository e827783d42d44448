"""Custodial sentences before release: recording them, the handover meeting, and release onto licence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.case_pages import case_page
from cases.custody import services as custody
from cases.custody.forms import CustodyForm, HandoverMeetingForm, ReleaseForm
from cases.models import Event, Person
from cases.record import services
from probation.forms_errors import add_validation_error


@case_page(write=True)
def custody_new(request: HttpRequest, person: Person) -> HttpResponse:
    form = CustodyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            event = services.event_record(person=person, user=request.user, **form.event_fields())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Custodial sentence recorded as event {event.ref}")
            return redirect("cases:overview", crn=person.crn)
    return render(
        request, "cases/simple_form.html", {"person": person, "form": form, "title": "Record a sentence to custody"}
    )


CUSTODIAL = Event.objects.active().filter(type=Event.Type.CUSTODY)


@case_page(write=True, events=CUSTODIAL)
def handover_meeting(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    form = HandoverMeetingForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            custody.record_meeting(event=event, user=request.user, on=form.cleaned_data["on"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Handover meeting recorded")
            return redirect("cases:overview", crn=event.person.crn)
    return render(
        request,
        "cases/simple_form.html",
        {"person": event.person, "form": form, "title": "Record the handover meeting"},
    )


@case_page(write=True, events=CUSTODIAL)
def release(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            custody.release(
                event=event,
                user=request.user,
                released_on=data["released_on"],
                licence_type=data["licence_type"],
                conditions=data["conditions"].splitlines(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Release recorded: the licence has started")
            return redirect("cases:overview", crn=event.person.crn)
    return render(
        request,
        "cases/simple_form.html",
        {"person": event.person, "form": form, "title": f"Record release: event {event.ref}"},
    )

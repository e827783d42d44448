"""Custodial sentences before release: recording them, the handover meeting, and release onto licence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases.case_pages import check_event_writable, person_to_change
from cases.custody import services as custody
from cases.custody.forms import CustodyForm, HandoverMeetingForm, ReleaseForm
from cases.models import Event
from cases.record import services
from probation.forms_errors import add_validation_error


def custody_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = person_to_change(request, crn)
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


def _custody_event(request: HttpRequest, crn: str, ref: str) -> Event:
    person = person_to_change(request, crn)
    event = get_object_or_404(
        Event.objects.active().select_related("person"), person=person, ref=ref, type=Event.Type.CUSTODY
    )
    check_event_writable(request, event)
    return event


def handover_meeting(request: HttpRequest, crn: str, ref: str) -> HttpResponse:
    event = _custody_event(request, crn, ref)
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


def release(request: HttpRequest, crn: str, ref: str) -> HttpResponse:
    event = _custody_event(request, crn, ref)
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

"""Referring a case to a service, updating the referral, and the officer's referrals awaiting a response."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.access import staff_of, visible_people
from cases.case_pages import case_page
from cases.models import Event, Objective, Person
from interventions.forms import ReferralForm, ReferralUpdateForm
from interventions.models import Referral, Service
from interventions.referrals import services as referrals
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role


@case_page(write=True, events=Event.objects.active().select_related("pdu"))
def refer(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    services = Service.objects.filter(Q(region__isnull=True) | Q(region_id=event.pdu.region_id), active=True)
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        services=services,
        objectives=Objective.objects.filter(plan__event=event, achieved=False),
        initial={"on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            referral = referrals.refer(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Referred to {referral.service.name}")
            return redirect("cases:overview", crn=person.crn)
    title = f"Refer to a service: event {event.ref}"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@case_page(write=True, record=Referral.objects.select_related("service"))
def update(request: HttpRequest, person: Person, record: Referral) -> HttpResponse:
    referral = record
    allowed = [(s.value, s.label) for s in referrals.NEXT.get(Referral.Status(referral.status), set())]
    allowed.sort(key=lambda choice: list(Referral.Status.values).index(choice[0]))
    form = ReferralUpdateForm(
        request.POST if request.method == "POST" else None, allowed=allowed, initial={"on": timezone.localdate()}
    )
    if form.is_valid():
        try:
            referrals.update(referral=referral, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Referral updated")
            return redirect("cases:overview", crn=person.crn)
    title = f"Update the referral to {referral.service.name}"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@role_required(Role.OFFICER)
def awaiting(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    items = (
        Referral.objects.filter(
            status=Referral.Status.REFERRED,
            event__allocations__staff=staff,
            event__allocations__to_date__isnull=True,
            event__person__in=visible_people(request.user),
        )
        .select_related("event__person", "service")
        .order_by("referred_on", "id")
        if staff
        else Referral.objects.none()
    )
    return render(request, "interventions/awaiting.html", {"referrals": items, "today": timezone.localdate()})

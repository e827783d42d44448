"""RoSH and tier, and registrations (risk flags) with their reviews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases import services
from cases.access import may_change_case
from cases.forms import RegistrationForm, RegistrationReviewForm, RiskLevelForm
from cases.models import Person, Registration


def _changeable(request: HttpRequest, crn: str) -> Person:
    person = get_object_or_404(Person, crn=crn.upper())
    if not may_change_case(request.user, person):
        raise PermissionDenied(
            "Only the responsible officer, and SPOs and heads of the case's PDU, may change this case"
        )
    return person


def risk_level(request: HttpRequest, crn: str) -> HttpResponse:
    person = _changeable(request, crn)
    initial = {"rosh": person.rosh, "tier": person.tier, "assessed_on": timezone.localdate()}
    form = RiskLevelForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        services.risk_level_record(person=person, user=request.user, **form.cleaned_data)
        messages.success(request, "RoSH and tier updated")
        return redirect("cases:overview", crn=person.crn)
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": "Update RoSH and tier"})


def registration_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = _changeable(request, crn)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        registration = services.registration_add(person=person, user=request.user, **form.cleaned_data)
        messages.success(request, f"{registration} flag added")
        return redirect("cases:overview", crn=person.crn)
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": "Add a flag"})


def registration_review(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    person = _changeable(request, crn)
    registration = get_object_or_404(Registration, pk=pk, person=person, ended_on__isnull=True)
    form = RegistrationReviewForm(request.POST if request.method == "POST" else None, registration=registration)
    if form.is_valid():
        data = form.cleaned_data
        ending = data["outcome"] == "end"
        services.registration_review(
            registration=registration,
            user=request.user,
            next_review=None if ending else data["next_review"],
            ended_on=data["ended_on"] if ending else None,
        )
        messages.success(request, f"{registration} flag {'ended' if ending else 'reviewed'}")
        return redirect("cases:overview", crn=person.crn)
    title = f"Review the {registration} flag"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})

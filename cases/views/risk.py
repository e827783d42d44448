"""RoSH and tier, and registrations (risk flags) with their reviews."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases import services
from cases.forms import RegistrationForm, RegistrationReviewForm, RiskLevelForm
from cases.models import Registration
from cases.views.case import person_to_change
from probation.forms_errors import add_validation_error


def risk_level(request: HttpRequest, crn: str) -> HttpResponse:
    person = person_to_change(request, crn)
    initial = {"rosh": person.rosh, "tier": person.tier, "assessed_on": timezone.localdate()}
    form = RiskLevelForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        services.risk_level_record(person=person, user=request.user, **form.cleaned_data)
        messages.success(request, "RoSH and tier updated")
        return redirect("cases:overview", crn=person.crn)
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": "Update RoSH and tier"})


def registration_new(request: HttpRequest, crn: str) -> HttpResponse:
    person = person_to_change(request, crn)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            registration = services.registration_add(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{registration} flag added")
            return redirect("cases:overview", crn=person.crn)
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": "Add a flag"})


def registration_review(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    person = person_to_change(request, crn)
    registration = get_object_or_404(Registration, pk=pk, person=person, ended_on__isnull=True)
    form = RegistrationReviewForm(request.POST if request.method == "POST" else None, registration=registration)
    if form.is_valid():
        data = form.cleaned_data
        ending = data["outcome"] == "end"
        try:
            services.registration_review(
                registration=registration,
                user=request.user,
                next_review=None if ending else data["next_review"],
                ended_on=data["ended_on"] if ending else None,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{registration} flag {'ended' if ending else 'reviewed'}")
            return redirect("cases:overview", crn=person.crn)
    title = f"Review the {registration} flag"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})

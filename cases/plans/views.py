"""The sentence plan of one sentence: objectives, the person's own words, completion and reviews."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.access import may_change_as_read
from cases.case_pages import case_page
from cases.models import Event, Objective, Person, SentencePlan
from cases.plans import services as plans
from cases.plans.forms import CompleteForm, ObjectiveForm, PersonsViewForm, ReviewForm
from probation.forms_errors import add_validation_error


@case_page(rights=True)
def plan(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    current = SentencePlan.objects.filter(event=event).first()
    served_by = ("requirements", "referrals__service")  # what serves each objective
    objectives = list(current.objectives.prefetch_related(*served_by)) if current else []
    reviews = list(current.reviews.order_by("-reviewed_on", "-id")) if current else []
    last_review = reviews[0] if reviews else None
    since = last_review.recorded_at if last_review else None  # not known for an imported review
    changed = {o.pk for o in objectives if since and o.updated_at > since}
    context: dict[str, Any] = {
        "person": person,
        "event": event,
        "plan": current,
        "objectives": objectives,
        "reviews": reviews,
        "changed_since_review": changed,
        "next_review": plans.next_review_due(current, last_review) if current else None,
        "today": timezone.localdate(),
        "may_change": may_change_as_read(request.user, person) and event.is_active,
    }
    return render(request, "cases/plan.html", context)


def _versioned_save(
    request: HttpRequest,
    form: Any,
    save: Callable[[], object],
    saved_text: Callable[[], str],
    title: str,
    plan: SentencePlan,
) -> HttpResponse:
    """Run a versioned save. On a stale version: keep the user's text in the form, show the text as now
    saved beside it, and move the form on to the current version so that saving again works."""
    stale = None
    if form.is_valid():
        try:
            save()
        except ValidationError as error:
            if getattr(error, "code", None) == plans.STALE:
                plan.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = str(plan.version)
                stale = saved_text()
            add_validation_error(form, error)
        else:
            messages.success(request, "Sentence plan saved")
            return redirect("cases:plan", crn=plan.event.person.crn, ref=plan.event.ref)
    context = {"person": plan.event.person, "form": form, "title": title, "stale": stale}
    return render(request, "cases/simple_form.html", context)


@case_page(write=True)
def persons_view(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    current = plans.plan_for(event, request.user)
    initial = {"version": current.version, "persons_view": current.persons_view}
    form = PersonsViewForm(request.POST if request.method == "POST" else None, initial=initial)

    def save() -> None:
        data = form.cleaned_data
        plans.save_view(
            plan=current, user=request.user, expected_version=data["version"], persons_view=data["persons_view"]
        )

    def saved_text() -> str:
        return current.persons_view

    return _versioned_save(request, form, save, saved_text, "In their own words", current)


@case_page(write=True)
def objective(request: HttpRequest, person: Person, event: Event, pk: int | None = None) -> HttpResponse:
    current = plans.plan_for(event, request.user)
    existing = get_object_or_404(Objective, pk=pk, plan=current) if pk else None
    initial = {"version": current.version, **(ObjectiveForm.initial_for(existing) if existing else {})}
    requirements = event.requirements.filter(terminated_on__isnull=True).order_by("id")
    form = ObjectiveForm(request.POST if request.method == "POST" else None, initial=initial, requirements=requirements)

    def save() -> None:
        plans.objective_save(
            plan=current,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            objective=existing,
            fields=form.objective_fields(),
            requirements=form.cleaned_data.get("requirements"),
        )

    def saved_text() -> str:
        if existing is None:
            return ""
        existing.refresh_from_db()
        parts = [f"{existing.get_area_display()}: {existing.description}", f"Steps: {existing.steps}"]
        parts.append(f"Progress: {existing.progress}")
        return "\n\n".join(parts)

    title = "Change an objective" if existing else "Add an objective"
    return _versioned_save(request, form, save, saved_text, title, current)


@case_page(write=True)
def complete(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    current = plans.plan_for(event, request.user)
    form = CompleteForm(
        request.POST if request.method == "POST" else None,
        initial={"version": current.version, "on": timezone.localdate()},
    )

    def save() -> None:
        plans.complete(
            plan=current, user=request.user, expected_version=form.cleaned_data["version"], on=form.cleaned_data["on"]
        )

    return _versioned_save(request, form, save, lambda: "", "Complete the sentence plan", current)


@case_page(write=True)
def review(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    current = plans.plan_for(event, request.user)
    objectives = list(current.objectives.all())
    initial = {"reviewed_on": timezone.localdate(), "version": current.version}
    form = ReviewForm(request.POST if request.method == "POST" else None, objectives=objectives, initial=initial)

    def save() -> None:
        data = form.cleaned_data
        plans.review(
            plan=current,
            user=request.user,
            expected_version=data["version"],
            reviewed_on=data["reviewed_on"],
            summary=data["summary"],
            progress=form.progress(),
        )

    def saved_text() -> str:
        return "\n\n".join(f"{o}: {o.progress}" for o in current.objectives.all())

    return _versioned_save(request, form, save, saved_text, "Review the sentence plan", current)

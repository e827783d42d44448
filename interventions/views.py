"""The pages of a requirement: Unpaid Work, an accredited programme, RAR days."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cases.access import writable_events
from cases.case_pages import case_page
from cases.models import Contact, Person, Requirement
from interventions.forms import ProgrammeSessionForm, ProgrammeStepForm, UpwReviewForm, UpwSessionForm
from interventions.models import UpwReview, UpwSession
from interventions.programmes import services as programmes
from interventions.rar import selectors as rar
from interventions.upw import services as upw
from probation.forms_errors import add_validation_error


def _requirements(kind: str) -> QuerySet[Requirement]:
    """A page of one kind of requirement: read by anyone who may read the case; a POST (logging a session,
    a step, a review) needs the right to change its sentence, which must still be running."""
    return Requirement.objects.filter(type=kind).select_related("event__pdu")


def _submit(form: Form, save: Callable[[], object]) -> bool:
    """Validate, call the service, and show its refusal on the form; True when saved."""
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        add_validation_error(form, error)
        return False
    return True


def _may_change(request: HttpRequest, requirement: Requirement) -> bool:
    """Forms are shown only to those whose save would be accepted (the right to change the sentence)."""
    return writable_events(request.user).filter(pk=requirement.event_id).exists()


@case_page(write="post", record=_requirements(Requirement.Type.UNPAID_WORK))
def upw_page(request: HttpRequest, person: Person, record: Requirement) -> HttpResponse:
    """An Unpaid Work requirement: hours so far, what remains, whether it will be done in time, and forms to
    log the next session and record the six-month review (for those who may change the case)."""
    requirement = record
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    form = UpwSessionForm(posted if which != "review" else None)
    review_form = UpwReviewForm(posted if which == "review" else None, prefix="review")
    if which == "review":
        saved = _submit(
            review_form,
            lambda: upw.record_review(requirement=requirement, user=request.user, **review_form.cleaned_data),
        )
    else:
        saved = posted is not None and _submit(
            form, lambda: upw.log_session(requirement=requirement, user=request.user, **form.session())
        )
    if saved:
        messages.success(request, "Review recorded" if which == "review" else "Session recorded")
        return redirect("interventions:upw", crn=requirement.event.person.crn, pk=requirement.pk)
    sessions = list(UpwSession.objects.filter(requirement=requirement).order_by("-date", "-id"))
    summary = upw.summary(requirement, sessions)
    context = {
        "person": requirement.event.person,
        "requirement": requirement,
        "sessions": sessions,
        "summary": summary,
        "reviews": list(UpwReview.objects.filter(requirement=requirement)),
        "form": form,
        "review_form": review_form,
        "may_change": _may_change(request, requirement),
    }
    return render(request, "interventions/upw.html", context)


@case_page(write="post", record=_requirements(Requirement.Type.ACCREDITED_PROGRAMME))
def programme_page(request: HttpRequest, person: Person, record: Requirement) -> HttpResponse:
    """An accredited programme: where it has got to, how long they waited, sessions attended and missed."""
    requirement = record
    event = requirement.event
    has_rar = event.requirements.filter(type=Requirement.Type.RAR).exists()
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    steps = programmes.next_steps(programmes.delivery_of(requirement))
    step_form = ProgrammeStepForm(posted if which == "step" else None, prefix="step", steps=steps)
    session_form = ProgrammeSessionForm(posted if which == "session" else None, has_rar=has_rar, prefix="session")
    if which == "step" and _submit(
        step_form,
        lambda: programmes.advance(requirement=requirement, user=request.user, **step_form.cleaned_data),
    ):
        messages.success(request, programmes.LABELS[step_form.cleaned_data["step"]])
        return redirect("interventions:programme", crn=event.person.crn, pk=requirement.pk)
    if which == "session" and _submit(
        session_form,
        lambda: programmes.log_session(requirement=requirement, user=request.user, **session_form.cleaned_data),
    ):
        messages.success(request, "Session recorded")
        return redirect("interventions:programme", crn=event.person.crn, pk=requirement.pk)
    contacts = list(
        Contact.objects.filter(event=event, type__code=programmes.SESSION_TYPE).order_by("-starts_at", "-id")
    )
    summary = programmes.summary(requirement, contacts)
    context = {
        "person": event.person,
        "requirement": requirement,
        "summary": summary,
        "step_form": step_form,
        "session_form": session_form,
        "steps": steps,
        "may_change": _may_change(request, requirement),
    }
    return render(request, "interventions/programme.html", context)


@case_page(write="post", record=_requirements(Requirement.Type.RAR))
def rar_page(request: HttpRequest, person: Person, record: Requirement) -> HttpResponse:
    """RAR days: ordered, used, remaining, and whether the rest can fit before the order ends."""
    requirement = record
    event = requirement.event
    activities = list(rar.activities(event).select_related("type").order_by("-starts_at", "-id"))
    summary = rar.summary(requirement, rar.days_used(event))
    booked = Contact.objects.filter(event=event, rar=True, outcome="", entered_in_error=False)
    context = {
        "person": event.person,
        "requirement": requirement,
        "summary": summary,
        "activities": activities,
        "booked": list(booked.select_related("type").order_by("starts_at")[:20]),
        "may_change": _may_change(request, requirement),
    }
    return render(request, "interventions/rar.html", context)

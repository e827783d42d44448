"""The pages of a requirement: Unpaid Work, an accredited programme, RAR days."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases import audit
from cases.access import case_access, writable_events
from cases.case_pages import check_event_writable, limited_access, person_to_change
from cases.models import Contact, Person, Requirement
from interventions import programmes, rar, upw
from interventions.forms import ProgrammeSessionForm, ProgrammeStepForm, UpwReviewForm, UpwSessionForm
from interventions.models import UpwReview, UpwSession
from probation.forms_errors import add_validation_error


def _requirement(request: HttpRequest, crn: str, pk: int, kind: str, page: str) -> Requirement | HttpResponse:
    """The requirement, once access is checked: a change needs the right to change the case (and a sentence
    still running); a read is audited, and a limited case shows only whom to ask."""
    if request.method == "POST":
        person = person_to_change(request, crn)
    else:
        person = get_object_or_404(Person, crn=crn.upper())
        if case_access(request.user, person).is_limited:
            return limited_access(request, person)
        audit.record(request.user, "case.view", person, page=page)
    requirement = get_object_or_404(
        Requirement.objects.select_related("event__person", "event__pdu"), pk=pk, event__person=person, type=kind
    )
    if request.method == "POST":
        check_event_writable(request, requirement.event)
    return requirement


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
    """Forms are shown only to those whose save would be accepted (check_event_writable)."""
    return writable_events(request.user).filter(pk=requirement.event_id).exists()


def upw_page(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    """An Unpaid Work requirement: hours so far, what remains, whether it will be done in time, and forms to
    log the next session and record the six-month review (for those who may change the case)."""
    requirement = _requirement(request, crn, pk, Requirement.Type.UNPAID_WORK, "unpaid work")
    if isinstance(requirement, HttpResponse):
        return requirement
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


def programme_page(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    """An accredited programme: where it has got to, how long they waited, sessions attended and missed."""
    requirement = _requirement(request, crn, pk, Requirement.Type.ACCREDITED_PROGRAMME, "accredited programme")
    if isinstance(requirement, HttpResponse):
        return requirement
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


def rar_page(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    """RAR days: ordered, used, remaining, and whether the rest can fit before the order ends."""
    requirement = _requirement(request, crn, pk, Requirement.Type.RAR, "RAR days")
    if isinstance(requirement, HttpResponse):
        return requirement
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

"""Enforcement decisions on failures to comply, warning letters, breach outcomes, recall and oversight."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.access import manages_pdu_of, staff_of, visible_people
from cases.case_pages import case_page
from cases.enforcement import selectors
from cases.enforcement import services as enforcement
from cases.enforcement.forms import (
    BreachOutcomeForm,
    DecisionForm,
    OversightForm,
    RecallDecisionForm,
    RecallRecommendForm,
    RecallRequestForm,
    RecallReturnForm,
)
from cases.models import Contact, EnforcementAction, Event, OversightTask, Person
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role
from regions.dashboard import selectors as team_selectors

Kind = EnforcementAction.Kind
RECENT_OVERSIGHT = 20  # the oversight list's most recently recorded oversights


@case_page(write=True, record=Contact.objects.select_related("type"))
def decide(request: HttpRequest, person: Person, record: Contact) -> HttpResponse:
    failure, event = record, record.event
    warnings = list(
        EnforcementAction.objects.standing().filter(event=event, kind=Kind.WARNING).select_related("failure")
    )
    allowed, covering = enforcement.choices_for(failure, warnings)
    initial = {"on": timezone.localdate(), "aware_on": timezone.localtime(failure.starts_at).date()}
    form = DecisionForm(
        request.POST if request.method == "POST" else None, allowed=allowed, covering=covering, initial=initial
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            action = enforcement.decide(
                event=event,
                user=request.user,
                kind=data["kind"],
                failure=failure,
                on=data["on"],
                rationale=data["rationale"],
                aware_on=data["aware_on"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{action.get_kind_display()} recorded")
            if action.kind == Kind.WARNING:
                return redirect("cases:letter", crn=person.crn, pk=action.pk)
            return redirect("cases:overview", crn=person.crn)
    return render(
        request,
        "cases/decide.html",
        {
            "person": person,
            "failure": failure,
            "form": form,
            "covering": covering,
            "warning_months": enforcement.warning_months() if covering else None,
            "panel": enforcement.compliance(event),
        },
    )


@case_page(record=EnforcementAction.objects.filter(kind=Kind.WARNING))
def letter(request: HttpRequest, person: Person, record: EnforcementAction) -> HttpResponse:
    return render(request, "cases/letter.html", {"person": person, "warning": record})


@case_page(write=True, record=EnforcementAction.objects.filter(kind=Kind.BREACH, resolved_on__isnull=True))
def breach_outcome(request: HttpRequest, person: Person, record: EnforcementAction) -> HttpResponse:
    breach = record
    form = BreachOutcomeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            enforcement.breach_resolved(action=breach, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Court outcome recorded: failures are counted afresh from the next day")
            return redirect("cases:overview", crn=person.crn)
    return render(
        request,
        "cases/simple_form.html",
        {"person": person, "form": form, "title": "Record the court's decision on the breach"},
    )


@case_page(write=True)
def recall(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    """The recall of one licence: the RO recommends, an SPO of the PDU decides, then the request is sent."""
    current = selectors.recall_recommendation(event)
    data = request.POST if request.method == "POST" else None
    form: RecallRecommendForm | RecallDecisionForm | RecallRequestForm
    if current is None:
        form, title = RecallRecommendForm(data), "Recommend recall"
    elif not current.decision:
        if not manages_pdu_of(request.user, event.pdu_id):
            return render(request, "cases/recall_waiting.html", {"person": person, "recall": current})
        form, title = (
            RecallDecisionForm(data, initial={"decided_day": timezone.localdate()}),
            "Decide on the recommended recall",
        )
    else:
        form, title = (
            RecallRequestForm(data, initial={"day": timezone.localdate()}),
            "Record that the recall request was sent",
        )
    if form.is_valid():
        try:
            if isinstance(form, RecallRecommendForm):
                enforcement.recall_recommend(event=event, user=request.user, **form.cleaned_data)
            elif isinstance(form, RecallDecisionForm):
                decider = staff_of(request.user)
                if current is None or decider is None:
                    raise PermissionDenied("Only a staff member may decide on a recall")
                enforcement.recall_decide(action=current, user=request.user, decider=decider, **form.recorded())
            elif current is not None:
                enforcement.recall_requested(action=current, user=request.user, requested_at=form.requested_at())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Recall recorded")
            return redirect("cases:overview", crn=person.crn)
    sent = (
        EnforcementAction.objects.filter(event=event, kind=Kind.RECALL, requested_at__isnull=False)
        .order_by("-id")
        .first()
    )
    return render(
        request,
        "cases/recall.html",
        {
            "person": person,
            "event": event,
            "recall": current,
            "form": form,
            "title": title,
            "sent": sent,
            "own_recommendation": current is not None
            and not current.decision
            and enforcement.recommended_by(current, request.user, staff_of(request.user)),
        },
    )


@case_page(write=True)
def recall_return(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    """After the recall request: the return to custody (the review clock starts) and the review (Part B)."""
    sent = get_object_or_404(
        EnforcementAction.objects.filter(event=event, kind=Kind.RECALL, requested_at__isnull=False).order_by("-id")[:1]
    )
    initial = {"returned_on": sent.returned_on, "review_completed_on": sent.review_completed_on}
    form = RecallReturnForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            enforcement.recall_return(action=sent, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Recall recorded")
            return redirect("cases:overview", crn=person.crn)
    title = f"Return to custody and recall review: event {event.ref}"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@role_required(Role.SPO, Role.PDU_HEAD)
def oversight_list(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None or staff.pdu_id is None:
        return render(request, "cases/oversight_list.html", {"tasks": []})
    tasks = (
        OversightTask.objects.filter(
            closed_at__isnull=True,
            event__pdu_id=staff.pdu_id,
            event__person__in=visible_people(request.user),
        )
        .select_related("event__person", "trigger")
        .order_by("opened_on", "id")
    )
    recalls = team_selectors.recalls_awaiting_decision(staff.pdu_id, request.user)
    recorded = (
        OversightTask.objects.filter(
            closed_at__isnull=False,
            event__pdu_id=staff.pdu_id,
            event__person__in=visible_people(request.user),
        )
        .select_related("event__person", "closed_by")
        .order_by("-closed_at", "-id")[:RECENT_OVERSIGHT]
    )
    return render(
        request, "cases/oversight_list.html", {"tasks": tasks, "recalls": recalls, "recorded": list(recorded)}
    )


@role_required(Role.SPO, Role.PDU_HEAD)
@case_page(
    write=True,
    managers=True,
    record=OversightTask.objects.filter(closed_at__isnull=True),
    fields=("rosh", "tier"),
)
def oversight_record(request: HttpRequest, person: Person, record: OversightTask) -> HttpResponse:
    """The SPO's oversight: what it is about (the absences, or the failure and the decision not to enforce,
    with the officer's rationale) and the case's compliance, then agree or disagree, with a note."""
    task, staff = record, staff_of(request.user)
    if staff is None:
        raise PermissionDenied("Only SPOs and heads of the case's PDU may record management oversight")
    form = OversightForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            enforcement.oversight_record(
                task=task,
                user=request.user,
                by=staff,
                note=form.cleaned_data["note"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Management oversight recorded")
            return redirect("cases:oversight")
    return render(
        request,
        "cases/oversight.html",
        {
            "person": person,
            "form": form,
            "task": task,
            "subject": selectors.oversight_subject(task),
            "title": f"Management oversight: {task}",
        },
    )

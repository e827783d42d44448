"""Requesting a transfer, and the SPO's lists of transfers in and out awaiting action."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases import audit
from cases.access import (
    case_access,
    manages_pdu_of,
    may_change_case,
    staff_of,
    staff_who_may_see,
    visible_people,
)
from cases.case_pages import case_page, limited_access
from cases.models import Event, Person, Transfer
from cases.standards import rules
from cases.transfers import selectors
from cases.transfers import services as transfers
from cases.transfers.forms import TransferDecisionForm, TransferRequestForm
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role
from regions.models import StaffMember

RECENTLY = timedelta(days=28)  # transfers in accepted this recently are listed, with their appointments to re-book


@case_page(write=True, events=Event.objects.active().select_related("pdu"))
def request_transfer(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    form = TransferRequestForm(
        request.POST if request.method == "POST" else None,
        from_pdu_id=event.pdu_id,
        initial={"on": timezone.localdate()},
    )
    if form.is_valid():
        try:
            transfer = transfers.request(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Transfer to {transfer.to_pdu.name} requested")
            return redirect("cases:overview", crn=person.crn)
    title = f"Request a transfer of event {event.ref} from {event.pdu.name}"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@role_required(Role.SPO, Role.PDU_HEAD)
def transfer_list(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    pdu_id = staff.pdu_id if staff else None
    open_transfers = (
        Transfer.objects.filter(status=Transfer.Status.REQUESTED)
        .filter(Q(to_pdu_id=pdu_id) | Q(from_pdu_id=pdu_id))
        .select_related("event__person", "from_pdu", "to_pdu")
        .order_by("requested_on", "id")
    )
    today, rule = timezone.localdate(), rules.current()["transfer"]
    people = {t.event.person_id for t in open_transfers}
    visible = set(visible_people(request.user).filter(pk__in=people).values_list("pk", flat=True))
    rows = [
        (
            t,
            transfers.business_days_open(t, today),
            t.event.person_id not in visible,
            transfers.needs_oversight(t, today, rule),
        )
        for t in open_transfers
    ]
    accepted = (
        Transfer.objects.filter(status=Transfer.Status.COMPLETED, to_pdu_id=pdu_id, decided_on__gte=today - RECENTLY)
        .filter(event__person__in=visible_people(request.user))
        .select_related("event__person", "from_pdu", "receiving_officer")
        .order_by("-decided_on", "-id")
    )
    return render(
        request,
        "cases/transfers.html",
        {
            "incoming": [r for r in rows if r[0].to_pdu_id == pdu_id],
            "outgoing": [r for r in rows if r[0].from_pdu_id == pdu_id],
            "accepted": list(accepted),
            "limit": rule.period,
        },
    )


@role_required(Role.SPO, Role.PDU_HEAD)
def decide_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiving PDU's SPO decides, with the case summarised: who, what sentence, what risk and flags, who
    supervises them now, from and to which PDU, and why. Accepted, the next page lists the appointments left
    with the previous officer."""
    transfer = get_object_or_404(
        Transfer.objects.select_related("event__person", "from_pdu__region", "to_pdu__region", "requested_by__staff"),
        pk=pk,
        status=Transfer.Status.REQUESTED,
    )
    person = transfer.event.person
    if case_access(request.user, person).is_limited:
        return limited_access(request, person)
    staff = staff_of(request.user)
    if staff is None or not manages_pdu_of(request.user, transfer.to_pdu_id):
        audit.record(request.user, "case.change_refused", person, transfer)
        raise PermissionDenied("Only SPOs and heads of the receiving PDU may decide on a transfer")
    if request.method == "GET":
        audit.record(request.user, "case.view", person, transfer, page="transfer")
    officers = StaffMember.objects.active().filter(
        staff_who_may_see(person),
        pdu_id=transfer.to_pdu_id,
        grade__in=[StaffMember.Grade.PO, StaffMember.Grade.PSO, StaffMember.Grade.SPO],
    )
    form = TransferDecisionForm(
        request.POST if request.method == "POST" else None, officers=officers, initial={"on": timezone.localdate()}
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                transfers.accept(transfer=transfer, user=request.user, by=staff, officer=data["officer"], on=data["on"])
            else:
                transfers.reject(
                    transfer=transfer, user=request.user, by=staff, reason=data["rejection_reason"], on=data["on"]
                )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if data["decision"] == "accept":
                messages.success(request, f"Transfer completed: {data['officer'].name} is now the responsible officer")
                return redirect("cases:transfer-appointments", crn=person.crn, pk=transfer.pk)
            messages.success(request, "Transfer rejected")
            return redirect("cases:transfers")
    return render(
        request,
        "cases/transfer_decide.html",
        {
            "person": person,
            "form": form,
            "summary": selectors.transfer_summary(transfer),
            "title": f"Transfer request for {person.name}",
        },
    )


@case_page(
    record=Transfer.objects.filter(status=Transfer.Status.COMPLETED).select_related(
        "from_pdu", "to_pdu", "receiving_officer"
    )
)
def transfer_appointments(request: HttpRequest, person: Person, record: Transfer) -> HttpResponse:
    """After a transfer is accepted: the previous officer's future appointments on the sentence, each to be
    booked again with the new officer or cancelled."""
    transfer = record
    return render(
        request,
        "cases/transfer_appointments.html",
        {
            "person": person,
            "transfer": transfer,
            "appointments": selectors.appointments_left_behind(transfer),
            "may_change": may_change_case(request.user, person),
        },
    )

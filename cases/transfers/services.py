"""Transfers between PDUs. National Standard: completed within the transfer rule's period (20 business days
unless an administrator changed it) of the request, with management oversight where it takes longer
(seed 002 para 112; Case Transfer Policy Framework 2022)."""

from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import entered_dates
from cases.access import staff_who_may_see
from cases.models import Allocation, Event, Person, Transfer
from cases.standards import rules
from cases.standards.calendar import business_days_between
from cases.unit_of_work import case_change
from regions.models import PDU, StaffMember


def business_days_open(transfer: Transfer, today: date | None = None) -> int:
    end = transfer.decided_on or today or timezone.localdate()
    return business_days_between(transfer.requested_on, end)


def due_by(transfer: Transfer, rule: rules.Rule | None = None) -> date:
    """The transfer rule's due date, as the ledger has it. Given the rule (read once for a list), no query."""
    return (rule or rules.current()["transfer"]).due(transfer.requested_on)


def needs_oversight(transfer: Transfer, today: date | None = None, rule: rules.Rule | None = None) -> bool:
    """Past its due date (the 20th business day after the request, by default) without a decision by then."""
    return (transfer.decided_on or today or timezone.localdate()) > due_by(transfer, rule)


def request(*, event: Event, user: User | AnonymousUser, to_pdu: PDU, reason: str, on: date) -> Transfer:
    with case_change(event, user, "transfer.request") as change:
        event.refuse_if_ended("a transfer")
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.is_active:
            raise ValidationError("This sentence has ended: it cannot be transferred")
        if to_pdu.pk == event.pdu_id:
            raise ValidationError({"to_pdu": "Choose a PDU other than the one supervising this sentence"})
        if Transfer.objects.filter(event=event, status=Transfer.Status.REQUESTED).exists():
            raise ValidationError("A transfer of this sentence is already waiting for a decision")
        entered_dates.refuse(
            on, field="on", called="The date of the request", limits=[(event.sentence_date, "the sentence date")]
        )
        transfer = Transfer.objects.create(
            event=event,
            from_pdu_id=event.pdu_id,
            to_pdu=to_pdu,
            reason=reason,
            requested_on=on,
            requested_by=user if user.is_authenticated else None,
            recorded_at=timezone.now(),
        )
        change.touches(transfer, to_pdu=to_pdu.code)
        return transfer


def accept(
    *, transfer: Transfer, user: User | AnonymousUser, by: StaffMember, officer: StaffMember, on: date
) -> Transfer:
    """The receiving PDU accepts: the sentence moves to it with a new RO, and the history is kept."""
    with case_change(transfer.event.person_id, user, "transfer.complete") as change:
        event = Event.objects.select_related("person").get(pk=transfer.event_id)
        transfer = Transfer.objects.select_for_update().select_related("event__person").get(pk=transfer.pk)
        _check_open(transfer, on)
        if not event.is_active:
            raise ValidationError("This sentence has ended: the transfer cannot be completed")
        if (
            officer.pdu_id != transfer.to_pdu_id
            or not StaffMember.objects.filter(staff_who_may_see(event.person), pk=officer.pk).exists()
        ):
            raise ValidationError({"officer": "Choose an officer of the receiving PDU who may see this case"})
        current = Allocation.objects.current().filter(event=event).first()
        if current is not None:
            current.to_date = max(current.from_date, on - timedelta(days=1))
            current.save(update_fields=["to_date"])
        latest = max((a.to_date or a.from_date for a in Allocation.objects.filter(event=event)), default=None)
        allocation = Allocation(
            event=event,
            staff=officer,
            from_date=max(on, latest + timedelta(days=1)) if latest else on,
            reason=f"Transfer from {transfer.from_pdu.name}",
            reason_code=Allocation.Reason.TRANSFER_IN if current is not None else Allocation.Reason.INITIAL,
            allocated_by=by,
            recorded_at=timezone.now(),
        )
        allocation.full_clean()
        allocation.save()
        Event.objects.filter(pk=event.pk).update(pdu=transfer.to_pdu)
        if not event.person.events.active().exclude(pdu=transfer.to_pdu).exists():
            Person.objects.filter(pk=event.person.pk).update(pdu=transfer.to_pdu)
        transfer.status, transfer.decided_on, transfer.decided_by, transfer.receiving_officer = (
            Transfer.Status.COMPLETED,
            on,
            by,
            officer,
        )
        transfer.decided_recorded_at = timezone.now()
        transfer.save()
        change.touches(transfer, officer=officer.code, days=business_days_open(transfer))
        return transfer


def reject(*, transfer: Transfer, user: User | AnonymousUser, by: StaffMember, reason: str, on: date) -> Transfer:
    with case_change(transfer.event.person_id, user, "transfer.reject") as change:
        transfer = Transfer.objects.select_for_update().select_related("event__person").get(pk=transfer.pk)
        _check_open(transfer, on)
        if not reason.strip():
            raise ValidationError({"reason": "Enter why the transfer is rejected"})
        transfer.status, transfer.decided_on, transfer.decided_by, transfer.rejection_reason = (
            Transfer.Status.REJECTED,
            on,
            by,
            reason,
        )
        transfer.decided_recorded_at = timezone.now()
        transfer.save()
        change.touches(transfer)
        return transfer


def _check_open(transfer: Transfer, on: date) -> None:
    if transfer.status != Transfer.Status.REQUESTED:
        raise ValidationError("This transfer has already been decided")
    entered_dates.refuse(
        on,
        field="on",
        called="The date of the decision",
        limits=[(transfer.requested_on, "when the transfer was requested")],
    )

"""What the receiving SPO reads to decide on a transfer, and the appointments left behind once it is accepted.
Each read runs a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from cases.models import Allocation, Contact, Registration, Transfer


@dataclass
class TransferSummary:
    transfer: Transfer
    officer: Allocation | None  # the current responsible officer, if the case has one
    flags: list[Registration]
    requested_by: str


def transfer_summary(transfer: Transfer) -> TransferSummary:
    """The case as the receiving SPO needs it: two queries beyond the transfer itself."""
    event = transfer.event
    officer = Allocation.objects.current().filter(event=event).select_related("staff__team").first()
    flags = list(Registration.objects.filter(person_id=event.person_id, ended_on__isnull=True).order_by("type"))
    by = transfer.requested_by
    staff = getattr(by, "staff", None) if by is not None else None
    requested_by = staff.name if staff is not None else (by.get_username() if by is not None else "Not recorded")
    return TransferSummary(transfer=transfer, officer=officer, flags=flags, requested_by=requested_by)


def appointments_left_behind(transfer: Transfer) -> list[Contact]:
    """The future appointments booked on the transferred sentence with staff outside the receiving PDU (the
    previous officer's, or their colleagues'): to be booked again with the new officer, or cancelled."""
    return list(
        Contact.objects.valid()
        .filter(event_id=transfer.event_id, outcome="", starts_at__gte=timezone.now())
        .filter(Q(staff__isnull=True) | ~Q(staff__pdu_id=transfer.to_pdu_id))
        .select_related("type", "staff")
        .order_by("starts_at", "id")
    )

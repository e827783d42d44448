"""Case transfers between PDUs and regions: requested, then accepted (with a receiving RO) or rejected."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models.event import Event
from regions.models import PDU, StaffMember


class Transfer(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting a decision"
        COMPLETED = "completed", "Accepted and completed"
        REJECTED = "rejected", "Rejected"

    event = models.ForeignKey(Event, models.PROTECT, related_name="transfers")
    from_pdu = models.ForeignKey(PDU, models.PROTECT, related_name="transfers_out")
    to_pdu = models.ForeignKey(PDU, models.PROTECT, related_name="transfers_in")
    reason = models.TextField()
    requested_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    rejection_reason = models.TextField(blank=True)
    # Set when accepted here; a transfer imported from another system may not name one.
    receiving_officer = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    # When the request and the decision were recorded (DOMAIN.md, "Dates people enter"): empty when not known.
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(status="requested"), name="one_open_transfer_per_event"
            ),
            models.CheckConstraint(condition=~Q(from_pdu=F("to_pdu")), name="transfer_between_different_pdus"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("requested_on")),
                name="transfer_decided_after_request",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="transfer_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer of event {self.event.ref} to {self.to_pdu}"

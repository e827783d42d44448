"""Contacts: the diary and the record of everything that happens on an event. Never deleted; every change
keeps the version it replaced."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.event import Event
from regions.models import StaffMember


class ContactType(models.Model):
    """Reference data: what kinds of contact there are, and how National Standards treat each."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    face_to_face = models.BooleanField(
        help_text="Counts for National Standards as the responsible officer seeing the person: the initial "
        "appointment and the monthly face-to-face contact (a video call counts for at most half of them)"
    )
    enforceable = models.BooleanField(help_text="A National Standard (enforceable) appointment by default")
    needs_outcome = models.BooleanField(default=True, help_text="Needs an outcome once it has happened")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.TextChoices):
    ATTENDED = "attended", "Attended and complied"
    FAILED_TO_COMPLY = "failed_to_comply", "Attended but failed to comply"
    ACCEPTABLE_ABSENCE = "acceptable_absence", "Acceptable absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence", "Unacceptable absence"
    AWAITING_EVIDENCE = "awaiting_evidence", "Absent, awaiting evidence"
    SENT_HOME_BEHAVIOUR = "sent_home_behaviour", "Attended – sent home (behaviour)"  # noqa: RUF001
    SENT_HOME_SERVICE = "sent_home_service", "Attended – sent home (service issues)"  # noqa: RUF001


# Sent home for their behaviour, the person attended but did not comply: an enforceable failure, like
# "attended but failed to comply" (DOMAIN.md, "Enforcement decision": each enforceable failure to comply).
# Sent home because the service could not go ahead (no room, staff absent), they came as instructed: the
# appointment counts as attended and acceptable, never as a failure or an absence.
FAILURES = frozenset({Outcome.FAILED_TO_COMPLY, Outcome.UNACCEPTABLE_ABSENCE, Outcome.SENT_HOME_BEHAVIOUR})
# Seen in person, whether or not they complied (DOMAIN.md, "Initial appointment": "attended — whether or not
# they complied"): both ways of being sent home were after the person came and was seen.
SEEN = frozenset({Outcome.ATTENDED, Outcome.FAILED_TO_COMPLY, Outcome.SENT_HOME_BEHAVIOUR, Outcome.SENT_HOME_SERVICE})


class AbsenceReason(models.TextChoices):
    ILLNESS = "illness", "Illness, with evidence"
    MEDICAL = "medical", "Medical or hospital appointment"
    FAMILY_EMERGENCY = "family_emergency", "Family emergency or bereavement"
    EMPLOYMENT = "employment", "Work or training"
    COURT = "court", "Attending court"
    RELIGIOUS = "religious", "Religious observance"
    CHILDCARE = "childcare", "Childcare or caring responsibilities"
    OTHER = "other", "Other reason accepted by the officer"


class ContactQuerySet(models.QuerySet["Contact"]):
    def valid(self) -> "ContactQuerySet":
        """Not marked as entered in error."""
        return self.filter(entered_in_error=False)

    def failures(self) -> "ContactQuerySet":
        return self.valid().filter(enforceable=True, outcome__in=FAILURES)


class Contact(models.Model):
    # no index of its own: contact_event_starts (event, starts_at) serves every search by event, and PostgreSQL,
    # given both, read every contact of a long sentence to find those from a date (stale_counts: 4,000 read for
    # 1,469; migration 0033)
    event = models.ForeignKey(Event, models.PROTECT, related_name="contacts", db_index=False)
    type = models.ForeignKey(ContactType, models.PROTECT, related_name="contacts")
    starts_at = models.DateTimeField("date and time")
    location = models.CharField(max_length=200, blank=True)
    staff = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="contacts")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    absence_reason = models.CharField(max_length=20, choices=AbsenceReason.choices, blank=True)
    evidence_due = models.DateField(null=True, blank=True, help_text="For an absence that awaited evidence")
    evidence_decided_on = models.DateField(null=True, blank=True, help_text="When the awaited evidence was decided")
    enforceable = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    sensitive = models.BooleanField(default=False)
    entered_in_error = models.BooleanField(default=False)
    error_reason = models.CharField(max_length=300, blank=True)
    series = models.UUIDField(null=True, blank=True, db_index=True, help_text="Appointments booked together")
    rar = models.BooleanField("counts toward RAR days", default=False)
    version = models.PositiveIntegerField(default=1)
    # Recording time is kept apart from contact time: the recording-lag measure compares them.
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["event", "starts_at"], name="contact_event_starts"),
            models.Index(fields=["staff", "starts_at"], name="contact_staff_starts", condition=Q(outcome="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="acceptable_absence") | Q(absence_reason=""),
                name="contact_reason_only_if_acceptable",
            ),
            models.CheckConstraint(
                condition=Q(entered_in_error=False) | ~Q(error_reason=""), name="contact_error_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type.name} on {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    @property
    def is_failure_to_comply(self) -> bool:
        return self.enforceable and self.outcome in FAILURES and not self.entered_in_error

    @property
    def is_booked(self) -> bool:
        return not self.outcome and not self.entered_in_error


class ContactVersion(models.Model):
    """Every state a contact has had, in order: version 1 as first recorded, then one per amendment."""

    contact = models.ForeignKey(Contact, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    # Kept as text too: the name survives export to another system, where the login does not exist.
    changed_by_name = models.CharField(max_length=150, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["contact", "number"]
        constraints = [models.UniqueConstraint(fields=["contact", "number"], name="contact_version_unique")]

    def __str__(self) -> str:
        return f"Version {self.number} of contact {self.contact_id}"

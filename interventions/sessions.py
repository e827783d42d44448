"""A session of a requirement (Unpaid Work, a programme) goes on the contact record like any appointment, so
attendance, absences and failures to comply feed the same enforcement record."""

from datetime import date, datetime, time

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import TextChoices
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Allocation, Contact, ContactType, Event, Outcome


class Attendance(TextChoices):
    ATTENDED = "attended", "Attended"
    FAILED = "failed", "Attended but failed to comply"
    ABSENT = "absent", "Did not attend"


CONTACT_OUTCOME: dict[str, str] = {
    Attendance.ATTENDED: Outcome.ATTENDED,
    Attendance.FAILED: Outcome.FAILED_TO_COMPLY,
    Attendance.ABSENT: Outcome.AWAITING_EVIDENCE,  # the person has 5 business days to explain
}


def record_contact(
    *,
    event: Event,
    user: User | AnonymousUser,
    type_code: str,
    day: date,
    at: time,
    attendance: str,
    notes: str,
    rar: bool = False,
) -> Contact:
    """Book the session as a contact with the responsible officer and record what happened at it."""
    ro = Allocation.objects.current().filter(event=event).select_related("staff").first()
    contact = contacts.book(
        event=event,
        user=user,
        type=ContactType.objects.get(code=type_code),
        starts_at=timezone.make_aware(datetime.combine(day, at)),
        staff=ro.staff if ro else None,
        notes=notes,
        rar=rar,
    )[0]
    return contacts.record_outcome(contact=contact, user=user, outcome=CONTACT_OUTCOME[attendance])

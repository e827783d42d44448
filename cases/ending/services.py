"""Sentences end (DOMAIN.md): the nightly job ends every running event whose end date has passed, and the RO or
an SPO of its PDU records an early end. An event ends at the end of its end day; the ledger then closes its
open obligations (missed if due by that day, not applicable if due after it)."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases import entered_dates
from cases.models import AuditEvent, Event
from cases.standards import ledger
from cases.unit_of_work import case_change

Reason = Event.TerminationReason
EARLY_REASONS = [reason for reason in Reason if reason != Reason.COMPLETED]
RELEASE_ONLY = frozenset({Reason.RECALLED})  # a licence (or PSS) is recalled; an order is not


def event_end(event: Event, user: User | AnonymousUser, on: date, reason: str, note: str = "") -> Event:
    """An early end recorded by the RO or an SPO of the PDU: its reason, its day (not in the future, not before
    the sentence or release) and a note ('other' needs one)."""
    with case_change(event, user, "event.end") as change:
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.terminated_on is not None:
            raise ValidationError("This sentence has already ended")
        if reason not in EARLY_REASONS:
            raise ValidationError({"reason": "Select why the sentence ended"})
        if reason in RELEASE_ONLY and event.type not in Event.RELEASE_TYPES:
            raise ValidationError({"reason": "Only a licence or post-sentence supervision can be recalled"})
        if reason == Reason.OTHER and not note.strip():
            raise ValidationError({"note": "Enter a note saying why the sentence ended"})
        entered_dates.refuse(
            on, field="on", called="The date the sentence ended", limits=[entered_dates.started(event)]
        )
        event.terminated_on, event.termination_reason, event.termination_note = on, reason, note.strip()
        event.terminated_recorded_at = timezone.now()
        event.save(update_fields=["terminated_on", "termination_reason", "termination_note", "terminated_recorded_at"])
        change.touches(event, on=on.isoformat(), reason=reason)
        return event


@transaction.atomic
def end_completed(as_of: date | None = None) -> list[int]:
    """Nightly, set-based and idempotent: end every running event whose end date has passed (reason completed),
    in one UPDATE, with one audit row each (one INSERT), then bring their obligations in line, batch by batch.
    Returns the ids of the events it ended (none the second time)."""
    day = as_of or timezone.localdate()
    ledger.lock()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Event._meta.db_table} SET terminated_on = expected_end_date, termination_reason = %(reason)s
            WHERE terminated_on IS NULL AND expected_end_date IS NOT NULL AND expected_end_date < %(day)s
              AND type <> %(custody)s
            RETURNING id, person_id, expected_end_date
            """,  # noqa: S608 - the model's own table; every value is a parameter
            {"reason": Reason.COMPLETED, "day": day, "custody": Event.Type.CUSTODY},
        )
        ended = cursor.fetchall()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action="event.end",
                person_id=person,
                object_type="event",
                object_id=str(pk),
                detail={"on": on.isoformat(), "reason": Reason.COMPLETED, "by": "nightly job"},
            )
            for pk, person, on in ended
        ],
        batch_size=ledger.BATCH,
    )
    ids = sorted(pk for pk, _, _ in ended)
    for start in range(0, len(ids), ledger.BATCH):
        ledger.refresh_events(ids[start : start + ledger.BATCH], today=day)
    return ids

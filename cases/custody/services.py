"""Custody before release: the handover meeting, and release onto licence. The handover's clock (when the COM
is due, the meeting, the pre-release plan) is cases/standards/handover.py, read by the ledger and the case page.
"""

from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import entered_dates
from cases.calendar_months import add_months
from cases.models import Event, Requirement
from cases.unit_of_work import case_change


def record_meeting(*, event: Event, user: User | AnonymousUser, on: date) -> Event:
    with case_change(event, user, "custody.handover_meeting") as change:
        if event.type != Event.Type.CUSTODY:
            raise ValidationError("A handover meeting is recorded before release, while the person is in custody")
        entered_dates.refuse(
            on, field="on", called="The date of the meeting", limits=[(event.sentence_date, "the sentence date")]
        )
        Event.objects.filter(pk=event.pk).update(handover_meeting_on=on, handover_recorded_at=timezone.now())
        change.touches(event, on=on.isoformat())
        event.refresh_from_db()
        return event


def release(
    *, event: Event, user: User | AnonymousUser, released_on: date, licence_type: str, conditions: list[str]
) -> Event:
    """Release from custody starts the licence (or PSS) on the same sentence, with its conditions."""
    with case_change(event, user, "custody.release") as change:
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.type != Event.Type.CUSTODY:
            raise ValidationError("Only a sentence in custody can be released")
        entered_dates.refuse(
            released_on,
            field="released_on",
            called="The release date",
            limits=[(event.sentence_date, "the sentence date")],
        )
        event.type, event.release_date = licence_type, released_on
        event.released_recorded_at = timezone.now()
        if event.length_months:  # the licence runs to the end of the sentence, not for its length again
            event.expected_end_date = add_months(event.sentence_date, event.length_months) - timedelta(days=1)
        event.full_clean()
        event.save()
        Requirement.objects.bulk_create(
            Requirement(event=event, type=Requirement.Type.LICENCE_CONDITION, description=text[:300])
            for text in conditions
            if text.strip()
        )
        change.touches(event, released_on=released_on.isoformat(), type=licence_type)
        return event

"""Custody and the pre-release handover from prison to the community offender manager (COM).

COM allocation is due 8.5 months before the expected release date (standard determinate sentences) or
12 months before the parole eligibility date (parole cases); the handover meeting within 4 weeks of
COM allocation; the pre-release sentence plan before release (seed 003 recs. 1c-d and 16). 8.5 months
is taken as 8 calendar months and 15 days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from cases.calendar_months import add_months
from cases.models import Allocation, Event, Requirement, SentencePlan
from cases.unit_of_work import case_change

HANDOVER_MEETING_DAYS = 28


@dataclass(frozen=True)
class Handover:
    com_due: date
    com_allocated_on: date | None
    meeting_due: date | None
    meeting_on: date | None
    plan_due: date
    plan_completed_on: date | None


def com_due(event: Event) -> date:
    if event.parole and event.parole_eligibility_date:
        return add_months(event.parole_eligibility_date, -12)
    assert event.expected_release_date is not None
    return add_months(event.expected_release_date, -8) - timedelta(days=15)


def handover(event: Event) -> Handover | None:
    if event.type != Event.Type.CUSTODY or event.expected_release_date is None:
        return None
    first = Allocation.objects.filter(event=event).order_by("from_date", "id").first()
    plan = SentencePlan.objects.filter(event=event, status=SentencePlan.Status.COMPLETED).first()
    return Handover(
        com_due=com_due(event),
        com_allocated_on=first.from_date if first else None,
        meeting_due=first.from_date + timedelta(days=HANDOVER_MEETING_DAYS) if first else None,
        meeting_on=event.handover_meeting_on,
        plan_due=event.expected_release_date - timedelta(days=1),
        plan_completed_on=plan.completed_on if plan else None,
    )


def record_meeting(*, event: Event, user: User | AnonymousUser, on: date) -> Event:
    with case_change(event, user, "custody.handover_meeting") as change:
        if event.type != Event.Type.CUSTODY:
            raise ValidationError("A handover meeting is recorded before release, while the person is in custody")
        if on < event.sentence_date:
            raise ValidationError({"on": "The meeting cannot be before the sentence"})
        Event.objects.filter(pk=event.pk).update(handover_meeting_on=on)
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
        if released_on < event.sentence_date:
            raise ValidationError({"released_on": "The release date must be on or after the sentence date"})
        event.type, event.release_date = licence_type, released_on
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

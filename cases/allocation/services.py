"""Allocation: who is the Responsible Officer of a sentence, and moving an officer's cases."""

from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import audit, entered_dates
from cases.access import staff_who_may_see
from cases.models import Allocation, Event
from cases.unit_of_work import case_change
from probation.sessions import close_account
from regions.models import StaffMember


def allocate(
    *,
    event: Event,
    staff: StaffMember,
    user: User | AnonymousUser,
    from_date: date,
    reason: str,
    replacing: StaffMember | None = None,
) -> Allocation:
    """Make staff the event's Responsible Officer from a date, ending the current allocation the day before.
    Given `replacing`, only while that officer is still the RO (someone else may have moved the case meanwhile)."""
    with case_change(event, user, "allocation.create") as change:
        current = Allocation.objects.current().filter(event=event).first()
        if replacing is not None and (current is None or current.staff_id != replacing.pk):
            raise ValidationError({"staff": f"This is no longer {replacing.name}'s case"})
        if not staff.active:
            raise ValidationError({"staff": f"{staff.name} has left"})
        if not StaffMember.objects.filter(staff_who_may_see(event.person), pk=staff.pk).exists():
            raise ValidationError({"staff": f"{staff.name} may not see this case (limited access)"})
        if current is not None:
            if current.staff_id == staff.pk:
                raise ValidationError({"staff": f"{staff.name} is already the responsible officer"})
            if from_date <= current.from_date:
                started = f"{current.from_date:%-d %B %Y}"
                raise ValidationError(
                    {"from_date": f"The date must be after {started}, when the current allocation started"}
                )
            current.to_date = from_date - timedelta(days=1)
            current.save(update_fields=["to_date"])
        entered_dates.refuse(
            from_date, field="from_date", called="The date", limits=[(event.sentence_date, "the sentence date")]
        )
        allocation = Allocation(
            event=event, staff=staff, from_date=from_date, reason=reason, allocated_by=getattr(user, "staff", None)
        )
        allocation.full_clean()
        allocation.save()
        if current is not None:
            change.becomes("allocation.change")
        change.touches(allocation, event=event.ref, staff=staff.code, reason=reason)
        return allocation


@transaction.atomic
def reallocate_caseload(
    *,
    leaving: StaffMember,
    events: list[Event],
    staff: StaffMember,
    user: User | AnonymousUser,
    from_date: date,
    reason: str,
) -> int:
    """Move several of an officer's cases to one other officer: all of them, or none (the first refusal is
    reported). A case someone else has moved meanwhile is refused, not moved again."""
    for event in events:
        try:
            allocate(event=event, staff=staff, user=user, from_date=from_date, reason=reason, replacing=leaving)
        except ValidationError as error:
            messages = [m for field_messages in error.message_dict.values() for m in field_messages]
            raise ValidationError({"cases": f"{event.person.name} ({event.person.crn}): {messages[0]}"}) from error
    return len(events)


@transaction.atomic
def staff_left(*, leaving: StaffMember, user: User | AnonymousUser) -> None:
    """Mark an officer who has left as inactive: only once no running case is theirs, today or later."""
    StaffMember.objects.select_for_update().get(pk=leaving.pk)
    held = Q(to_date__isnull=True) | Q(to_date__gte=timezone.localdate())
    remaining = Allocation.objects.filter(held, staff=leaving, event__terminated_on__isnull=True).count()
    if remaining:
        raise ValidationError(
            f"{leaving.name} still has {remaining} case{'s' if remaining != 1 else ''}: move them first"
        )
    StaffMember.objects.filter(pk=leaving.pk).update(active=False)
    if leaving.user_id is not None:
        close_account(leaving.user)
    audit.record(user, "staff.left", None, leaving, staff=leaving.code)

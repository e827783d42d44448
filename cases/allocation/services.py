"""Allocation: who is the Responsible Officer of a sentence, and moving an officer's cases."""

from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import audit, entered_dates
from cases.access import staff_who_may_see
from cases.allocation import selectors
from cases.models import Allocation, Event
from cases.unit_of_work import case_change
from probation import reference
from probation.sessions import close_account
from regions.models import StaffMember


def allocate(
    *,
    event: Event,
    staff: StaffMember,
    user: User | AnonymousUser,
    from_date: date,
    reason: str = "",
    reason_code: str = "",
    justification: str = "",
    replacing: StaffMember | None = None,
) -> Allocation:
    """Make staff the event's Responsible Officer from a date, ending the current allocation the day before.
    Given `replacing`, only while that officer is still the RO (someone else may have moved the case meanwhile).

    A first allocation's reason is "initial allocation"; a reallocation needs a coded reason (`reason_code`,
    Allocation.Reason) and may carry a note (`reason`). An allocation that meets an override condition (a high
    or very high RoSH, child protection or MAPPA case to a probation services officer, or any case to someone
    at or over 100% capacity) needs a `justification`, stored with the allocation as an override."""
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
            if reason_code not in Allocation.Reason.values or reason_code == Allocation.Reason.INITIAL:
                raise ValidationError({"reason_code": "Select why the responsible officer is changing"})
            if from_date <= current.from_date:
                started = f"{current.from_date:%-d %B %Y}"
                raise ValidationError(
                    {"from_date": f"The date must be after {started}, when the current allocation started"}
                )
        else:
            reason_code = Allocation.Reason.INITIAL
        entered_dates.refuse(
            from_date, field="from_date", called="The date", limits=[(event.sentence_date, "the sentence date")]
        )
        conditions = selectors.conditions_for(event, staff, timezone.localdate())
        justification = justification.strip()
        if conditions and not justification:
            raise ValidationError(
                {"justification": f"Enter why you are allocating to {staff.name}: {'; '.join(conditions)}"}
            )
        if current is not None:
            current.to_date = from_date - timedelta(days=1)
            current.save(update_fields=["to_date"])
        allocation = Allocation(
            event=event,
            staff=staff,
            from_date=from_date,
            reason=reason,
            reason_code=reason_code,
            allocated_by=getattr(user, "staff", None),
            override=bool(conditions),
            override_conditions="; ".join(conditions),
            override_justification=justification if conditions else "",
            override_at=timezone.now() if conditions else None,
            recorded_at=timezone.now(),
        )
        allocation.full_clean()
        allocation.save()
        if current is not None:
            change.becomes("allocation.change")
        change.touches(
            allocation,
            event=event.ref,
            staff=staff.code,
            reason=reason,
            reason_code=reason_code,
            override=bool(conditions),
        )
        return allocation


@transaction.atomic
def reallocate_caseload(
    *,
    leaving: StaffMember,
    events: list[Event],
    staff: StaffMember,
    user: User | AnonymousUser,
    from_date: date,
    reason: str = "",
    justification: str = "",
) -> int:
    """Move several of an officer's cases to one other officer, for the reason "officer left": all of them,
    or none (the first refusal is reported). A case someone else has moved meanwhile is refused, not moved
    again. A case whose move is an override needs the justification (one for the whole move)."""
    for event in events:
        try:
            allocate(
                event=event,
                staff=staff,
                user=user,
                from_date=from_date,
                reason=reason,
                reason_code=Allocation.Reason.OFFICER_LEFT,
                justification=justification,
                replacing=leaving,
            )
        except ValidationError as error:
            field = "justification" if "justification" in error.message_dict else "cases"
            messages = [m for field_messages in error.message_dict.values() for m in field_messages]
            raise ValidationError({field: f"{event.person.name} ({event.person.crn}): {messages[0]}"}) from error
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
    reference.changed(StaffMember)  # no signal from update(): the cached lists of officers drop the leaver
    if leaving.user_id is not None:
        close_account(leaving.user)
    audit.record(user, "staff.left", None, leaving, staff=leaving.code)

"""Referrals from a case to an intervention service (seed 002 paras 144, 147-153)."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from cases import entered_dates
from cases.models import Event, Objective
from cases.unit_of_work import case_change
from interventions.models import Referral, Service

# Where a referral may go next from each status.
NEXT = {
    Referral.Status.REFERRED: {Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.WITHDRAWN},
    Referral.Status.ACCEPTED: {Referral.Status.STARTED, Referral.Status.WITHDRAWN},
    Referral.Status.STARTED: {Referral.Status.COMPLETED, Referral.Status.WITHDRAWN},
}


def refer(
    *,
    event: Event,
    user: User | AnonymousUser,
    service: Service,
    reason: str,
    on: date,
    objective: Objective | None = None,
) -> Referral:
    with case_change(event, user, "referral.create") as change:
        if not event.is_active:
            raise ValidationError("This sentence has ended: no new referrals can be made")
        entered_dates.refuse(
            on, field="on", called="The date of referral", limits=[(event.sentence_date, "the sentence date")]
        )
        if objective is not None and objective.plan.event_id != event.pk:
            raise ValidationError({"objective": "Choose an objective of this sentence's plan"})
        if Referral.objects.filter(event=event, service=service, status__in=Referral.OPEN).exists():
            raise ValidationError({"service": "There is already an open referral to this service"})
        referral = Referral.objects.create(
            event=event,
            service=service,
            reason=reason,
            referred_on=on,
            status_on=on,
            objective=objective,
            referred_by=user if user.is_authenticated else None,
        )
        change.touches(referral, service=service.name)
        return referral


def update(*, referral: Referral, user: User | AnonymousUser, status: str, on: date, notes: str = "") -> Referral:
    with case_change(referral.event.person_id, user, "referral.update") as change:
        referral = Referral.objects.select_for_update().select_related("event__person").get(pk=referral.pk)
        allowed = NEXT.get(Referral.Status(referral.status), set())
        if status not in allowed:
            now, then = referral.get_status_display().lower(), Referral.Status(status).label.lower()
            raise ValidationError({"status": f"A referral that is {now} cannot become {then}"})
        entered_dates.refuse(
            on, field="on", called="The date", limits=[(referral.status_on, "when the last change happened")]
        )
        referral.status, referral.status_on = status, on
        if notes:
            referral.outcome_notes = f"{referral.outcome_notes}\n\n{notes}".strip()
        referral.save()
        change.touches(referral, status=status)
        return referral

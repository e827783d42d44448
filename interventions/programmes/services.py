"""Accredited programmes (seed 002 paras 131-140): referral, eligibility, start, sessions, completion or
non-completion with a reason, and the wait from sentence to start."""

from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from cases import entered_dates
from cases.models import Contact, Outcome, Requirement
from cases.unit_of_work import case_change
from interventions import sessions
from interventions.models import Programme

SESSION_TYPE = "programme_session"


class Step:
    REFERRED = "referred"
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    STARTED = "started"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"


LABELS = {
    Step.REFERRED: "Referred for assessment",
    Step.ELIGIBLE: "Assessed as eligible",
    Step.NOT_ELIGIBLE: "Assessed as not eligible",
    Step.STARTED: "Started the programme",
    Step.COMPLETED: "Completed the programme",
    Step.NOT_COMPLETED: "Did not complete the programme",
}
NEEDS_REASON = frozenset({Step.NOT_ELIGIBLE, Step.NOT_COMPLETED})


def next_steps(programme: Programme | None) -> list[str]:
    """What can be recorded next, in the order it happens."""
    if programme is None:
        return [Step.REFERRED]
    if programme.outcome or programme.eligibility == Programme.Eligibility.NOT_ELIGIBLE:
        return []
    if programme.started_on:
        return [Step.COMPLETED, Step.NOT_COMPLETED]
    if programme.eligibility == Programme.Eligibility.ELIGIBLE:
        return [Step.STARTED]
    return [Step.ELIGIBLE, Step.NOT_ELIGIBLE]


def delivery_of(requirement: Requirement) -> Programme | None:
    try:
        return requirement.programme_delivery
    except Programme.DoesNotExist:
        return None


def _last_date(programme: Programme) -> date:
    return programme.started_on or programme.eligibility_on or programme.referred_on


def advance(*, requirement: Requirement, user: User | AnonymousUser, step: str, on: date, notes: str = "") -> Programme:
    with case_change(requirement.event.person_id, user, "programme.update") as change:
        change.within(requirement.event)
        requirement = Requirement.objects.select_for_update().select_related("event__person").get(pk=requirement.pk)
        event = requirement.event
        if requirement.type != Requirement.Type.ACCREDITED_PROGRAMME:
            raise ValidationError("This requirement is not an accredited programme")
        if not event.is_active:
            raise ValidationError("This sentence has ended: the programme cannot be updated")
        programme = delivery_of(requirement)
        if step not in next_steps(programme):
            raise ValidationError(
                {"step": "That cannot be recorded now: the programme has moved on. Check and try again"}
            )
        earliest = (_last_date(programme), "the date of its last step") if programme else None
        entered_dates.refuse(
            on,
            field="on",
            called="The date",
            limits=[(event.sentence_date, "the sentence date"), *filter(None, [earliest])],
        )
        if step in NEEDS_REASON and not notes.strip():
            raise ValidationError({"notes": "Enter the reason"})
        if step == Step.COMPLETED and programme and not _attended_any(requirement, programme):
            raise ValidationError({"step": "No sessions have been attended: log them before recording completion"})
        if programme is None:
            programme = Programme(requirement=requirement, referred_on=on)
        elif step in (Step.ELIGIBLE, Step.NOT_ELIGIBLE):
            programme.eligibility, programme.eligibility_on, programme.eligibility_notes = step, on, notes
        elif step == Step.STARTED:
            programme.started_on = on
        else:
            programme.ended_on, programme.outcome, programme.outcome_reason = on, step, notes
        programme.full_clean()
        programme.save()
        change.touches(programme, step=step)
        return programme


def log_session(
    *, requirement: Requirement, user: User | AnonymousUser, day: date, attendance: str, rar: bool = False
) -> Contact:
    with case_change(requirement.event.person_id, user, "programme.session") as change:
        change.within(requirement.event)
        requirement = Requirement.objects.select_for_update().select_related("event__person").get(pk=requirement.pk)
        programme = delivery_of(requirement)
        if programme is None or not programme.started_on or programme.outcome:
            raise ValidationError("Sessions can be logged once the programme has started, until it ends")
        entered_dates.refuse(
            day,
            field="day",
            called="The date of the session",
            limits=[(programme.started_on, "when the programme started")],
        )
        if _sessions(requirement).filter(starts_at__date=day).exists():
            raise ValidationError({"day": f"A session on {day:%-d %B %Y} is already recorded"})
        contact = sessions.record_contact(
            event=requirement.event,
            user=user,
            type_code=SESSION_TYPE,
            day=day,
            at=time(10, 0),
            attendance=attendance,
            notes=f"{requirement.programme} session",
            rar=rar,
        )
        change.touches(contact, programme=programme.pk, attendance=attendance)
        return contact


def _sessions(requirement: Requirement) -> QuerySet[Contact]:
    return Contact.objects.valid().filter(event_id=requirement.event_id, type__code=SESSION_TYPE)


def _attended_any(requirement: Requirement, programme: Programme) -> bool:
    attended = _sessions(requirement).filter(outcome__in=[Outcome.ATTENDED, Outcome.FAILED_TO_COMPLY])
    return attended.filter(starts_at__date__gte=programme.started_on).exists()


@dataclass(frozen=True)
class ProgrammeSummary:
    programme: Programme | None
    sessions: list[Contact]
    waiting_days: int  # sentence to start, or to today while not yet started

    @property
    def attended(self) -> int:
        return sum(1 for c in self.sessions if c.outcome in (Outcome.ATTENDED, Outcome.FAILED_TO_COMPLY))

    @property
    def missed(self) -> int:
        return sum(
            1 for c in self.sessions if c.outcome and c.outcome not in (Outcome.ATTENDED, Outcome.FAILED_TO_COMPLY)
        )


def summary(requirement: Requirement, session_contacts: list[Contact], today: date | None = None) -> ProgrammeSummary:
    """From the programme and the sentence's programme-session contacts already read: no further query."""
    today = today or timezone.localdate()
    programme = delivery_of(requirement)
    started = programme.started_on if programme else None
    ended = programme.ended_on if programme else None
    in_programme = [
        c
        for c in session_contacts
        if started
        and not c.entered_in_error
        and started <= timezone.localtime(c.starts_at).date() <= (ended or date.max)
    ]
    return ProgrammeSummary(programme, in_programme, ((started or today) - requirement.event.sentence_date).days)

"""Writes to the contact record. Each keeps the version it replaces and is audited."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, ForeignKey
from django.utils import timezone

from cases import entered_dates
from cases.calendar_months import add_months
from cases.models import Contact, ContactType, ContactVersion, EnforcementAction, Event, Outcome, OversightTask
from cases.plans.services import STALE
from cases.standards import calendar, compliance_clocks, derive, rules
from cases.standards.derive import Seen
from cases.unit_of_work import CaseChange, case_change
from regions.models import StaffMember

REPEATS = {"weekly": 7, "fortnightly": 14}
MAX_SERIES = 26


def snapshot(contact: Contact) -> dict[str, Any]:
    return {
        "type": contact.type.code,
        "starts_at": contact.starts_at.isoformat(),
        "location": contact.location,
        "staff": contact.staff.code if contact.staff else None,
        "outcome": contact.outcome,
        "absence_reason": contact.absence_reason,
        "evidence_due": contact.evidence_due.isoformat() if contact.evidence_due else None,
        "enforceable": contact.enforceable,
        "notes": contact.notes,
        "sensitive": contact.sensitive,
        "rar": contact.rar,
        "entered_in_error": contact.entered_in_error,
        "error_reason": contact.error_reason,
    }


def _validate(contact: Contact) -> None:
    """full_clean() without its queries: the related rows it would look up are the ones just loaded (the case
    page found the event, the form's choices the type and officer), and the two check constraints are checked
    here in Python (the database checks them too), not by a query and a savepoint each."""
    relations = [f for f in Contact._meta.concrete_fields if isinstance(f, ForeignKey)]
    loaded = [f.name for f in relations if f.get_cached_value(contact, None) is not None]
    contact.full_clean(exclude=loaded, validate_constraints=False)
    failed = [
        constraint
        for constraint in Contact._meta.constraints
        if isinstance(constraint, CheckConstraint) and not _holds(constraint.name, contact)
    ]
    if failed:
        raise ValidationError([c.get_violation_error_message() for c in failed])


def _holds(name: str, contact: Contact) -> bool:
    if name == "contact_reason_only_if_acceptable":
        return contact.outcome == Outcome.ACCEPTABLE_ABSENCE or contact.absence_reason == ""
    if name == "contact_error_has_reason":
        return not contact.entered_in_error or contact.error_reason != ""
    raise ValueError(f"{name}: a constraint of Contact not checked in Python")  # a new one must be added here


def _save_version(contact: Contact, user: User | AnonymousUser, reason: str = "") -> None:
    _validate(contact)
    contact.save()
    ContactVersion.objects.create(
        contact=contact,
        number=contact.version,
        data=snapshot(contact),
        changed_by=user if user.is_authenticated else None,
        changed_by_name=(user.get_full_name() or user.get_username()) if user.is_authenticated else "",
        reason=reason,
    )


def _starts(first: datetime, repeat: str, index: int) -> datetime:
    """The index-th appointment of a series, at the same UK local time across clock changes."""
    local = timezone.localtime(first)
    if repeat == "monthly":
        day = add_months(local.date(), index)
    else:
        day = local.date() + timedelta(days=REPEATS.get(repeat, 0) * index)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


OFFICE_OPENS, OFFICE_CLOSES = time(8, 0), time(18, 0)


def appointment_times(first: datetime, repeat: str = "", count: int = 1) -> list[datetime]:
    """When each appointment of a booking would be."""
    return [_starts(first, repeat, index) for index in range(count if repeat else 1)]


def booking_warnings(event: Event, times: list[datetime]) -> list[str]:
    """What the officer must confirm before booking at these times: a weekend or bank holiday, outside office
    hours (before 08:00 or after 18:00), after the sentence's expected end. Allowed once confirmed: a home visit
    may need to be at 19:00."""
    warnings: list[str] = []
    for moment in times:
        local = timezone.localtime(moment)
        day, at, when = local.date(), local.time(), f"{local:%A %-d %B %Y}"
        if day.weekday() >= 5:
            warnings.append(f"{when} is a {local:%A}")
        elif not calendar.is_business_day(day):
            name = calendar.bank_holidays(day.year, day.year).get(day, "")
            warnings.append(f"{when} is a bank holiday{f' ({name})' if name else ''}")
        if at < OFFICE_OPENS or at > OFFICE_CLOSES:
            warnings.append(f"{local:%H:%M} on {when} is outside office hours (08:00 to 18:00)")
        if event.expected_end_date and day > event.expected_end_date:
            warnings.append(f"{when} is after the sentence's expected end, {event.expected_end_date:%-d %B %Y}")
    return list(dict.fromkeys(warnings))


def book(
    *,
    event: Event,
    user: User | AnonymousUser,
    type: ContactType,
    starts_at: datetime,
    staff: StaffMember | None,
    location: str = "",
    enforceable: bool | None = None,
    notes: str = "",
    repeat: str = "",
    count: int = 1,
    rar: bool = False,
) -> list[Contact]:
    """Book one appointment, or a series repeating weekly, fortnightly or monthly."""
    with case_change(event, user, "contact.book", contacts_only=True) as change:
        change.within(event)
        event.refuse_if_ended("an appointment")
        if not event.is_active:
            raise ValidationError("This sentence has ended: appointments cannot be booked on it")
        if repeat and not 1 <= count <= MAX_SERIES:
            raise ValidationError({"count": f"Book from 1 to {MAX_SERIES} appointments at a time"})
        series = uuid.uuid4() if repeat and count > 1 else None
        booked = []
        for index in range(count if repeat else 1):
            contact = Contact(
                event=event,
                type=type,
                starts_at=_starts(starts_at, repeat, index),
                staff=staff,
                location=location,
                enforceable=type.enforceable if enforceable is None else enforceable,
                notes=notes,
                series=series,
                rar=rar,
                recorded_at=timezone.now(),
                recorded_by=user if user.is_authenticated else None,
            )
            _save_version(contact, user)
            change.contact_at(contact.starts_at)
            booked.append(contact)
        if not any(derive.as_read_by_rules(contact) for contact in booked):
            change.moves_no_obligation()  # appointments only booked: no rule reads them until they have an outcome
        change.touches(booked[0], count=len(booked), series=str(series or ""))
        return booked


def record_outcome(
    *,
    contact: Contact,
    user: User | AnonymousUser,
    outcome: str,
    absence_reason: str = "",
    notes: str = "",
    sensitive: bool = False,
    enforceable: bool | None = None,
) -> Contact:
    """What happened at an appointment. An absence awaiting evidence gives the person the absence_evidence
    rule's period (5 business days unless an administrator changed it)."""
    with case_change(contact.event.person_id, user, "contact.outcome", contacts_only=True) as change:
        contact = Contact.objects.select_for_update().select_related("event", "type").get(pk=contact.pk)
        change.within(contact.event)
        change.contact_at(contact.starts_at)
        if contact.entered_in_error:
            raise ValidationError("This contact was entered in error: it cannot have an outcome")
        if contact.starts_at > timezone.now():
            raise ValidationError({"outcome": "You cannot record an outcome before the appointment has happened"})
        if outcome == Outcome.ACCEPTABLE_ABSENCE and not absence_reason:
            raise ValidationError({"absence_reason": "Select the reason the absence is acceptable"})
        previous, read_before = contact.outcome, derive.as_read_by_rules(contact)
        if previous and previous != Outcome.AWAITING_EVIDENCE:
            raise ValidationError("This contact already has an outcome: change it instead, giving a reason")
        contact.outcome = outcome
        contact.absence_reason = absence_reason if outcome == Outcome.ACCEPTABLE_ABSENCE else ""
        if notes:
            contact.notes = f"{contact.notes}\n\n{notes}".strip() if contact.notes else notes
        contact.sensitive = contact.sensitive or sensitive
        if enforceable is not None:
            contact.enforceable = enforceable
        if not previous:  # the fact is recorded now; deciding on evidence later does not record it again (late)
            contact.recorded_at = timezone.now()
            contact.recorded_by = user if user.is_authenticated else None
        contact.version += 1
        _apply_outcome_rules(contact, previous)
        _save_version(contact, user, reason="Evidence decided" if previous else "Outcome recorded")
        if outcome == Outcome.ACCEPTABLE_ABSENCE:
            _open_oversight_if_due(contact)
        what_the_rules_read(change, read_before, derive.as_read_by_rules(contact))
        change.touches(contact, outcome=outcome)
        return contact


def log_contact(
    *,
    event: Event,
    user: User | AnonymousUser,
    type: ContactType,
    starts_at: datetime,
    staff: StaffMember | None,
    outcome: str = "",
    absence_reason: str = "",
    notes: str = "",
    sensitive: bool = False,
) -> Contact:
    """A contact that happened without being booked (a telephone call, an email or letter, a visit without an
    appointment), recorded with its outcome in one step. It is enforceable where its type is, and then needs an
    outcome; the outcome sets in train what a recorded outcome does (evidence clock, oversight)."""
    with case_change(event, user, "contact.log", contacts_only=True) as change:
        change.within(event)
        if not event.is_active:
            raise ValidationError("This sentence has ended: contacts cannot be logged on it")
        if starts_at > timezone.now():
            raise ValidationError({"at": "The time must be now or in the past: book a future appointment instead"})
        entered_dates.refuse(
            starts_at, field="day", called="The date of the contact", limits=[entered_dates.started(event)]
        )
        if type.enforceable and not outcome:
            raise ValidationError({"outcome": "Select what happened"})
        if outcome == Outcome.ACCEPTABLE_ABSENCE and not absence_reason:
            raise ValidationError({"absence_reason": "Select the reason the absence is acceptable"})
        if not outcome and type.needs_outcome:
            outcome = Outcome.ATTENDED  # a call or agency contact logged without an outcome took place
        contact = Contact(
            event=event,
            type=type,
            starts_at=starts_at,
            staff=staff,
            outcome=outcome,
            absence_reason=absence_reason if outcome == Outcome.ACCEPTABLE_ABSENCE else "",
            enforceable=type.enforceable,
            notes=notes,
            sensitive=sensitive,
            recorded_at=timezone.now(),
            recorded_by=user if user.is_authenticated else None,
        )
        _apply_outcome_rules(contact, "")
        _save_version(contact, user, reason="Contact logged")
        change.contact_at(contact.starts_at)
        if outcome == Outcome.ACCEPTABLE_ABSENCE:
            _open_oversight_if_due(contact)
        what_the_rules_read(change, None, derive.as_read_by_rules(contact))  # a telephone call: nothing
        change.touches(contact, outcome=outcome)
        return contact


def what_the_rules_read(change: CaseChange, before: Seen | None, after: Seen | None, moved: bool = False) -> None:
    """Tell the change what its one contact was to the rules before it and is after (derive.as_read_by_rules), so
    it derives no more than that can move: nothing, if it reads the same and did not move (the rules read a
    sentence's contacts in time order: the third acceptable absence of two on one day is the later) or is read
    by no rule before or after (a telephone call); the clocks of seeing the person from its day, if it was and
    is no more than a contact at which the person was seen (an office visit); otherwise all its event's."""
    if before == after and (not moved or after is None):
        change.moves_no_obligation()
    elif derive.seen_only(before) and derive.seen_only(after):
        change.seen_from(min(contact.day for contact in (before, after) if contact is not None))


def _apply_outcome_rules(contact: Contact, previous_outcome: str) -> None:
    """What an outcome sets in train, the same whether first recorded or changed later: an absence
    awaiting evidence gives the absence_evidence rule's period (5 business days by default) from the appointment:
    the deadline is shown on the contact; the ledger counts it from the appointment by the same rule."""
    if contact.outcome != Outcome.ACCEPTABLE_ABSENCE:
        contact.absence_reason = ""
    if contact.outcome == Outcome.AWAITING_EVIDENCE:
        if previous_outcome != Outcome.AWAITING_EVIDENCE or contact.evidence_due is None:
            # from the appointment, however late the absence is recorded (DOMAIN.md; the ledger counts so too)
            appointment = timezone.localtime(contact.starts_at).date()
            contact.evidence_due = rules.current()["absence_evidence"].due(appointment)
        contact.evidence_decided_on = None
    elif previous_outcome == Outcome.AWAITING_EVIDENCE and contact.evidence_due and contact.outcome:
        contact.evidence_decided_on = timezone.localdate()  # the evidence clock is met; its due date is kept
    elif contact.outcome != previous_outcome:
        contact.evidence_due = contact.evidence_decided_on = None
    # an outcome unchanged (its notes corrected) sets nothing in train: an evidence clock already met stays met


def _decision_on(contact: Contact) -> EnforcementAction | None:
    return EnforcementAction.objects.standing().filter(failure=contact).first()


def standing_warning(contact: Contact) -> EnforcementAction | None:
    """The warning given for this failure, unless it was withdrawn: changing the outcome asks about it again."""
    decision = _decision_on(contact)
    return decision if decision is not None and decision.kind == EnforcementAction.Kind.WARNING else None


def _open_oversight_if_due(contact: Contact) -> OversightTask | None:
    """The SPO's task for the acceptable-absence oversight clock the ledger derives from the contacts (the 3rd
    acceptable absence since the last oversight), if one is open and has no task yet: the rule the ledger uses,
    whether the absences were recorded here or imported (the nightly sweep opens the task for imported ones)."""
    event = Event.objects.select_for_update().get(pk=contact.event_id)  # two outcomes at once open one task
    aa = OversightTask.Reason.ACCEPTABLE_ABSENCES
    if OversightTask.objects.filter(event=event, reason=aa, closed_at__isnull=True).exists():
        return None
    facts = derive.load([event])[0]
    rows = compliance_clocks.acceptable_absence_oversight(facts, rules.current(), timezone.localdate())
    waiting = next((row for row in rows if row.met_on is None), None)
    if waiting is None:
        return None
    trigger = int(waiting.subject.removeprefix("contact:"))
    return OversightTask.objects.create(event=event, reason=aa, opened_on=waiting.starts_on, trigger_id=trigger)


def amend(
    *,
    contact: Contact,
    user: User | AnonymousUser,
    reason: str,
    expected_version: int | None = None,
    withdraw_warning: bool = False,
    **changes: Any,
) -> Contact:
    """Change a contact's details; the version it replaces is kept with who changed it, when and why. Given
    the version the change started from, it refuses if someone saved another since (nothing is overwritten).

    A failure answered by a warning may change to another failure (the warning still answers it); changed to an
    outcome that is no failure, the warning no longer stands: the officer is asked to withdraw it
    (`withdraw_warning`), in this same change. A breach, recall or professional judgement stands: its
    failure's outcome cannot change."""
    if {"event", "event_id"} & set(changes):
        raise ValueError("A contact stays on its sentence: record it again on the other one")
    with case_change(contact.event.person_id, user, "contact.amend", contacts_only=True) as change:
        change.within(contact.event)
        locked = Contact.objects.select_for_update(of=("self",))
        contact = locked.select_related("event__person", "type", "recorded_by__staff").get(pk=contact.pk)
        if expected_version is not None and contact.version != expected_version:
            last = contact.versions.select_related("changed_by__staff").order_by("-number").first()
            by = last.changed_by if last else None
            who = (
                (by.staff.name if hasattr(by, "staff") else by.get_full_name() or by.username) if by else "Someone else"
            )
            when = f"{timezone.localtime(last.changed_at if last else contact.recorded_at):%H:%M on %-d %B}"
            raise ValidationError(
                f"{who} saved this contact at {when}, while you were changing it. Your changes are below and have "
                "not been saved: compare them with the contact as it is now, then save again.",
                code=STALE,
            )
        if contact.entered_in_error:
            raise ValidationError("This contact was entered in error: it cannot be amended")
        if not reason.strip():
            raise ValidationError({"reason": "Enter the reason for the amendment"})
        previous_outcome, previous_start = contact.outcome, contact.starts_at
        read_before = derive.as_read_by_rules(contact)
        decision = _decision_on(contact)
        for name, value in changes.items():
            setattr(contact, name, value)
        if contact.starts_at != previous_start and contact.outcome and not contact.entered_in_error:
            # What happened cannot be moved into the future, nor before the sentence.
            started = entered_dates.started(contact.event)
            entered_dates.refuse(contact.starts_at, field="day", called="The date of the contact", limits=[started])
        still_a_failure = contact.is_failure_to_comply
        if decision is not None and (contact.outcome != previous_outcome or contact.entered_in_error):
            what, when = decision.get_kind_display().lower(), f"{decision.on:%-d %B %Y}"
            if decision.kind != EnforcementAction.Kind.WARNING or contact.entered_in_error:
                message = f"A {what} was recorded for this failure on {when}: the outcome cannot change while it stands"
                raise ValidationError({"outcome": message})
            if not still_a_failure and not withdraw_warning:
                raise ValidationError(
                    {
                        "withdraw_warning": f"A warning was given for this failure on {when}. The new outcome is not "
                        "a failure to comply: withdraw the warning to change it, or keep the outcome"
                    }
                )
            if not still_a_failure:
                decision.withdrawn_on = timezone.localdate()
                decision.save(update_fields=["withdrawn_on"])
                change.note(warning_withdrawn=decision.pk)
        _apply_outcome_rules(contact, previous_outcome)
        contact.version += 1  # a correction is a new version (who and when on it); the fact's recording time stands
        _save_version(contact, user, reason=reason)
        change.contact_at(previous_start)
        change.contact_at(contact.starts_at)
        if contact.outcome == Outcome.ACCEPTABLE_ABSENCE and previous_outcome != Outcome.ACCEPTABLE_ABSENCE:
            _open_oversight_if_due(contact)
        if not change.detail.get("warning_withdrawn"):
            moved = contact.starts_at != previous_start
            what_the_rules_read(change, read_before, derive.as_read_by_rules(contact), moved)  # its notes, say
        change.touches(contact, version=contact.version, reason=reason)
        return contact


def mark_entered_in_error(*, contact: Contact, user: User | AnonymousUser, reason: str) -> Contact:
    """Contacts are never deleted: a mistaken one is marked, with a reason, and drops out of every count."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why this contact was entered in error"})
    return amend(contact=contact, user=user, reason=reason, entered_in_error=True, error_reason=reason.strip()[:300])


def cancel_appointment(*, contact: Contact, user: User | AnonymousUser, reason: str) -> Contact:
    """A booked appointment that will not now happen (after a transfer, say): kept, as every contact is, but
    marked cancelled with the reason, so it drops out of diaries and counts as a contact entered in error does.
    The amendment keeps the version it replaced; the cancellation is audited as itself."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the appointment is cancelled"})
    with case_change(contact.event.person_id, user, "contact.cancel", contacts_only=True) as change:
        change.within(contact.event)
        current = Contact.objects.select_for_update(of=("self",)).get(pk=contact.pk)
        if not current.is_booked or current.starts_at <= timezone.now():
            raise ValidationError("Only a booked appointment that has not happened yet can be cancelled")
        why = f"Appointment cancelled: {reason.strip()}"[:300]
        change.contact_at(current.starts_at)
        cancelled = amend(contact=current, user=user, reason=why, entered_in_error=True, error_reason=why)
        change.touches(cancelled, reason=why)
        return cancelled

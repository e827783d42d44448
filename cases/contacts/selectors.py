"""Reads for the contact pages: each a fixed number of queries, however long the history."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.access import User, visible_people
from cases.models import Allocation, Contact, ContactVersion, Event, Outcome, Person, Registration
from cases.models.person import Rosh
from cases.person.selectors import adjustments_on, agreed
from probation.read_together_kept import read_together_kept
from regions.models import StaffMember


def start_of(day: date) -> datetime:
    """Midnight at the start of a UK local day (an index-friendly bound, unlike __date lookups)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def ever_sensitive() -> Q:
    """A filter on Contact: its notes are sensitive now, or were in any earlier version. Unticking "sensitive"
    does not make what was written while it was ticked readable (the notes kept may still hold it): such a
    contact's notes stay hidden from those who may not read sensitive notes, in every version."""
    earlier = ContactVersion.objects.filter(contact=OuterRef("pk"), data__sensitive=True)
    return Q(sensitive=True) | Q(Exists(earlier))


def contact_log(person: Person, filters: dict[str, Any], search_sensitive: bool) -> QuerySet[Contact]:
    """A person's contacts, newest first, each with `notes_sensitive` (ever_sensitive); words are looked for in
    notes that are or were sensitive only for those who may read them."""
    contacts = Contact.objects.filter(event__person=person).select_related("type")  # what a row shows of others
    contacts = contacts.annotate(notes_sensitive=ExpressionWrapper(ever_sensitive(), output_field=BooleanField()))
    if filters.get("type"):
        contacts = contacts.filter(type=filters["type"])
    if filters.get("outcome") == "none":
        contacts = contacts.filter(outcome="")
    elif filters.get("outcome"):
        contacts = contacts.filter(outcome=filters["outcome"])
    if filters.get("enforceable"):
        contacts = contacts.filter(enforceable=filters["enforceable"] == "yes")
    if filters.get("date_from"):
        contacts = contacts.filter(starts_at__gte=start_of(filters["date_from"]))
    if filters.get("date_to"):
        contacts = contacts.filter(starts_at__lt=start_of(filters["date_to"] + timedelta(days=1)))
    if filters.get("text"):
        contacts = contacts.filter(notes__icontains=filters["text"])
        if not search_sensitive:
            contacts = contacts.filter(notes_sensitive=False)
    return contacts.order_by("-starts_at", "-id")


def outcomes_to_log(staff: StaffMember, user: User) -> QuerySet[Contact]:
    """Past appointments, with this officer or on their cases, that still need an outcome."""
    mine = Q(staff=staff) | Q(event__allocations__staff=staff, event__allocations__to_date__isnull=True)
    return (
        Contact.objects.valid()
        .filter(
            mine,
            event__person__in=visible_people(user),
            outcome="",
            type__needs_outcome=True,
            starts_at__lte=timezone.now(),
            event__terminated_on__isnull=True,
        )
        .select_related("type", "event__person")
        .distinct()
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class DueNext:
    """What is coming up on a case, for the top of its overview (one query)."""

    next_appointment: Contact | None
    evidence_awaited: list[Contact]


def due_next(coming: list[Contact]) -> DueNext:
    """The appointments still to come and the absences awaiting evidence on the running events (read together,
    in time order, by the case overview: cases.record.selectors.overview_of), told apart."""
    evidence = [c for c in coming if c.outcome == Outcome.AWAITING_EVIDENCE]
    return DueNext(
        next_appointment=next((c for c in coming if c.outcome == ""), None),
        evidence_awaited=sorted(evidence, key=lambda c: (c.evidence_due is None, c.evidence_due or c.starts_at.date())),
    )


@dataclass(frozen=True)
class BeforeSeeing:
    """What the pages that book, log or record a contact tell whoever will see the person, and whom they offer as
    the officer first: read in one statement compiled once per process (it was four queries a form)."""

    risk_to_staff: list[str]
    adjustments: list[str]  # the adjustments agreed for their disabilities, current today
    responsible_officer: int | None  # the event's RO, if there is one (no event: None)


def before_seeing(person: Person, event: Event | None = None) -> BeforeSeeing:
    rows = read_together_kept(
        ("contacts.before_seeing",), _before_seeing, person.pk, event.pk if event else 0, timezone.localdate()
    )
    ro = rows["ro"]
    return BeforeSeeing(
        risk_to_staff=risk_to_staff(rows["flags"], next((rosh for (rosh,) in rows["rosh"]), "")),
        adjustments=agreed(rows["adjustments"]),
        responsible_officer=ro[0][0] if ro else None,
    )


def _before_seeing(person_id: int, event_id: int, today: date) -> dict[str, QuerySet[Any]]:
    return {
        "flags": Registration.objects.filter(
            person_id=person_id, type=Registration.Type.RISK_TO_STAFF, ended_on__isnull=True
        ).order_by("from_date"),
        "rosh": Person.objects.filter(pk=person_id).values_list("rosh"),
        "adjustments": adjustments_on(person_id, today),
        "ro": Allocation.objects.current().filter(event_id=event_id).order_by("pk").values_list("staff_id")[:1],
    }


def risk_to_staff(flags: list[Registration], rosh: str) -> list[str]:
    """Why whoever sees this person should take care: a current risk-to-staff flag, or a high or very high RoSH.
    The record holds one RoSH level, not one per group at risk (public, known adult, children, staff): a high or
    very high RoSH is taken as a risk to staff until the level is recorded per group."""
    reasons = [f"Flagged as a risk to staff since {flag.from_date:%-d %B %Y}" for flag in flags]
    if rosh in {Rosh.HIGH, Rosh.VERY_HIGH}:
        reasons.append(f"{Rosh(rosh).label} risk of serious harm: take it as a risk to staff")
    return reasons

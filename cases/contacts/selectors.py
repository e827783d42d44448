"""Reads for the contact pages: each a fixed number of queries, however long the history."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.core.paginator import Page
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.access import User, visible_people
from cases.models import Allocation, Contact, ContactVersion, Event, Outcome, Person, Registration
from cases.models.person import Rosh
from cases.person.selectors import adjustments_on, agreed
from probation.counted_pages import counted_page
from probation.read_together import read_together
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


LOG_PAGE_SIZE = 50
# The pages of a contact log whose statements are kept, for each set of filters (the first is the one opened from
# the case; a history of 4,000 contacts has 80 pages). Further pages are compiled.
KEPT_LOG_PAGES = 6


@dataclass(frozen=True)
class ContactLog:
    """A page of a person's contact log, and their running events by reference (each with its buttons to log a
    contact and book an appointment on it)."""

    page: Page[Contact]
    events: list[Event]


def contact_log(person_id: int, filters: dict[str, Any], search_sensitive: bool, number: Any = 1) -> ContactLog:
    """The page `number` of a person's contacts (as Paginator.get_page() reads it), newest first, each with
    `notes_sensitive` (ever_sensitive), matching `filters` (ContactLogFilterForm's cleaned data); words are looked
    for in notes that are or were sensitive only by those who may read them (`search_sensitive`). The page, how
    many contacts match, and the running events are read in one statement, compiled once per process for each set
    of filters and page (a search of the notes' words is compiled each time: its pattern is not a value kept)."""
    given, values = log_filters(filters)
    events: list[Event] = []

    def read(page: int) -> tuple[list[Contact], int]:
        build = partial(_log_querysets, given, search_sensitive, page)
        if page > KEPT_LOG_PAGES:
            found = read_together(build(person_id, *values))
        else:
            found = read_together_kept(("contacts.log", given, search_sensitive, page), build, person_id, *values)
        events[:] = found["events"]
        return found["contacts"], sum(n for (n,) in found["count"])

    return ContactLog(counted_page(read, number, LOG_PAGE_SIZE), events)


def log_filters(filters: dict[str, Any]) -> tuple[tuple[str, ...], list[Any]]:
    """The filters given, by name (the shape of the statement), and the values they put in it, in that order:
    the type's id, the outcome (no outcome yet: ""), the first moment of the first day, the first moment after
    the last day, the words; whether it is enforceable is in the name alone (a yes or no is not a value kept)."""
    given: list[str] = []
    values: list[Any] = []
    if filters.get("type"):
        given.append("type")
        values.append(filters["type"].pk)
    if filters.get("outcome"):
        given.append("outcome")
        values.append("" if filters["outcome"] == "none" else filters["outcome"])
    if filters.get("enforceable"):
        given.append("enforceable" if filters["enforceable"] == "yes" else "not_enforceable")
    if filters.get("date_from"):
        given.append("date_from")
        values.append(start_of(filters["date_from"]))
    if filters.get("date_to"):
        given.append("date_to")
        values.append(start_of(filters["date_to"] + timedelta(days=1)))
    if filters.get("text"):
        given.append("text")
        values.append(filters["text"])
    return tuple(given), values


def _log_querysets(
    given: tuple[str, ...], search_sensitive: bool, page: int, person_id: int, *values: Any
) -> dict[str, QuerySet[Any]]:
    """What contact_log() reads: the page's contacts, how many match (no row if none does), the running events."""
    contacts = Contact.objects.filter(event__person_id=person_id)
    value = dict(zip((name for name in given if name not in ("enforceable", "not_enforceable")), values, strict=True))
    if "type" in given:
        contacts = contacts.filter(type_id=value["type"])
    if "outcome" in given:
        contacts = contacts.filter(outcome=value["outcome"])
    if "enforceable" in given or "not_enforceable" in given:
        contacts = contacts.filter(enforceable="enforceable" in given)
    if "date_from" in given:
        contacts = contacts.filter(starts_at__gte=value["date_from"])
    if "date_to" in given:
        contacts = contacts.filter(starts_at__lt=value["date_to"])
    if "text" in given:
        contacts = contacts.filter(notes__icontains=value["text"])
        if not search_sensitive:
            contacts = contacts.exclude(ever_sensitive())
    first = (page - 1) * LOG_PAGE_SIZE
    shown = contacts.select_related("type")  # what a row shows of others
    shown = shown.annotate(notes_sensitive=ExpressionWrapper(ever_sensitive(), output_field=BooleanField()))
    return {
        "contacts": shown.order_by("-starts_at", "-id")[first : first + LOG_PAGE_SIZE],
        "count": contacts.order_by().values("event__person_id").annotate(n=Count("pk")).values_list("n"),
        "events": Event.objects.active().filter(person_id=person_id).order_by("ref"),
    }


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

"""Derive every obligation of a batch of sentences from the facts recorded about them.

The ledger is derived data: the services refresh a case's obligations from its facts in the same
transaction as the change, and `standards_rebuild` runs the same derivation for every case. Facts are read
for a whole batch at once (a fixed number of queries per batch, never one per case); a case's own refresh reads
every kind of fact in one round trip (probation/read_together.py).
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property
from itertools import islice
from typing import Any, NamedTuple

from django.db.models import Count, Exists, F, Max, Min, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import (
    Allocation,
    Contact,
    EnforcementAction,
    Event,
    Obligation,
    OversightTask,
    PlanReview,
    Registration,
    SentencePlan,
    Transfer,
)
from cases.models import contact as contact_outcomes
from cases.standards.rules import Rule
from probation.read_together import read_together

ONE_DAY = timedelta(days=1)
SEEN = contact_outcomes.SEEN  # the person was there, whether or not they complied
MONTHLY = "monthly_contact"  # the rule of each month's face-to-face contact
WITHOUT_MONTHS = (Event.Type.PSS, Event.Type.CUSTODY)  # sentences with no month's face-to-face contact to meet
VIDEO = "video"  # a face-to-face type of this code is a video call: it counts for at most a share of them
HOME_VISIT = "home_visit"  # a contact of this type, seen, is a home visit


@dataclass(frozen=True)
class Row:
    rule: str
    starts_on: date
    due_on: date
    met_on: date | None = None
    void_on: date | None = None
    subject: str = ""
    missed_on: date | None = None  # closed unmet from this day: its window ended, or its event ended
    # a month's face-to-face contact: the contacts seen face to face with the RO before its month, in person and by
    # video (case_clocks.counting_contacts), kept with it so a window can begin there (ledger.refresh_seen); None
    # where not known (a window with no count before it) and for every other rule
    seen_before: tuple[int, int] | None = None


class Seen(NamedTuple):
    """A contact, reduced to what the rules need (a named tuple: a refresh builds one for each contact of the
    case, and a frozen dataclass cost three times as much to build). Its days are the days in England: the
    database works them out as it reads the contacts (`CONTACT_DAYS`)."""

    id: int
    type: str
    day: date
    outcome: str
    enforceable: bool
    staff_id: int | None
    evidence_due: date | None
    evidence_decided_on: date | None
    face_to_face: bool = False  # its type counts as seeing the person (ContactType.face_to_face, in admin)
    recorded_on: date | None = None  # the day its outcome was recorded (meeting_facts: recorded late)

    @property
    def in_person(self) -> bool:
        return self.face_to_face and self.type != VIDEO

    @property
    def video(self) -> bool:
        return self.face_to_face and self.type == VIDEO


ABSENCES = frozenset({contact_outcomes.Outcome.ACCEPTABLE_ABSENCE, contact_outcomes.Outcome.AWAITING_EVIDENCE})


def as_read_by_rules(contact: Contact) -> Seen | None:
    """A contact as the rules read it; None for a contact no rule reads: one only booked (no outcome yet), a
    telephone call, an email or a letter (not face to face), whatever its outcome, unless it is a failure or an
    absence; one entered in error. The rules read a contact seen face to face or at home (the initial appointment,
    the month's contact, home visits, and the facts that met them: meeting_facts.py), a failure (enforcement), an
    absence (evidence, oversight) and one with an evidence clock. A change to contacts that reads the same to the
    rules after it as before (none of them read at all, or only their notes changed) moves no obligation
    (CaseChange.moves_no_obligation; the test suite derives the case before and after each such change)."""
    kind = contact.type
    seen = contact.outcome in SEEN and (kind.face_to_face or kind.code == HOME_VISIT)
    failure_or_absence = contact.outcome in contact_outcomes.FAILURES or contact.outcome in ABSENCES
    if contact.entered_in_error or not (
        seen or failure_or_absence or contact.evidence_due or contact.evidence_decided_on
    ):
        return None
    day, recorded = timezone.localtime(contact.starts_at).date(), contact.recorded_at
    return Seen(
        contact.pk, kind.code, day, contact.outcome, contact.enforceable, contact.staff_id, contact.evidence_due,
        contact.evidence_decided_on, kind.face_to_face, timezone.localtime(recorded).date() if recorded else None,
    )  # fmt: skip


# The clocks of seeing the person: the only rules that read a contact at which the person was seen, other than at
# home, and which is nothing more (`seen_only`): a home visit is the home visits' clock's too.
SEEING_RULES = ("initial_appointment", "initial_sentence_plan", "monthly_contact")


def seen_only(contact: Seen | None) -> bool:
    """Whether the rules read this contact (as `as_read_by_rules` gives it), if at all, as one at which the
    person was seen and nothing more: not at home, not a failure, an absence or one with an evidence clock. Only
    the SEEING_RULES read such a contact (CaseChange.seen_from)."""
    return contact is None or (
        contact.type != HOME_VISIT
        and contact.outcome in SEEN
        and contact.outcome not in contact_outcomes.FAILURES
        and not contact.evidence_due
        and not contact.evidence_decided_on
    )


@dataclass(frozen=True)
class Earlier:
    """For facts read from a window (ledger.refresh_seen): the day it begins, and how many contacts before it
    were seen face to face with the RO, in person and by video (the video share counts from the sentence's start).
    The contacts read from before the window are then not counted again."""

    begins: date = date.min
    counts: tuple[int, int] | None = (0, 0)  # None: not known (no video in the window, so not needed)

    def after(self, contacts: list[Seen]) -> Iterable[Seen]:
        return contacts if self.begins == date.min else (c for c in contacts if c.day >= self.begins)


@dataclass
class Facts:
    event: Event
    allocations: list[Allocation] = field(default_factory=list)
    contacts: list[Seen] = field(default_factory=list)  # in time order
    plan: SentencePlan | None = None
    reviews: list[date] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    actions: list[EnforcementAction] = field(default_factory=list)
    oversight: list[OversightTask] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # facts other apps load (Unpaid Work)
    earlier: Earlier = Earlier()  # read from a window: what came before it (ledger.refresh_seen)

    def officers_between(self, first: date, last: date) -> set[int | None]:
        """The officers allocated on the days from `first` to `last` (officer_on changes only on a day an
        allocation starts, or the day after one ends)."""
        changes = {a.from_date for a in self.allocations} | {a.to_date + ONE_DAY for a in self.allocations if a.to_date}
        return {self.officer_on(day) for day in {first} | {day for day in changes if first < day <= last}}

    def officer_on(self, day: date) -> int | None:
        """The officer allocated on the day: of the allocations running then, the latest to start (the latest
        made, on a tie). Asked for every contact and obligation of a refresh, so one pass, no list."""
        found: Allocation | None = None
        for a in self.allocations:
            running = a.from_date <= day and (a.to_date is None or a.to_date >= day)
            if running and (found is None or (a.from_date, a.id) > (found.from_date, found.id)):
                found = a
        return found.staff_id if found is not None else None

    @cached_property
    def _days(self) -> list[date]:
        """Each contact's day: in order, as the contacts are in time order."""
        return [contact.day for contact in self.contacts]

    def _from(self, day: date) -> int:
        """Where the contacts from this day on begin (found by halving: a refresh asks for a few days, of a
        sentence with perhaps thousands of contacts)."""
        return bisect_left(self._days, day)

    def seen_that_day(self, day: date) -> list[Seen]:
        """The contacts of the day at which the person was seen."""
        that_day = self.contacts[self._from(day) : bisect_right(self._days, day)]
        return [contact for contact in that_day if contact.outcome in SEEN]

    def first_seen_in_person(self, on_or_after: date) -> date | None:
        """The first day from this one that the person was seen in person."""
        later = islice(self.contacts, self._from(on_or_after), None)
        return next((c.day for c in later if c.in_person and c.outcome in SEEN), None)

    def pdu_on(self, day: date) -> int:
        done = sorted(
            (t for t in self.transfers if t.status == Transfer.Status.COMPLETED and t.decided_on),
            key=lambda t: t.decided_on or date.min,
        )
        if not done:
            return self.event.pdu_id
        before = [t for t in done if t.decided_on and t.decided_on <= day]
        return before[-1].to_pdu_id if before else done[0].from_pdu_id


Deriver = Callable[[Facts, dict[str, Rule], date], Iterable[Row]]
Where = Callable[[str], dict[str, Any]]  # the filter naming the events whose facts are read
DERIVERS: list[Deriver] = []


@dataclass(frozen=True)
class Loader:
    """Facts another app's rules need (Unpaid Work): the querysets that read them, given the filter naming the
    events (read in the same round trip as the case's own facts), and how their rows join the facts."""

    querysets: Callable[[Where], dict[str, QuerySet[Any]]]
    attach: Callable[[list[Facts], dict[str, list[Any]]], None]


LOADERS: list[Loader] = []  # other apps add the facts their rules need


def deriver(function: Deriver) -> Deriver:
    DERIVERS.append(function)
    return function


def of_events(ids: list[int]) -> Where:
    """These events (`path` leads from a fact to its event; "" is the event itself)."""
    return lambda path: {f"{path}__in" if path else "pk__in": ids}


def of_event(event_id: int) -> Where:
    """One event."""
    return lambda path: {f"{path}_id" if path else "pk": event_id}


def of_person(person_id: int) -> Where:
    """Every event of one person."""
    return lambda path: {f"{path}__person_id" if path else "person_id": person_id}


def fact_querysets(where: Where) -> dict[str, QuerySet[Any]]:
    """Every fact the rules need, for the events `where` names: one queryset a kind of fact."""
    contacts = Contact.objects.filter(entered_in_error=False, **where("event")).order_by("starts_at", "id")
    querysets: dict[str, QuerySet[Any]] = {
        "allocations": Allocation.objects.filter(**where("event"))
        .annotate(staff_team_id=F("staff__team_id"))
        .order_by("from_date", "id"),
        "contacts": contacts.annotate(**CONTACT_DAYS).values_list(*CONTACT_FIELDS),
        "plans": SentencePlan.objects.filter(**where("event")),
        "reviews": PlanReview.objects.filter(**where("plan__event")).values("plan__event_id", "reviewed_on"),
        "transfers": Transfer.objects.filter(**where("event")).order_by("requested_on", "id"),
        "actions": EnforcementAction.objects.standing().filter(**where("event")).order_by("on", "id"),
        "oversight": OversightTask.objects.filter(**where("event")).order_by("opened_on", "id"),
        "registrations": Registration.objects.filter(person__in=Event.objects.filter(**where("")).values("person_id")),
    }
    for loader in LOADERS:
        querysets.update(loader.querysets(where))
    return querysets


def seen_before(event_id: int, moment: Any) -> QuerySet[Any]:
    """The first contact of an event seen in person on or after each day supervision can start from (the
    sentence, the release), if before `moment`, as `fact_querysets` gives contacts: with the contacts from
    `moment`, all that the SEEING_RULES but the video share read to derive the obligations from then
    (ledger.refresh_seen): the initial appointment was met by it, or is met in the window."""
    in_person = (
        Contact.objects.filter(entered_in_error=False, event_id=event_id, outcome__in=SEEN, type__face_to_face=True)
        .filter(starts_at__lt=moment)
        .exclude(type__code=VIDEO)
        .annotate(**CONTACT_DAYS)
        .order_by("starts_at")  # the index's order, so the search stops at the first (only its day is read)
    )
    event = Event.objects.filter(pk=event_id).order_by()
    # each only if its day is known (a condition PostgreSQL checks once: without it, a search from a day not known
    # went through every contact of the sentence), and searched from the day before it (the index finds where to
    # begin; the day in England is then compared exactly), not from the sentence's first contact
    firsts = [
        Subquery(
            in_person.filter(Exists(event.filter(**{f"{start}__isnull": False})))
            .filter(starts_at__gte=Subquery(event.annotate(bound=F(start) - ONE_DAY).values("bound")[:1]))
            .filter(Q(day__gte=Subquery(event.values(start)[:1])))
            .values("pk")[:1]
        )
        for start in ("sentence_date", "release_date")
    ]
    return in_person.filter(Q(pk=firsts[0]) | Q(pk=firsts[1])).values_list(*CONTACT_FIELDS)


def seen_face_to_face_before(event_id: int, month: date, moment: Any) -> dict[str, QuerySet[Any]]:
    """What ledger.refresh_seen reads to count the contacts of an event seen face to face before a window beginning
    on `month` (its first `moment`), where the month's face-to-face obligation does not keep their counts and can
    keep them once counted, or there is none and a video call in the window needs them (not for a sentence with no
    month's contact to meet: PSS, custody): the latest
    earlier month's obligation that does ("since": its month and counts), and how many contacts were seen face to
    face from the start of that month (from the sentence's start, if none does) to the window, in person and by
    video, with each member of staff (None: nobody named) in each span of days with one RO (`officer_on` changes
    only on a day an allocation starts, or the day after one ends), with the first and last day of those
    ("earlier"). Otherwise neither is read (a condition PostgreSQL checks once, before it reads any contact)."""
    months = Obligation.objects.filter(event_id=event_id, rule=MONTHLY)
    monthly = months.filter(seen_in_person_before__isnull=False)
    contacts = Contact.objects.filter(entered_in_error=False, event_id=event_id)
    video = contacts.filter(starts_at__gte=moment, type__code=VIDEO, type__face_to_face=True)
    monthly_in_scope = Exists(Event.objects.filter(pk=event_id).exclude(type__in=WITHOUT_MONTHS))
    needed = ~Exists(monthly.filter(starts_on=month)) & (
        Exists(months.filter(starts_on=month)) | (Exists(video) & monthly_in_scope)
    )
    since = monthly.filter(needed, starts_on__lt=month).order_by("-starts_on")
    obligations, allocations = Obligation._meta.db_table, Allocation._meta.db_table
    zone = timezone.get_current_timezone_name()
    # from the first moment of the latest month that keeps its counts (the month `since` reads), worked out once
    # as a moment in England (a value PostgreSQL works out once, then reads the contacts from there by their index)
    counted_from = RawSQL(  # noqa: S611 - our own table; every value is a parameter
        f"""COALESCE((SELECT starts_on::timestamp AT TIME ZONE %s FROM {obligations}
            WHERE event_id = %s AND rule = %s AND starts_on < %s AND seen_in_person_before IS NOT NULL
            ORDER BY starts_on DESC LIMIT 1), '-infinity')""",  # noqa: S608 - our own table
        [zone, event_id, MONTHLY, month],
    )
    seen = contacts.filter(needed, outcome__in=SEEN, type__face_to_face=True, starts_at__lt=moment)
    seen = seen.filter(starts_at__gte=counted_from)
    # each contact's moment placed among the moments the spans begin (midnight in England on the days an
    # allocation starts or the day after one ends), worked out once: not each contact's day, a conversion for
    # each of thousands of contacts that took half the count's time
    span = RawSQL(  # noqa: S611 - our own table; every value is a parameter
        f"""width_bucket(starts_at, ARRAY(
            SELECT from_date::timestamp AT TIME ZONE %s FROM {allocations} WHERE event_id = %s
            UNION SELECT (to_date + 1)::timestamp AT TIME ZONE %s FROM {allocations}
            WHERE event_id = %s AND to_date IS NOT NULL ORDER BY 1))""",  # noqa: S608 - our own table
        [zone, event_id, zone, event_id],
    )
    by_staff = seen.annotate(span=span).order_by().values("staff_id", "span")
    earlier = by_staff.annotate(
        in_person=Count("pk", filter=~Q(type__code=VIDEO)),
        video=Count("pk", filter=Q(type__code=VIDEO)),
        first=TruncDate(Min("starts_at")),
        last=TruncDate(Max("starts_at")),
    ).values_list("staff_id", "in_person", "video", "first", "last")
    return {
        "since": since.values_list("starts_on", "seen_in_person_before", "seen_by_video_before")[:1],
        "earlier": earlier,
    }


def as_seen(row: tuple[Any, ...]) -> Seen:
    """A contact read as CONTACT_FIELDS."""
    pk, _, code, day, outcome, enforceable, staff, due, decided, face_to_face, recorded = row
    return Seen(pk, code, day, outcome, enforceable, staff, due, decided, face_to_face, recorded)


CONTACT_FIELDS = (
    "id", "event_id", "type__code", "day", "outcome", "enforceable", "staff_id", "evidence_due",
    "evidence_decided_on", "type__face_to_face", "recorded_on",
)  # fmt: skip
# The days of a contact's moments, in the current time zone, worked out by the database as it reads them: a
# contact's day was a conversion in Python for each contact (astimezone), a quarter of a refresh's time for a
# sentence of thousands of contacts, and the moments' text twice as long to read as the days'.
CONTACT_DAYS = {"day": TruncDate("starts_at"), "recorded_on": TruncDate("recorded_at")}


FEW_EVENTS = 20  # up to this many events (one case's), their facts are read in one round trip


def load(events: list[Event]) -> list[Facts]:
    """Every fact the rules need for these events. A case's few events: in one round trip (as JSON). A batch (the
    rebuild, the nightly ends of sentences): each kind of fact in its own query, since there the rows are the
    cost, not the round trips, and psycopg types rows faster than JSON is read (a rebuild check of 4,000
    events: 4.9 s, against 6.3-7.4 s as JSON)."""
    if not events:
        return []
    querysets = fact_querysets(of_events([event.pk for event in events]))
    if len(events) <= FEW_EVENTS:
        return attach(events, read_together(querysets))
    return attach(events, {name: list(queryset) for name, queryset in querysets.items()})


def attach(events: list[Event], rows: dict[str, list[Any]]) -> list[Facts]:
    """The facts read by `fact_querysets`, joined to their events."""
    facts = {event.pk: Facts(event) for event in events}
    for allocation in rows["allocations"]:
        facts[allocation.event_id].allocations.append(allocation)
    for row in rows["contacts"]:
        facts[row[1]].contacts.append(as_seen(row))
    for plan in rows["plans"]:
        facts[plan.event_id].plan = plan
    for review in rows["reviews"]:
        facts[review["plan__event_id"]].reviews.append(review["reviewed_on"])
    for transfer in rows["transfers"]:
        facts[transfer.event_id].transfers.append(transfer)
    for action in rows["actions"]:
        facts[action.event_id].actions.append(action)
    for task in rows["oversight"]:
        facts[task.event_id].oversight.append(task)
    by_person: dict[int, list[Registration]] = defaultdict(list)
    for registration in rows["registrations"]:
        by_person[registration.person_id].append(registration)
    for item in facts.values():
        item.registrations = by_person.get(item.event.person_id, [])
    for loader in LOADERS:
        loader.attach(list(facts.values()), rows)
    return list(facts.values())


def derive(item: Facts, rules: dict[str, Rule], today: date) -> list[Row]:
    rows = []
    for function in DERIVERS:
        for row in function(item, rules, today):
            rows.append(_settle(row, item.event.terminated_on))
    return rows


def _settle(row: Row, ended: date | None = None) -> Row:
    """Met if met before it stopped applying; not applicable only if it stopped applying by its due date.

    An event ends at the end of its end day (DOMAIN.md, "Sentences end"): from the next day an obligation due on
    or before that day and still unmet is missed, one due after it not applicable. An obligation whose window
    closes (`missed_on`, a month's face-to-face contact) is missed from then unless met by then."""
    void = row.void_on if row.void_on and row.void_on <= row.due_on else None
    missed = row.missed_on
    if ended is not None:
        if row.due_on <= ended:
            if void is not None and void >= ended:
                void = None  # its event's end, not the cause of a void, closes it
            if void is None:
                missed = min(missed or date.max, ended + timedelta(days=1))
        elif void is None or void > ended:
            void = ended
    if row.met_on and (void is None or row.met_on <= void) and (missed is None or row.met_on < missed):
        return replace(row, void_on=None, missed_on=None)
    if void is not None:
        return replace(row, met_on=None, void_on=void, missed_on=None)
    return replace(row, met_on=None, void_on=None, missed_on=missed)


def supervision_start(event: Event) -> date | None:
    if event.type == Event.Type.CUSTODY:
        return None
    if event.type in Event.RELEASE_TYPES:
        return event.release_date
    return event.sentence_date


def _recalled_on(item: Facts) -> date | None:
    """The day an agreed recall took the person back into custody (from then on, no community contact)."""
    days = [
        timezone.localtime(a.decided_at).date()
        for a in item.actions
        if a.kind == EnforcementAction.Kind.RECALL and a.decision == EnforcementAction.Decision.AGREED and a.decided_at
    ]
    return min(days, default=None)


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def monthly_months(event: Event, recalled_on: date | None, today: date) -> list[date]:
    """The first days of the months in scope: each full calendar month of community supervision (the
    initial appointment covers the part-month of sentence or release), up to this month; not PSS, not custody."""
    start = supervision_start(event)
    if start is None or event.type in WITHOUT_MONTHS:
        return []
    month = add_months(start.replace(day=1), 1) if start.day > 1 else start
    last = min(d for d in (today, event.terminated_on, recalled_on) if d is not None)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


# The derivers register themselves as they are imported; they need the names above, so they come last.
from cases.standards import case_clocks, compliance_clocks  # noqa: E402, F401

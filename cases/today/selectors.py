"""The officer's day (Today): what they must act on today and in the coming week, each item with the one page
that acts on it. Work follows the case: everything here is on events the officer is *now* the responsible
officer for (appointments also where they hold the appointment), on running events only, on cases the viewer
may read in full. A fixed number of queries, whatever the caseload (one per section, and the rules), and a fixed
number of rows: each section shows its SHOWN most urgent, with its true total, and all of them when asked
(`full`: the busiest officer at national scale has some 600 items, which took four fifths of the page's time to
read and draw, and no one acts on the 200th overdue item from a list)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, Exists, F, Model, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber, TruncDate
from django.db.models.lookups import Exact, In
from django.utils import timezone

from cases.access import visible_people
from cases.links import link_to
from cases.models import Allocation, Contact, EnforcementAction, Event, Obligation, Outcome, Person, Transfer
from cases.models.contact import FAILURES
from cases.standards import rules
from interventions.models import Referral
from probation.among import Among, Written
from regions.models import StaffMember

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)

SHOWN = 25  # rows a section shows unless shown in full: a page of My cases, and a screenful a section
WEEK = 7  # today and the coming week: the days Today looks ahead
TRANSFERS_DECIDED_SHOWN = 14  # days a decided transfer stays on Today (all of them are on My transfer requests)

# Items of the ledger that Today lists in a section of their own, from the facts that open them: an absence
# awaiting evidence (its deadline), a failure awaiting a decision, an agreed recall whose request is not sent.
OWN_SECTIONS = ("absence_evidence", "enforcement_decision", "recall")


@dataclass(frozen=True)
class Item:
    """One row of Today: whose case, what, when, and the one link that acts on it."""

    person: "Person | Named"  # Named: a row on a case of the caseload (events_held())
    event_ref: str
    what: str
    when: date | datetime
    link: str
    action: str
    tag: str = ""
    tag_colour: str = ""
    detail: str = ""

    @property
    def when_text(self) -> str:
        if isinstance(self.when, datetime):
            return f"{self.when:%a %-d %b %Y, %H:%M}"
        return f"{self.when:%a %-d %b %Y}"


@dataclass
class Section:
    """One section of Today: its first rows (`items`: SHOWN, or all of them when shown in full) and how many it
    has in all (`count`); `listed` names what it lists, for the link that shows them all."""

    key: str
    title: str
    listed: str
    empty: str
    items: list[Item] = field(default_factory=list)
    count: int = 0
    note: str = ""
    when_label: str = "When"

    @property
    def capped(self) -> bool:
        return len(self.items) < self.count


@dataclass
class Today:
    today: date
    week_ends: date
    sections: list[Section]

    def __getitem__(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def first(rows: QuerySet[M], limit: int | None) -> tuple[list[M], int]:
    """The first `limit` rows of an ordered queryset (all of them: None) and how many it has in all, in one query:
    the total is counted over the whole result (count(*) OVER ()) before LIMIT cuts it."""
    taken = list(rows.annotate(total=Window(Count("pk")))[:limit])
    return taken, taken[0].total if taken else 0  # type: ignore[attr-defined]


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@dataclass(frozen=True)
class Named:
    """What a row shows of the person whose case it is on, read as plain values with the caseload: a Person
    instance a case cost more to build than the rows it is shown in (a caseload: 105 for the busiest officer)."""

    crn: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return Person.name.fget(self)  # type: ignore[attr-defined]  # as a Person says it


@dataclass(frozen=True)
class HeldEvent:
    ref: str
    person: Named


Held = dict[int, HeldEvent]  # the officer's running events by id, each with its person (events_held())


def events_held(staff: StaffMember, readable: QuerySet[Person]) -> Held:
    """The running events the officer is now the responsible officer of, on cases the viewer may read in full,
    each with its person: read once (a caseload's worth), so each section takes its rows by event from its own
    index instead of asking the same three questions of every row in a query of its own, and takes each row's
    event and person from here instead of joining them to every row it counts (at national scale, for the
    busiest officer, 288 absences and failures and 265 standards items were joined to their event and person to
    show 25 of each: two thirds of those statements' reads). `readable`: visible_people() of the viewer."""
    current_ro = Exists(Allocation.objects.current().filter(event_id=OuterRef("pk"), staff=staff))
    running = Event.objects.active().filter(current_ro, person__in=readable).order_by()
    shown = running.values_list("pk", "ref", "person__crn", "person__first_name", "person__last_name")
    return {pk: HeldEvent(ref, Named(crn, first, last)) for pk, ref, crn, first, last in shown}


SECTIONS = ("appointments", "standards", "evidence", "referrals", "transfers", "enforcement")


def today_for(staff: StaffMember, user: User, full: str | None = None) -> Today:
    """Today's sections, each its first SHOWN rows but the one whose key is `full` (any other value: none),
    which shows all of its rows."""
    today = timezone.localdate()
    week_ends = today + timedelta(days=WEEK)
    current = rules.current()
    readable = visible_people(user)  # asked of the caseload, the appointments and the transfers
    held = events_held(staff, readable)
    limit = {key: None if key == full else SHOWN for key in SECTIONS}
    evidence, failures = contacts_to_decide(list(held), limit)
    return Today(
        today=today,
        week_ends=week_ends,
        sections=[
            appointments(staff, readable, list(held), today, week_ends, limit["appointments"]),
            standards_items(held, today, week_ends, current, limit["standards"]),
            absences_awaiting_evidence(held, evidence, current),
            referrals_awaiting(held, limit["referrals"]),
            transfers_requested(user, readable, today, limit["transfers"]),
            enforcement_waiting(held, failures, limit["enforcement"]),
        ],
    )


def appointments(
    staff: StaffMember, readable: QuerySet[Person], held: list[int], today: date, week_ends: date, limit: int | None
) -> Section:
    """Appointments with the officer or on their cases (`held`: events_held()), from today to the end of the
    coming week, and any earlier ones still without an outcome (oldest first): the first `limit`."""
    # The officer's running cases by id, so PostgreSQL can take each side of the OR from its own index
    # (unrecorded appointments by officer; appointments by event) instead of testing every contact.
    mine = Q(staff=staff) | Q(Among(F("event_id"), held))
    contacts = (
        Contact.objects.valid()
        .filter(
            mine,
            Exact(F("outcome"), Written("")),  # as the partial indexes say it (probation/among.py, Written)
            type__needs_outcome=True,
            starts_at__lt=start_of(week_ends + timedelta(days=1)),
            event__terminated_on__isnull=True,
            event__person__in=readable,
        )
        .select_related("type", "event__person", "staff")
        .order_by("starts_at", "id")
    )
    now = timezone.now()
    items = []
    shown, total = first(contacts, limit)
    for contact in shown:
        crn = contact.event.person.crn
        happened = contact.starts_at <= now
        day = timezone.localtime(contact.starts_at).date()
        tag = "Outcome to record" if happened else "Today" if day == today else ""
        held_by = contact.staff.name if contact.staff is not None and contact.staff_id != staff.pk else ""
        items.append(
            Item(
                person=contact.event.person,
                event_ref=contact.event.ref,
                what=contact.type.name,
                when=timezone.localtime(contact.starts_at),
                link=link_to("cases:outcome" if happened else "cases:contact", crn, contact.pk),
                action="Record outcome" if happened else "View appointment",
                tag=tag,
                tag_colour="red" if happened and day < today else "yellow",
                detail=f"With {held_by}" if held_by else "",
            )
        )
    return Section(
        "appointments",
        "Appointments",
        "appointments",
        "You have no appointments today or this week, and no outcomes to record.",
        items,
        total,
        note="From today to the end of the coming week, and earlier ones still waiting for an outcome.",
    )


def _obligation_link(item: Obligation, event: HeldEvent) -> tuple[str, str]:
    """The page that acts on a National Standards item (of `event`), and what its link says."""
    crn, ref = event.person.crn, event.ref
    kind, _, pk = item.subject.partition(":")
    pages = {
        "initial_appointment": ("cases:book", "Book the appointment"),
        "monthly_contact": ("cases:book", "Book a face-to-face contact"),
        "home_visit": ("cases:log-contact", "Log the home visit"),
        "initial_sentence_plan": ("cases:plan", "Complete the sentence plan"),
        "sentence_plan_review": ("cases:plan-review", "Review the sentence plan"),
        "pre_release_handover": ("cases:handover-meeting", "Record the handover meeting"),
        "recall_review": ("cases:recall-return", "Record the return and review"),
    }
    if item.rule in pages:
        name, label = pages[item.rule]
        return link_to(name, crn, ref), label
    if kind == "contact" and pk.isdigit():
        return link_to("cases:contact", crn, int(pk)), "View the contact"
    return link_to("cases:overview", crn), "View the case"


def standards_items(
    held: Held, today: date, week_ends: date, current: dict[str, rules.Rule], limit: int | None
) -> Section:
    """National Standards items overdue, or due by the end of the coming week, that the officer must act on: on
    the events they are now the responsible officer of (`held`: events_held(), as Obligation.objects.to_act_on_by
    finds them, taken by event from its index); missed items are never open. The first `limit`, soonest due
    first."""
    soon = rules.due_soon_until(today)
    items = (
        Obligation.objects.filter(Among(F("event_id"), list(held)), starts_on__lte=today)
        .filter(Q(state=Obligation.State.OVERDUE) | Q(state=Obligation.State.PENDING, due_on__lte=week_ends))
        .exclude(rule__in=OWN_SECTIONS)
        .order_by("due_on", "person__crn", "id")
    )
    rows = []
    shown, total = first(items, limit)
    for obligation in shown:
        event = held[obligation.event_id]  # an item's person is its event's
        link, action = _obligation_link(obligation, event)
        overdue = obligation.state == Obligation.State.OVERDUE
        rows.append(
            Item(
                person=event.person,
                event_ref=event.ref,
                what=current[obligation.rule].title if obligation.rule in current else obligation.title,
                when=obligation.due_on,
                link=link,
                action=action,
                tag="Overdue" if overdue else "Due soon" if obligation.due_on <= soon else "Due this week",
                tag_colour="red" if overdue else "yellow" if obligation.due_on <= soon else "blue",
            )
        )
    return Section(
        "standards",
        "National Standards items due and overdue",
        "National Standards items due and overdue",
        "Nothing is overdue or due in the coming week.",
        rows,
        total,
        note="Overdue, and due by the end of the coming week, on the cases you are responsible officer for.",
        when_label="Due",
    )


Taken = tuple[Sequence[Contact], int]  # a section's first rows, and how many it has in all


@cache  # built once per process: it depends on nothing (0.8 ms of CPU a page to build)
def failure_waiting() -> Q:
    """An enforceable failure to comply waiting for a decision: the first failure of its day on its event
    (failures on the same day are one failure, as the compliance panel counts them), on a day no standing
    decision answers (a recall answers no failure). For a queryset annotated with `day` (its London date)."""
    decisions = EnforcementAction.objects.standing().exclude(kind=EnforcementAction.Kind.RECALL)
    near = timedelta(days=2)  # two moments of one London day are nearer: the range is read from (event, starts_at)
    same_day = (
        Contact.objects.failures()
        .filter(
            event_id=OuterRef("event_id"), starts_at__range=(OuterRef("starts_at") - near, OuterRef("starts_at") + near)
        )
        .annotate(day=TruncDate("starts_at"))
        .filter(day=OuterRef("day"))
    )
    answered_or_earlier = same_day.filter(
        Q(Exists(decisions.filter(failure=OuterRef("pk"))))
        | Q(starts_at__lt=OuterRef("starts_at"))
        | Q(starts_at=OuterRef("starts_at"), id__lt=OuterRef("id"))
    )
    failed = In(F("outcome"), [Written(outcome) for outcome in sorted(FAILURES)])  # as contact_event_to_decide says
    return Q(failed, enforceable=True) & Q(~Exists(answered_or_earlier))


def contacts_to_decide(held: list[int], limit: dict[str, int | None]) -> tuple[Taken, Taken]:
    """The absences awaiting evidence on the officer's cases (`held`: events_held()), soonest deadline first
    (those without one last), and the failures to comply waiting for a decision, oldest first: the first
    `limit["evidence"]` and `limit["enforcement"]` of each and how many each has, in one query."""
    evidence = Q(Exact(F("outcome"), Written(Outcome.AWAITING_EVIDENCE)))  # as contact_event_to_decide says it
    kind = Case(When(evidence, then=Value("evidence")), default=Value("enforcement"))
    order = [Case(When(evidence, then=F("evidence_due"))).asc(nulls_last=True), F("starts_at").asc(), F("id").asc()]
    taken = Q()
    for key in ("evidence", "enforcement"):
        taken |= Q(kind=key) if limit[key] is None else Q(kind=key, rank__lte=limit[key])
    contacts = list(
        Contact.objects.valid()
        .filter(Among(F("event_id"), held))
        .annotate(day=TruncDate("starts_at"))
        .filter(evidence | failure_waiting())
        .annotate(
            kind=kind,
            rank=Window(RowNumber(), partition_by=kind, order_by=order),
            total=Window(Count("pk"), partition_by=kind),
        )
        .filter(taken)
        .select_related("type")  # the event and person: from events_held()
        .order_by(*order)
    )
    absences = [c for c in contacts if c.kind == "evidence"]
    failures = [c for c in contacts if c.kind == "enforcement"]
    return (absences, absences[0].total if absences else 0), (failures, failures[0].total if failures else 0)


def absences_awaiting_evidence(held: Held, absences: Taken, current: dict[str, rules.Rule]) -> Section:
    """Absences awaiting evidence (contacts_to_decide()), with the deadline for deciding on it (the
    absence_evidence rule's period: 5 business days by default, England & Wales bank holidays excluded)."""
    rule = current["absence_evidence"]
    contacts, total = absences
    rows = []
    for contact in contacts:
        event = held[contact.event_id]
        day = timezone.localtime(contact.starts_at).date()
        deadline = contact.evidence_due or rule.due(day)
        rows.append(
            Item(
                person=event.person,
                event_ref=event.ref,
                what=f"{contact.type.name} on {day:%-d %B %Y}",
                when=deadline,
                link=link_to("cases:amend", event.person.crn, contact.pk),
                action="Decide on the evidence",
                tag="Past its deadline" if deadline < timezone.localdate() else "",
                tag_colour="red",
            )
        )
    return Section(
        "evidence",
        "Absences awaiting evidence",
        "absences awaiting evidence",
        "No absences are waiting for evidence.",
        rows,
        total,
        when_label="Decide by",
    )


def referrals_awaiting(held: Held, limit: int | None) -> Section:
    """Referrals on the officer's cases (`held`: events_held()) waiting for the provider's response, oldest first:
    the first `limit`."""
    referrals = Referral.objects.filter(Among(F("event_id"), list(held)), status=Referral.Status.REFERRED)
    shown, total = first(referrals.select_related("service").order_by("referred_on", "id"), limit)
    rows = [
        Item(
            person=held[referral.event_id].person,
            event_ref=held[referral.event_id].ref,
            what=referral.service.name,
            when=referral.referred_on,
            link=link_to("interventions:referral", held[referral.event_id].person.crn, referral.pk),
            action="Record the response",
        )
        for referral in shown
    ]
    return Section(
        "referrals",
        "Referrals awaiting a response",
        "referrals awaiting a response",
        "No referrals are waiting for a provider's response.",
        rows,
        total,
        when_label="Referred",
    )


def requested_by(user: User, readable: QuerySet[Person] | None = None) -> QuerySet[Transfer]:
    """The transfers this user requested, newest first, on cases they may read in full (`readable`, if asked
    already: visible_people())."""
    readable = visible_people(user) if readable is None else readable
    return (
        Transfer.objects.filter(requested_by_id=user.pk, event__person__in=readable)
        .select_related("event__person", "from_pdu", "to_pdu", "decided_by", "receiving_officer")
        .order_by("-requested_on", "-id")
    )


def transfer_state(transfer: Transfer) -> tuple[str, str]:
    """What a requester sees of their transfer: its state and the colour of its tag."""
    if transfer.status == Transfer.Status.REQUESTED:
        return "Pending", "yellow"
    if transfer.status == Transfer.Status.COMPLETED:
        return "Accepted and completed", "green"
    return "Rejected", "red"


def transfers_requested(user: User, readable: QuerySet[Person], today: date, limit: int | None) -> Section:
    """The officer's transfer requests still pending, and those decided in the last two weeks, newest first: the
    first `limit`. Read whole and cut here: a fortnight's requests are few, and a LIMIT on this many joins
    trebled the query's planning time (2 to 6 ms at national scale) for no rows saved."""
    since = today - timedelta(days=TRANSFERS_DECIDED_SHOWN)
    transfers = (
        requested_by(user, readable)
        .filter(event__terminated_on__isnull=True)
        .filter(Q(status=Transfer.Status.REQUESTED) | Q(decided_on__gte=since))
    )
    rows = []
    every = list(transfers)
    for transfer in every[:limit]:
        tag, colour = transfer_state(transfer)
        rows.append(
            Item(
                person=transfer.event.person,
                event_ref=transfer.event.ref,
                what=f"From {transfer.from_pdu.name} to {transfer.to_pdu.name}",
                when=transfer.requested_on,
                link=link_to("cases:overview", transfer.event.person.crn),
                action="View the case",
                tag=tag,
                tag_colour=colour,
                detail=decided(transfer),
            )
        )
    return Section(
        "transfers",
        "Transfers you requested",
        "transfers you requested",
        "You have no transfer requests pending or decided in the last two weeks.",
        rows,
        len(every),
        note=f"Pending, and decided in the last {TRANSFERS_DECIDED_SHOWN} days.",
        when_label="Requested",
    )


def decided(transfer: Transfer) -> str:
    if transfer.status == Transfer.Status.REJECTED:
        return f"Rejected on {transfer.decided_on:%-d %B %Y}: {transfer.rejection_reason}"
    if transfer.status == Transfer.Status.COMPLETED and transfer.decided_on:
        to = f" to {transfer.receiving_officer.name}" if transfer.receiving_officer else ""
        return f"Accepted on {transfer.decided_on:%-d %B %Y}{to}"
    return ""


def enforcement_waiting(held: Held, failures: Taken, limit: int | None) -> Section:
    """Enforceable failures to comply with no decision yet (contacts_to_decide()), then agreed recalls whose
    request is not yet sent on the officer's cases (`held`: events_held()) (SPO oversight and recall decisions
    are the SPO's: they wait on the SPO's lists, not here): the first `limit` of them."""
    waiting, failures_in_all = failures
    rows = [
        Item(
            person=held[failure.event_id].person,
            event_ref=held[failure.event_id].ref,
            what=f"{failure.type.name}: {failure.get_outcome_display().lower()}",
            when=timezone.localtime(failure.starts_at),
            link=link_to("cases:decide", held[failure.event_id].person.crn, failure.pk),
            action="Decide",
            tag="Decision needed",
            tag_colour="red",
        )
        for failure in waiting
    ]
    recalls = EnforcementAction.objects.filter(
        Among(F("event_id"), list(held)),
        kind=EnforcementAction.Kind.RECALL,
        decision=EnforcementAction.Decision.AGREED,
        requested_at__isnull=True,
    )
    agreed, recalls_in_all = first(recalls.order_by("decided_at", "id"), limit)
    rows += [
        Item(
            person=held[action.event_id].person,
            event_ref=held[action.event_id].ref,
            what="Recall agreed: send the recall request",
            when=timezone.localtime(action.decided_at) if action.decided_at else action.on,
            link=link_to("cases:recall", held[action.event_id].person.crn, held[action.event_id].ref),
            action="Record the request sent",
            tag="Request not sent",
            tag_colour="red",
        )
        for action in agreed
    ]
    return Section(
        "enforcement",
        "Enforcement decisions waiting",
        "enforcement decisions waiting",
        "No failures to comply are waiting for your decision.",
        rows[:limit],
        failures_in_all + recalls_in_all,
    )

"""The officer's day (Today): what they must act on today and in the coming week, each item with the one page
that acts on it. Work follows the case: everything here is on events the officer is *now* the responsible
officer for (appointments also where they hold the appointment), on running events only, on cases the viewer
may read in full. A fixed number of queries, whatever the caseload (the rules; the caseload with the transfers
requested; every other section: two statements compiled once per process, probation/read_together_kept.py, where
building and compiling a query a section took two thirds of the page's CPU), and a fixed number of rows: each
section shows its SHOWN most urgent, with its true total, and all of them when asked (`full`: the busiest officer
at national scale has some 600 items, which took four fifths of the page's time to read and draw, and no one acts
on the 200th overdue item from a list)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, Model, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber, TruncDate
from django.db.models.lookups import Exact, In
from django.utils import timezone

from cases.access import limited_for_staff, staff_of, visible_people
from cases.links import link_to
from cases.models import Allocation, Contact, EnforcementAction, Event, Obligation, Outcome, Person, Transfer
from cases.models.contact import FAILURES
from cases.standards import rules
from interventions.models import Referral
from probation.among import Among, Written
from probation.read_together_kept import read_together_kept
from probation.roles import roles_of
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


def first(rows: QuerySet[M], limit: int | None) -> QuerySet[Any]:
    """The first `limit` rows of an ordered queryset (all of them: None), each with how many it has in all
    (`total`, taken()): the total is counted over the whole result (count(*) OVER ()) before LIMIT cuts it."""
    return rows.annotate(total=Window(Count("pk")))[:limit]


def taken(rows: list[M]) -> tuple[list[M], int]:
    """The rows first() read, and how many there are in all."""
    return rows, rows[0].total if rows else 0  # type: ignore[attr-defined]


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


def events_held(staff_id: int, readable: QuerySet[Person]) -> QuerySet[Event, tuple[int, str, str, str, str]]:
    """The running events the officer is now the responsible officer of, on cases the viewer may read in full,
    each with its person: read once (a caseload's worth), so each section takes its rows by event from its own
    index instead of asking the same three questions of every row in a query of its own, and takes each row's
    event and person from here instead of joining them to every row it counts (at national scale, for the
    busiest officer, 288 absences and failures and 265 standards items were joined to their event and person to
    show 25 of each: two thirds of those statements' reads). `readable`: the viewer's visible_people()."""
    current_ro = Exists(Allocation.objects.current().filter(event_id=OuterRef("pk"), staff_id=staff_id))
    running = Event.objects.active().filter(current_ro, person__in=readable).order_by()
    return running.values_list("id", "ref", "person__crn", "person__first_name", "person__last_name")


SECTIONS = ("appointments", "standards", "evidence", "referrals", "transfers", "enforcement")


def today_for(staff: StaffMember, user: User, full: str | None = None) -> Today:
    """Today's sections, each its first SHOWN rows but the one whose key is `full` (any other value: none),
    which shows all of its rows. Read in two statements compiled once per process (probation/read_together_kept.py):
    the caseload with the transfers the user requested, then every other section, which takes the caseload's
    event ids as one array (probation/among.py)."""
    if not roles_of(user):  # visible_people(): someone with no role reads no case (the view asks for the role)
        raise PermissionDenied
    viewer = staff_of(user)
    viewer_id = viewer.pk if viewer is not None else 0  # no staff id 0: as limited_for_staff(None) sees
    today = timezone.localdate()
    week_ends = today + timedelta(days=WEEK)
    current = rules.current()
    since = today - timedelta(days=TRANSFERS_DECIDED_SHOWN)
    caseload = read_together_kept(("today.caseload",), _caseload, staff.pk, viewer_id, user.pk or 0, since)
    held = {pk: HeldEvent(ref, Named(crn, first, last)) for pk, ref, crn, first, last in caseload["held"]}
    full = full if full in SECTIONS else None
    limit = {key: None if key == full else SHOWN for key in SECTIONS}
    until = start_of(week_ends + timedelta(days=1))
    rows = read_together_kept(
        ("today.sections", full, SHOWN),  # the shape: which section is shown in full, and how many the others show
        partial(_sections, limit),
        *(list(held), staff.pk, viewer_id, until, today, week_ends),
    )
    evidence = [contact for contact in rows["decide"] if contact.kind == "evidence"]
    failures = [contact for contact in rows["decide"] if contact.kind == "enforcement"]
    return Today(
        today=today,
        week_ends=week_ends,
        sections=[
            appointments(staff, taken(rows["appointments"]), today),
            standards_items(held, taken(rows["standards"]), today, current),
            absences_awaiting_evidence(held, taken(evidence), current),
            referrals_awaiting(held, taken(rows["referrals"])),
            transfers_requested(caseload["transfers"], limit["transfers"]),
            enforcement_waiting(held, taken(failures), taken(rows["recalls"]), limit["enforcement"]),
        ],
    )


def _caseload(staff_id: int, viewer_id: int, user_id: int, since: date) -> dict[str, QuerySet[Any]]:
    """The officer's caseload (events_held()) and the transfers the user requested (transfers_requested())."""
    readable = Person.objects.exclude(limited_for_staff(viewer_id))
    return {"held": events_held(staff_id, readable), "transfers": _transfers(user_id, readable, since)}


def _sections(
    limit: dict[str, int | None],
    held: list[int],
    staff_id: int,
    viewer_id: int,
    until: datetime,
    today: date,
    week_ends: date,
) -> dict[str, QuerySet[Any]]:
    """The querysets of every section but the transfers, on the officer's caseload (`held`: its event ids)."""
    readable = Person.objects.exclude(limited_for_staff(viewer_id))
    return {
        "appointments": first(_appointments(staff_id, readable, held, until), limit["appointments"]),
        "standards": first(_standards_items(held, today, week_ends), limit["standards"]),
        "decide": _contacts_to_decide(held, limit),
        "referrals": first(_referrals(held), limit["referrals"]),
        "recalls": first(_recalls(held), limit["enforcement"]),
    }


def _appointments(staff_id: int, readable: QuerySet[Person], held: list[int], until: datetime) -> QuerySet[Contact]:
    """Appointments with the officer or on their cases (`held`: events_held()), before `until` (the end of the
    coming week) and still without an outcome, oldest first."""
    # The officer's running cases by id, so PostgreSQL can take each side of the OR from its own index
    # (unrecorded appointments by officer; appointments by event) instead of testing every contact.
    mine = Q(staff_id=staff_id) | Q(Among(F("event_id"), held))
    return (
        Contact.objects.valid()
        .filter(
            mine,
            Exact(F("outcome"), Written("")),  # as the partial indexes say it (probation/among.py, Written)
            type__needs_outcome=True,
            starts_at__lt=until,
            event__terminated_on__isnull=True,
            event__person__in=readable,
        )
        .select_related("type", "event__person", "staff")
        .order_by("starts_at", "id")
    )


def appointments(staff: StaffMember, shown: tuple[list[Contact], int], today: date) -> Section:
    """Appointments with the officer or on their cases, from today to the end of the coming week, and any
    earlier ones still without an outcome (oldest first): the first rows (_appointments()) and their total."""
    now = timezone.now()
    items = []
    contacts, total = shown
    for contact in contacts:
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


def _standards_items(held: list[int], today: date, week_ends: date) -> QuerySet[Obligation]:
    """National Standards items overdue, or due by the end of the coming week, on the officer's events (`held`,
    as Obligation.objects.to_act_on_by finds them, taken by event from its index), soonest due first; missed
    items are never open."""
    return (
        Obligation.objects.filter(Among(F("event_id"), held), starts_on__lte=today)
        .filter(Q(state=Obligation.State.OVERDUE) | Q(state=Obligation.State.PENDING, due_on__lte=week_ends))
        .exclude(rule__in=OWN_SECTIONS)
        .order_by("due_on", "person__crn", "id")
    )


def standards_items(
    held: Held, shown: tuple[list[Obligation], int], today: date, current: dict[str, rules.Rule]
) -> Section:
    """National Standards items that the officer must act on (_standards_items()): the first rows and their
    total, each on its event (`held`: events_held())."""
    soon = rules.due_soon_until(today)
    rows = []
    obligations, total = shown
    for obligation in obligations:
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


def _contacts_to_decide(held: list[int], limit: dict[str, int | None]) -> QuerySet[Contact]:
    """The absences awaiting evidence on the officer's cases (`held`: events_held()), soonest deadline first
    (those without one last), and the failures to comply waiting for a decision, oldest first: the first
    `limit["evidence"]` and `limit["enforcement"]` of each, in one query, each with its `kind` and how many of
    its kind there are (`total`)."""
    evidence = Q(Exact(F("outcome"), Written(Outcome.AWAITING_EVIDENCE)))  # as contact_event_to_decide says it
    kind = Case(When(evidence, then=Value("evidence")), default=Value("enforcement"))
    order = [Case(When(evidence, then=F("evidence_due"))).asc(nulls_last=True), F("starts_at").asc(), F("id").asc()]
    taken = Q()
    for key in ("evidence", "enforcement"):
        taken |= Q(kind=key) if limit[key] is None else Q(kind=key, rank__lte=limit[key])
    return (
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


def absences_awaiting_evidence(held: Held, absences: Taken, current: dict[str, rules.Rule]) -> Section:
    """Absences awaiting evidence (_contacts_to_decide()), with the deadline for deciding on it (the
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


def _referrals(held: list[int]) -> QuerySet[Referral]:
    """Referrals on the officer's cases (`held`: events_held()) waiting for the provider's response, oldest
    first."""
    referrals = Referral.objects.filter(Among(F("event_id"), held), status=Referral.Status.REFERRED)
    return referrals.select_related("service").order_by("referred_on", "id")


def referrals_awaiting(held: Held, shown: tuple[list[Referral], int]) -> Section:
    """Referrals waiting for the provider's response (_referrals()): the first rows, and their total."""
    referrals, total = shown
    rows = [
        Item(
            person=held[referral.event_id].person,
            event_ref=held[referral.event_id].ref,
            what=referral.service.name,
            when=referral.referred_on,
            link=link_to("interventions:referral", held[referral.event_id].person.crn, referral.pk),
            action="Record the response",
        )
        for referral in referrals
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
    return _requested_by(user.pk or 0, readable)  # no user 0: someone signed out requested none


def _requested_by(user_id: int, readable: QuerySet[Person]) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(requested_by_id=user_id, event__person__in=readable)
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


def _transfers(user_id: int, readable: QuerySet[Person], since: date) -> QuerySet[Transfer]:
    """The user's transfer requests still pending, and those decided since `since` (the last two weeks), newest
    first: all of them. Read whole and cut by transfers_requested(): a fortnight's requests are few, and a LIMIT
    on this many joins trebled the query's planning time (2 to 6 ms at national scale) for no rows saved."""
    return (
        _requested_by(user_id, readable)
        .filter(event__terminated_on__isnull=True)
        .filter(Q(status=Transfer.Status.REQUESTED) | Q(decided_on__gte=since))
    )


def transfers_requested(every: list[Transfer], limit: int | None) -> Section:
    """The officer's transfer requests still pending, and those decided in the last two weeks (_transfers()):
    the first `limit`."""
    rows = []
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


def _recalls(held: list[int]) -> QuerySet[EnforcementAction]:
    """Agreed recalls whose request is not yet sent on the officer's cases (`held`: events_held()), oldest
    decision first."""
    return EnforcementAction.objects.filter(
        Among(F("event_id"), held),
        kind=EnforcementAction.Kind.RECALL,
        decision=EnforcementAction.Decision.AGREED,
        requested_at__isnull=True,
    ).order_by("decided_at", "id")


def enforcement_waiting(
    held: Held, failures: Taken, recalls: tuple[list[EnforcementAction], int], limit: int | None
) -> Section:
    """Enforceable failures to comply with no decision yet (_contacts_to_decide()), then agreed recalls whose
    request is not yet sent (_recalls()) (SPO oversight and recall decisions are the SPO's: they wait on the
    SPO's lists, not here): the first `limit` of them."""
    waiting, failures_in_all = failures
    agreed, recalls_in_all = recalls
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

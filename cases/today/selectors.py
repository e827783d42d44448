"""The officer's day (Today): what they must act on today and in the coming week, each item with the one page
that acts on it. Work follows the case: everything here is on events the officer is *now* the responsible
officer for (appointments also where they hold the appointment), on running events only, on cases the viewer
may read in full. A fixed number of queries, whatever the caseload (one per section, and the rules)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from cases.access import visible_people
from cases.models import Allocation, Contact, EnforcementAction, Event, Obligation, Outcome, Person, Transfer
from cases.models.contact import FAILURES
from cases.standards import rules
from interventions.models import Referral
from regions.models import StaffMember

User = AbstractBaseUser | AnonymousUser

WEEK = 7  # today and the coming week: the days Today looks ahead
TRANSFERS_DECIDED_SHOWN = 14  # days a decided transfer stays on Today (all of them are on My transfer requests)

PLAIN = re.compile(r"[A-Za-z0-9_.-]+")  # what reverse() puts in a URL unchanged: no quoting, no slash
MARKS = ("730914285601", "730914285602", "730914285603")  # digits, as an int converter wants; in no route


def link_to(name: str, *args: str | int) -> str:
    """reverse(name, args=args), for a page of hundreds of links: the route is reversed once with markers and
    each link is the arguments put in their places (reverse() took about 60 us a link, a sixth of the busiest
    officer's Today); an argument reverse() would quote or refuse is left to reverse() itself."""
    values = [str(arg) for arg in args]
    if not all(PLAIN.fullmatch(value) for value in values):
        return reverse(name, args=args)
    parts = _route(name, len(args), get_script_prefix())
    return "".join(part for pair in zip(parts, [*values, ""], strict=True) for part in pair)


@cache
def _route(name: str, arity: int, prefix: str) -> list[str]:
    """The route's URL split where its arguments go (reversed with markers that the str and int converters of
    this page's routes both accept)."""
    marked = reverse(name, args=MARKS[:arity])
    return re.split("|".join(MARKS[:arity]), marked)


# Items of the ledger that Today lists in a section of their own, from the facts that open them: an absence
# awaiting evidence (its deadline), a failure awaiting a decision, an agreed recall whose request is not sent.
OWN_SECTIONS = ("absence_evidence", "enforcement_decision", "recall")


@dataclass(frozen=True)
class Item:
    """One row of Today: whose case, what, when, and the one link that acts on it."""

    person: Person
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
    key: str
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    note: str = ""
    when_label: str = "When"

    @property
    def count(self) -> int:
        return len(self.items)


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


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def events_held(staff: StaffMember, user: User) -> list[int]:
    """The running events the officer is now the responsible officer of, on cases the viewer may read in full:
    read once, by id (a caseload's worth), so each section takes its rows by event from its own index instead
    of asking the same three questions of every row in a query of its own."""
    current_ro = Exists(Allocation.objects.current().filter(event_id=OuterRef("pk"), staff=staff))
    running = Event.objects.active().filter(current_ro, person__in=visible_people(user))
    return list(running.values_list("pk", flat=True))


def today_for(staff: StaffMember, user: User) -> Today:
    today = timezone.localdate()
    week_ends = today + timedelta(days=WEEK)
    current = rules.current()
    held = events_held(staff, user)
    evidence, failures = contacts_to_decide(held)
    return Today(
        today=today,
        week_ends=week_ends,
        sections=[
            appointments(staff, user, held, today, week_ends),
            standards_items(staff, user, today, week_ends, current),
            absences_awaiting_evidence(evidence, current),
            referrals_awaiting(held),
            transfers_requested(user, today),
            enforcement_waiting(held, failures),
        ],
    )


def appointments(staff: StaffMember, user: User, held: list[int], today: date, week_ends: date) -> Section:
    """Appointments with the officer or on their cases (`held`: events_held()), from today to the end of the
    coming week, and any earlier ones still without an outcome (oldest first)."""
    # The officer's running cases by id, so PostgreSQL can take each side of the OR from its own index
    # (unrecorded appointments by officer; appointments by event) instead of testing every contact.
    mine = Q(staff=staff) | Q(event_id__in=held)
    contacts = (
        Contact.objects.valid()
        .filter(
            mine,
            outcome="",
            type__needs_outcome=True,
            starts_at__lt=start_of(week_ends + timedelta(days=1)),
            event__terminated_on__isnull=True,
            event__person__in=visible_people(user),
        )
        .select_related("type", "event__person", "staff")
        .order_by("starts_at", "id")
    )
    now = timezone.now()
    items = []
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
        "You have no appointments today or this week, and no outcomes to record.",
        items,
        note="From today to the end of the coming week, and earlier ones still waiting for an outcome.",
    )


def _obligation_link(item: Obligation) -> tuple[str, str]:
    """The page that acts on a National Standards item, and what its link says."""
    crn, ref = item.person.crn, item.event.ref
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
    staff: StaffMember, user: User, today: date, week_ends: date, current: dict[str, rules.Rule]
) -> Section:
    """National Standards items overdue, or due by the end of the coming week, that the officer must act on
    (Obligation.objects.to_act_on_by: the case's current RO; missed items are never open)."""
    soon = rules.due_soon_until(today)
    items = (
        Obligation.objects.to_act_on_by(officer=staff)
        .filter(starts_on__lte=today, person__in=visible_people(user))
        .filter(Q(state=Obligation.State.OVERDUE) | Q(state=Obligation.State.PENDING, due_on__lte=week_ends))
        .exclude(rule__in=OWN_SECTIONS)
        .select_related("person", "event")
        .order_by("due_on", "person__crn", "id")
    )
    rows = []
    for obligation in items:
        link, action = _obligation_link(obligation)
        overdue = obligation.state == Obligation.State.OVERDUE
        rows.append(
            Item(
                person=obligation.person,
                event_ref=obligation.event.ref,
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
        "Nothing is overdue or due in the coming week.",
        rows,
        note="Overdue, and due by the end of the coming week, on the cases you are responsible officer for.",
        when_label="Due",
    )


def contacts_to_decide(held: list[int]) -> tuple[list[Contact], list[Contact]]:
    """The absences awaiting evidence, and the enforceable failures to comply (each with `decided`: whether a
    standing decision answers it), on the officer's cases (`held`: events_held()), in one query, oldest first."""
    decisions = EnforcementAction.objects.standing().exclude(kind=EnforcementAction.Kind.RECALL)
    contacts = list(
        Contact.objects.valid()
        .filter(event_id__in=held, outcome__in={Outcome.AWAITING_EVIDENCE, *FAILURES})
        .annotate(decided=Exists(decisions.filter(failure=OuterRef("pk"))))
        .select_related("type", "event__person")
        .order_by("starts_at", "id")
    )
    return [c for c in contacts if c.outcome == Outcome.AWAITING_EVIDENCE], [
        c for c in contacts if c.is_failure_to_comply
    ]


def absences_awaiting_evidence(contacts: list[Contact], current: dict[str, rules.Rule]) -> Section:
    """Absences awaiting evidence (contacts_to_decide()), with the deadline for deciding on it (the
    absence_evidence rule's period: 5 business days by default, England & Wales bank holidays excluded),
    soonest first."""
    rule = current["absence_evidence"]
    rows = []
    for contact in sorted(contacts, key=lambda c: (c.evidence_due is None, c.evidence_due or date.min)):
        day = timezone.localtime(contact.starts_at).date()
        deadline = contact.evidence_due or rule.due(day)
        rows.append(
            Item(
                person=contact.event.person,
                event_ref=contact.event.ref,
                what=f"{contact.type.name} on {day:%-d %B %Y}",
                when=deadline,
                link=link_to("cases:amend", contact.event.person.crn, contact.pk),
                action="Decide on the evidence",
                tag="Past its deadline" if deadline < timezone.localdate() else "",
                tag_colour="red",
            )
        )
    return Section(
        "evidence",
        "Absences awaiting evidence",
        "No absences are waiting for evidence.",
        rows,
        when_label="Decide by",
    )


def referrals_awaiting(held: list[int]) -> Section:
    referrals = Referral.objects.filter(status=Referral.Status.REFERRED, event_id__in=held)
    rows = [
        Item(
            person=referral.event.person,
            event_ref=referral.event.ref,
            what=referral.service.name,
            when=referral.referred_on,
            link=link_to("interventions:referral", referral.event.person.crn, referral.pk),
            action="Record the response",
        )
        for referral in referrals.select_related("service", "event__person").order_by("referred_on", "id")
    ]
    return Section(
        "referrals",
        "Referrals awaiting a response",
        "No referrals are waiting for a provider's response.",
        rows,
        when_label="Referred",
    )


def requested_by(user: User) -> QuerySet[Transfer]:
    """The transfers this user requested, newest first, on cases they may read in full."""
    return (
        Transfer.objects.filter(requested_by_id=user.pk, event__person__in=visible_people(user))
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


def transfers_requested(user: User, today: date) -> Section:
    """The officer's transfer requests still pending, and those decided in the last two weeks."""
    since = today - timedelta(days=TRANSFERS_DECIDED_SHOWN)
    transfers = (
        requested_by(user)
        .filter(event__terminated_on__isnull=True)
        .filter(Q(status=Transfer.Status.REQUESTED) | Q(decided_on__gte=since))
    )
    rows = []
    for transfer in transfers:
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
        "You have no transfer requests pending or decided in the last two weeks.",
        rows,
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


def _undecided(failures: Iterable[Contact], answered: set[tuple[int, date]]) -> list[Contact]:
    """Failures with no decision: one a day per event (failures on the same day are one failure, as the
    compliance panel counts them), none on a day a decision already answered."""
    seen: set[tuple[int, date]] = set()
    waiting = []
    for failure in failures:
        key = (failure.event_id, timezone.localtime(failure.starts_at).date())
        if key in answered or key in seen:
            continue
        seen.add(key)
        waiting.append(failure)
    return waiting


def enforcement_waiting(held: list[int], failures: list[Contact]) -> Section:
    """Enforceable failures to comply (contacts_to_decide()) with no decision yet, and agreed recalls whose
    request is not yet sent on the officer's cases (`held`: events_held()) (SPO oversight and recall decisions
    are the SPO's: they wait on the SPO's lists, not here)."""
    answered = {(f.event_id, timezone.localtime(f.starts_at).date()) for f in failures if f.decided}  # type: ignore[attr-defined]
    rows = [
        Item(
            person=failure.event.person,
            event_ref=failure.event.ref,
            what=f"{failure.type.name}: {failure.get_outcome_display().lower()}",
            when=timezone.localtime(failure.starts_at),
            link=link_to("cases:decide", failure.event.person.crn, failure.pk),
            action="Decide",
            tag="Decision needed",
            tag_colour="red",
        )
        for failure in _undecided(failures, answered)
    ]
    recalls = EnforcementAction.objects.filter(
        kind=EnforcementAction.Kind.RECALL,
        decision=EnforcementAction.Decision.AGREED,
        requested_at__isnull=True,
        event_id__in=held,
    ).select_related("event__person")
    rows += [
        Item(
            person=action.event.person,
            event_ref=action.event.ref,
            what="Recall agreed: send the recall request",
            when=timezone.localtime(action.decided_at) if action.decided_at else action.on,
            link=link_to("cases:recall", action.event.person.crn, action.event.ref),
            action="Record the request sent",
            tag="Request not sent",
            tag_colour="red",
        )
        for action in recalls.order_by("decided_at", "id")
    ]
    return Section(
        "enforcement",
        "Enforcement decisions waiting",
        "No failures to comply are waiting for your decision.",
        rows,
    )

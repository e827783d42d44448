"""Derive every obligation of a batch of sentences from the facts recorded about them.

The ledger is derived data: the services refresh a case's obligations from its facts in the same
transaction as the change, and `standards_rebuild` runs the same derivation for every case. Facts are read
for a whole batch at once (a fixed number of queries per batch, never one per case).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import (
    Allocation,
    Contact,
    EnforcementAction,
    Event,
    OversightTask,
    PlanReview,
    Registration,
    SentencePlan,
    Transfer,
)
from cases.models.contact import FAILURES
from cases.models.person import Rosh
from cases.standards.rules import Rule

SEEN = frozenset({"attended", "failed_to_comply"})  # the person was there, whether or not they complied
VIDEO = "video"  # a face-to-face type of this code is a video call: it counts for at most a share of them


@dataclass(frozen=True)
class Row:
    rule: str
    starts_on: date
    due_on: date
    met_on: date | None = None
    void_on: date | None = None
    subject: str = ""


@dataclass(frozen=True)
class Seen:
    """A contact, reduced to what the rules need."""

    id: int
    type: str
    day: date
    outcome: str
    enforceable: bool
    staff_id: int | None
    evidence_due: date | None
    evidence_decided_on: date | None
    face_to_face: bool = False  # its type counts as seeing the person (ContactType.face_to_face, in admin)

    @property
    def in_person(self) -> bool:
        return self.face_to_face and self.type != VIDEO

    @property
    def video(self) -> bool:
        return self.face_to_face and self.type == VIDEO


@dataclass
class Facts:
    event: Event
    allocations: list[Allocation] = field(default_factory=list)
    contacts: list[Seen] = field(default_factory=list)
    plan: SentencePlan | None = None
    reviews: list[date] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    actions: list[EnforcementAction] = field(default_factory=list)
    oversight: list[OversightTask] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # facts other apps load (Unpaid Work)

    def officer_on(self, day: date) -> int | None:
        current = [a for a in self.allocations if a.from_date <= day and (a.to_date is None or a.to_date >= day)]
        return max(current, key=lambda a: (a.from_date, a.pk)).staff_id if current else None

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
Loader = Callable[[list[Facts]], None]
DERIVERS: list[Deriver] = []
LOADERS: list[Loader] = []  # other apps add the facts their rules need


def deriver(function: Deriver) -> Deriver:
    DERIVERS.append(function)
    return function


def load(events: list[Event]) -> list[Facts]:
    """Every fact the rules need for these events, in a fixed number of queries."""
    facts = {event.pk: Facts(event) for event in events}
    ids = list(facts)
    for allocation in Allocation.objects.filter(event_id__in=ids).order_by("from_date", "id"):
        facts[allocation.event_id].allocations.append(allocation)
    rows = (
        Contact.objects.filter(event_id__in=ids, entered_in_error=False)
        .order_by("starts_at", "id")
        .values_list(
            "id", "event_id", "type__code", "starts_at", "outcome", "enforceable", "staff_id", "evidence_due",
            "evidence_decided_on", "type__face_to_face",
        )
    )  # fmt: skip
    zone = timezone.get_current_timezone()  # looked up once: it is costly per row
    for pk, event_id, code, starts_at, outcome, enforceable, staff, due, decided, face_to_face in rows:
        day = starts_at.astimezone(zone).date()
        facts[event_id].contacts.append(Seen(pk, code, day, outcome, enforceable, staff, due, decided, face_to_face))
    plan_events = {}
    for plan in SentencePlan.objects.filter(event_id__in=ids):
        facts[plan.event_id].plan = plan
        plan_events[plan.pk] = plan.event_id
    for plan_id, reviewed_on in PlanReview.objects.filter(plan_id__in=plan_events).values_list(
        "plan_id", "reviewed_on"
    ):
        facts[plan_events[plan_id]].reviews.append(reviewed_on)
    for transfer in Transfer.objects.filter(event_id__in=ids).order_by("requested_on", "id"):
        facts[transfer.event_id].transfers.append(transfer)
    for action in EnforcementAction.objects.filter(event_id__in=ids).order_by("on", "id"):
        facts[action.event_id].actions.append(action)
    for task in OversightTask.objects.filter(event_id__in=ids).order_by("opened_on", "id"):
        facts[task.event_id].oversight.append(task)
    by_person: dict[int, list[Registration]] = defaultdict(list)
    for registration in Registration.objects.filter(person_id__in={e.person_id for e in events}):
        by_person[registration.person_id].append(registration)
    for item in facts.values():
        item.registrations = by_person.get(item.event.person_id, [])
    for loader in LOADERS:
        loader(list(facts.values()))
    return list(facts.values())


def derive(item: Facts, rules: dict[str, Rule], today: date) -> list[Row]:
    rows = []
    for function in DERIVERS:
        for row in function(item, rules, today):
            rows.append(_settle(row))
    return rows


def _settle(row: Row) -> Row:
    """Met if met before it stopped applying; not applicable only if it stopped applying by its due date."""
    void = row.void_on if row.void_on and row.void_on <= row.due_on else None
    if row.met_on and (void is None or row.met_on <= void):
        return Row(row.rule, row.starts_on, row.due_on, row.met_on, None, row.subject)
    return Row(row.rule, row.starts_on, row.due_on, None, void, row.subject)


def supervision_start(event: Event) -> date | None:
    if event.type == Event.Type.CUSTODY:
        return None
    if event.type in Event.RELEASE_TYPES:
        return event.release_date
    return event.sentence_date


def _first(days: Iterable[date], on_or_after: date) -> date | None:
    return min((d for d in days if d >= on_or_after), default=None)


def _recalled_on(item: Facts) -> date | None:
    """The day an agreed recall took the person back into custody (from then on, no community contact)."""
    days = [
        timezone.localtime(a.decided_at).date()
        for a in item.actions
        if a.kind == EnforcementAction.Kind.RECALL and a.decision == EnforcementAction.Decision.AGREED and a.decided_at
    ]
    return min(days, default=None)


@deriver
def ro_allocation(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    start = supervision_start(item.event)
    if start is None:
        return []
    first = min((a.from_date for a in item.allocations), default=None)
    met = max(first, start) if first else None
    return [Row("ro_allocation", start, rules["ro_allocation"].due(start), met, item.event.terminated_on)]


@deriver
def initial_appointment(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    event = item.event
    start = supervision_start(event)
    if start is None:
        return []
    seen = [c.day for c in item.contacts if c.in_person and c.outcome in SEEN]
    due = rules["initial_appointment"].due(start, licence=event.type in Event.RELEASE_TYPES)
    return [Row("initial_appointment", start, due, _first(seen, start), event.terminated_on)]


@deriver
def initial_sentence_plan(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    event = item.event
    start = supervision_start(event)
    if start is None or event.type == Event.Type.PSS:
        return []
    rule = rules["initial_sentence_plan"]
    if rule.option == "first_appointment":
        seen = [c.day for c in item.contacts if c.in_person and c.outcome in SEEN]
        start = _first(seen, start)
        if start is None:
            return []
    completed = item.plan.completed_on if item.plan else None
    return [Row("initial_sentence_plan", start, rule.due(start), completed, event.terminated_on)]


@deriver
def sentence_plan_review(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    if item.plan is None or item.plan.completed_on is None:
        return []
    rule, start, rows = rules["sentence_plan_review"], item.plan.completed_on, []
    for reviewed in sorted(d for d in item.reviews if d >= item.plan.completed_on):
        if reviewed == start:
            continue
        rows.append(Row("sentence_plan_review", start, rule.due(start), reviewed, item.event.terminated_on))
        start = reviewed
    rows.append(Row("sentence_plan_review", start, rule.due(start), None, item.event.terminated_on))
    return rows


def month_end(day: date) -> date:
    return add_months(day.replace(day=1), 1) - timedelta(days=1)


def monthly_months(event: Event, recalled_on: date | None, today: date) -> list[date]:
    """The first days of the months in scope: each full calendar month of community supervision (the
    initial appointment covers the part-month of sentence or release), up to this month; not PSS, not custody."""
    start = supervision_start(event)
    if start is None or event.type == Event.Type.PSS:
        return []
    month = add_months(start.replace(day=1), 1) if start.day > 1 else start
    last = min(d for d in (today, event.terminated_on, recalled_on) if d is not None)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


@deriver
def monthly_contact(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    recalled = _recalled_on(item)
    stops = min((d for d in (item.event.terminated_on, recalled) if d is not None), default=None)
    counted = sorted((c for c in item.contacts if c.outcome in SEEN and c.face_to_face), key=lambda c: c.day)
    rule = rules["monthly_contact"]
    minimum, share = rule.part("minimum"), min(rule.part("video_share"), 100)
    rows = []
    for month in monthly_months(item.event, recalled, today):
        end = month_end(month)
        in_person = video = 0
        met = None
        for contact in counted:
            if not month <= contact.day <= end or contact.staff_id not in (None, item.officer_on(contact.day)):
                continue
            in_person += contact.in_person
            video += contact.video
            # videos are at most `share` per cent of those counted: v <= share / 100 * (in_person + v)
            usable_video = video if share == 100 else min(video, in_person * share // (100 - share))
            if in_person + usable_video >= minimum:
                met = contact.day
                break
        rows.append(Row("monthly_contact", month, end, met, stops))
    return rows


def _home_visit_trigger(item: Facts, start: date) -> tuple[date | None, date | None]:
    """When home visits became required, and when they stopped being (if they have)."""
    flags = [r for r in item.registrations if r.type in Registration.HOME_VISIT_TYPES]
    high = item.event.person.rosh in (Rosh.HIGH, Rosh.VERY_HIGH)
    begins = [start] if high else [max(start, r.from_date) for r in flags]
    if not begins:
        return None, None
    ongoing = high or any(r.ended_on is None for r in flags)
    ended = None if ongoing else max(r.ended_on for r in flags if r.ended_on)
    return min(begins), ended


@deriver
def home_visit(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    event = item.event
    start = supervision_start(event)
    if start is None:
        return []
    begins, ended = _home_visit_trigger(item, start)
    if begins is None:
        return []
    stops = min((d for d in (event.terminated_on, ended) if d is not None), default=None)
    visits = sorted(c.day for c in item.contacts if c.type == "home_visit" and c.outcome in SEEN)
    rows, clock, due, after = [], begins, rules["home_visit"].due(begins), begins - timedelta(days=1)
    while True:
        met = min((d for d in visits if d > after), default=None)  # each visit meets one clock
        rows.append(Row("home_visit", clock, due, met, stops))
        if met is None or (stops and met >= stops):
            return rows
        clock, due, after = met, add_months(met, rules["home_visit"].part("repeat")), met


@deriver
def absence_evidence(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    return [
        Row(
            "absence_evidence",
            c.day,
            max(c.evidence_due, c.day),
            c.evidence_decided_on,
            item.event.terminated_on,
            f"contact:{c.id}",
        )
        for c in item.contacts
        if c.evidence_due
    ]


@deriver
def acceptable_absence_oversight(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    rule = rules["acceptable_absence_oversight"]
    return [
        Row(
            "acceptable_absence_oversight",
            task.opened_on,
            rule.due(task.opened_on),
            timezone.localtime(task.closed_at).date() if task.closed_at else None,
            item.event.terminated_on,
            f"task:{task.pk}",
        )
        for task in item.oversight
        if task.reason == OversightTask.Reason.ACCEPTABLE_ABSENCES
    ]


@deriver
def enforcement_decision(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    decided: dict[int, date] = {}
    for action in item.actions:
        if action.failure_id and action.kind != EnforcementAction.Kind.RECALL:
            decided[action.failure_id] = min(decided.get(action.failure_id, action.on), action.on)
    rule = rules["enforcement_decision"]
    return [
        Row(
            "enforcement_decision",
            c.day,
            rule.due(c.day),
            decided.get(c.id),
            item.event.terminated_on,
            f"contact:{c.id}",
        )
        for c in item.contacts
        if c.enforceable and c.outcome in FAILURES
    ]


@deriver
def breach(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    rule = rules["breach"]
    return [
        Row("breach", a.aware_on, rule.due(a.aware_on), a.on, None, f"action:{a.pk}")
        for a in item.actions
        if a.kind == EnforcementAction.Kind.BREACH and a.aware_on
    ]


@deriver
def recall(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    rule, rows = rules["recall"], []
    for action in item.actions:
        if action.kind != EnforcementAction.Kind.RECALL or action.decision != EnforcementAction.Decision.AGREED:
            continue
        if action.decided_at is None:
            continue
        start = timezone.localtime(action.decided_at).date()
        sent = timezone.localtime(action.requested_at).date() if action.requested_at else None
        rows.append(Row("recall", start, rule.due(start), sent, None, f"action:{action.pk}"))
    return rows


@deriver
def recall_review(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    rule = rules["recall_review"]
    return [
        Row("recall_review", a.returned_on, rule.due(a.returned_on), a.review_completed_on, None, f"action:{a.pk}")
        for a in item.actions
        if a.kind == EnforcementAction.Kind.RECALL and a.returned_on
    ]


@deriver
def transfer(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    rule, rows = rules["transfer"], []
    for t in item.transfers:
        met = t.decided_on if t.status == Transfer.Status.COMPLETED else None
        void = t.decided_on if t.status == Transfer.Status.REJECTED else item.event.terminated_on
        rows.append(Row("transfer", t.requested_on, rule.due(t.requested_on), met, void, f"transfer:{t.pk}"))
    return rows


@deriver
def pre_release_handover(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    """COM allocated by 8.5 months before release (12 before parole eligibility) and the handover meeting held
    within 4 weeks of that: met by the meeting, once a COM is allocated."""
    from cases.standards.handover import com_due

    event = item.event
    if event.expected_release_date is None:
        return []
    start = com_due(event, rules["pre_release_handover"])
    met = event.handover_meeting_on if item.allocations else None
    released = event.release_date if event.type != Event.Type.CUSTODY else None
    void = min((d for d in (event.terminated_on, released) if d is not None), default=None)
    return [Row("pre_release_handover", start, rules["pre_release_handover"].due(start), met, void)]

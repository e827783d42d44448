"""The clocks that follow what happened (DOMAIN.md's rule table): absence evidence, SPO oversight,
enforcement decisions, breach, recall, recall review, transfer and the pre-release handover."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import (
    EnforcementAction,
    Event,
    OversightTask,
    Transfer,
)
from cases.models.contact import FAILURES, Outcome
from cases.standards.derive import Facts, Row, Seen, deriver
from cases.standards.rules import Rule


@deriver
def absence_evidence(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    """From the date of the absence (the appointment), however late it was recorded: the deadline the person was
    given stands (kept on the contact, counted from the appointment by the pages and the importer alike); one a
    file left out is counted by the rule."""
    rule = rules["absence_evidence"]
    return [
        Row(
            "absence_evidence",
            c.day,
            max(c.evidence_due or rule.due(c.day), c.day),
            c.evidence_decided_on,
            item.event.terminated_on,
            f"contact:{c.id}",
        )
        for c in item.contacts
        if c.evidence_due or c.evidence_decided_on or c.outcome == Outcome.AWAITING_EVIDENCE
    ]


def became_known(contact: Seen) -> date:
    """The day an absence's outcome was settled: the day it was decided, for one first recorded awaiting evidence
    (its evidence clock), otherwise the day of the appointment."""
    if contact.evidence_decided_on and (contact.evidence_due or contact.outcome != Outcome.AWAITING_EVIDENCE):
        return max(contact.evidence_decided_on, contact.day)
    return contact.day


@deriver
def acceptable_absence_oversight(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    """The 3rd acceptable absence since the SPO last recorded oversight starts a clock, met when they next record
    it: derived from the contacts, whether they were recorded on the pages or imported (DOMAIN.md)."""
    rule = rules["acceptable_absence_oversight"]
    needed = rule.part("absences")
    recorded = sorted(
        timezone.localtime(task.closed_at).date()
        for task in item.oversight
        if task.reason == OversightTask.Reason.ACCEPTABLE_ABSENCES and task.closed_at
    )
    rows, since, count = [], date.min, 0
    for contact in item.contacts:
        if contact.outcome != Outcome.ACCEPTABLE_ABSENCE or contact.day <= since:
            continue  # absences up to the day oversight was recorded were overseen
        count += 1
        if count < needed:
            continue
        start = became_known(contact)
        met = min((d for d in recorded if d >= start), default=None)
        rows.append(
            Row(
                "acceptable_absence_oversight",
                start,
                rule.due(start),
                met,
                item.event.terminated_on,
                f"contact:{contact.id}",
            )
        )
        if met is None:
            break  # one open at a time: later absences wait for it
        since, count = met, 0
    return rows


def answered_day(action: EnforcementAction, failures: list[Seen]) -> date | None:
    """The failure day a decision answers: its failure's, or, for one that names none (as a file may give it), the
    latest day with a failure on or before the decision (a breach: on or before the day the RO became aware)."""
    named = next((f for f in failures if f.id == action.failure_id), None)
    if named is not None:
        return named.day
    if action.failure_id is not None:
        return None  # its failure is a failure no longer (outcome changed, entered in error)
    by = action.aware_on if action.kind == EnforcementAction.Kind.BREACH and action.aware_on else action.on
    return max((f.day for f in failures if f.day <= by), default=None)


@deriver
def enforcement_decision(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    """Each enforceable failure needs a decision within 2 business days of the day it happened (or of the day an
    absence awaiting evidence was decided unacceptable). A decision answers every failure of the day it answers.
    On a community order or SSO a failure within the 12 months beginning with the date of a warning (for another
    day) requires breach: then only a breach meets it; otherwise a warning, a breach or a professional judgement
    does (DOMAIN.md, "Enforcement decision"). Facts are judged so however they arrived."""
    rule, kinds = rules["enforcement_decision"], EnforcementAction.Kind
    failures = [c for c in item.contacts if c.enforceable and c.outcome in FAILURES]
    decisions = [
        (answered_day(a, failures), a)
        for a in item.actions
        if a.kind in (kinds.WARNING, kinds.BREACH, kinds.PROFESSIONAL_JUDGEMENT)
    ]
    statutory = item.event.type in (Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER)
    months = rule.part("warning_period")
    warned = [(a.on, day) for day, a in decisions if a.kind == kinds.WARNING]
    rows = []
    for failure in failures:
        breach_required = statutory and any(
            given <= failure.day <= add_months(given - timedelta(days=1), months) and day != failure.day
            for given, day in warned
        )
        met = min(
            (a.on for day, a in decisions if day == failure.day and (a.kind == kinds.BREACH or not breach_required)),
            default=None,
        )
        start = became_known(failure)
        rows.append(
            Row("enforcement_decision", start, rule.due(start), met, item.event.terminated_on, f"contact:{failure.id}")
        )
    return rows


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

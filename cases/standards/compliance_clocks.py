"""The clocks that follow what happened (DOMAIN.md's rule table): absence evidence, SPO oversight,
enforcement decisions, breach, recall, recall review, transfer and the pre-release handover."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from cases.models import (
    EnforcementAction,
    Event,
    OversightTask,
    Transfer,
)
from cases.models.contact import FAILURES
from cases.standards.derive import Facts, Row, deriver
from cases.standards.rules import Rule


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

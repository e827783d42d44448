"""Compliance and enforcement: counting failures to comply and what the law lets the officer do next.

On a community order or suspended sentence order, an officer who has given a warning within the previous
12 months must refer a further failure for breach, not warn again (Sentencing Act 2020 Sch. 10 para 6,
Sch. 16 para 6). The warning's period is "12 months beginning with the date on which the warning was
given": a warning on 1 March 2025 covers decisions up to and including 28 February 2026. Failures on the
same day are one failure: one decision answers them all. Licences are enforced by recall instead.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from cases import entered_dates
from cases.access import manages_pdu_of
from cases.calendar_months import add_months
from cases.models import Contact, EnforcementAction, Event, OversightTask
from cases.models.enforcement import OPEN_RECALL
from cases.standards import rules
from cases.unit_of_work import case_change
from regions.models import StaffMember

Kind = EnforcementAction.Kind


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass
class Compliance:
    """The compliance panel of one event, read in a fixed number of queries."""

    event: Event
    counted_from: date
    failure_dates: list[date]  # distinct dates since counted_from
    failures_last_12_months: int
    warnings: list[EnforcementAction] = field(default_factory=list)
    open_breach: EnforcementAction | None = None
    unanswered: list[Contact] = field(default_factory=list)  # failures with no enforcement decision yet

    @property
    def failures_since_reset(self) -> int:
        return len(self.failure_dates)


STATUTORY_WARNING_TYPES = frozenset({Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER})


def warning_months() -> int:
    """The warning's period: 12 months in law, a parameter of the enforcement_decision rule (set in admin)."""
    return rules.current()["enforcement_decision"].part("warning_period")


def warning_period_ends(given_on: date, months: int | None = None) -> date:
    """The last day of the 12 months (the warning period) beginning with the day the warning was given."""
    return add_months(given_on - timedelta(days=1), warning_months() if months is None else months)


def covering_warning(
    warnings: list[EnforcementAction], failure: Contact, decision_day: date
) -> EnforcementAction | None:
    """The warning that rules out another: one given within the 12 months before this decision (Sch. 10 para 5),
    or one whose period (the 12 months beginning with the day it was given) holds this failure, which then
    requires breach (para 6; the ledger judges it so too, cases/standards/compliance_clocks.py). A warning never
    covers a failure on the same day as the one it answered (they are one failure)."""
    day = local_day(failure.starts_at)
    months = warning_months() if warnings else 0
    for warning in sorted(warnings, key=lambda w: w.on, reverse=True):
        same_failure = warning.failure is not None and local_day(warning.failure.starts_at) == day
        ends = warning_period_ends(warning.on, months)
        if not same_failure and (warning.on <= decision_day <= ends or warning.on <= day <= ends):
            return warning
    return None


def compliance(event: Event, today: date | None = None) -> Compliance:
    return compliance_for([event], today)[event.pk]


def compliance_for(
    events: list[Event],
    today: date | None = None,
    *,
    actions_read: bool = False,
    failures_read: list[Contact] | None = None,
) -> dict[int, Compliance]:
    """The compliance panels of several events in two queries, whatever their history; in none, when the events
    come with their enforcement actions (and each one's failure) already read, in order (`actions_read`), and
    their failures to comply with their types, in time order (`failures_read`): the case overview's,
    cases.record.selectors.overview_of."""
    today = today or timezone.localdate()
    ids = [event.pk for event in events]
    actions: dict[int, list[EnforcementAction]] = {pk: [] for pk in ids}
    if actions_read:
        for event in events:
            actions[event.pk] = [a for a in event.enforcement_actions.all() if a.is_standing]
    else:
        for action in (
            EnforcementAction.objects.standing().filter(event_id__in=ids).select_related("failure").order_by("on", "id")
        ):
            actions[action.event_id].append(action)
    failures: dict[int, list[Contact]] = {pk: [] for pk in ids}
    if failures_read is None:
        failures_read = list(
            Contact.objects.failures().filter(event_id__in=ids).select_related("type").order_by("starts_at", "id")
        )
    for failure in failures_read:
        if failure.event_id in failures:
            failures[failure.event_id].append(failure)
    return {event.pk: _panel(event, actions[event.pk], failures[event.pk], today) for event in events}


def _panel(event: Event, actions: list[EnforcementAction], failures: list[Contact], today: date) -> Compliance:
    breaches = [a for a in actions if a.kind == Kind.BREACH]
    last_breach_end = max((b.resolved_on for b in breaches if b.resolved_on), default=None)
    # Failures count from the sentence date, or afresh from the day after a breach was dealt with.
    start = event.supervision_starts_on
    counted_from = max(start, last_breach_end + timedelta(days=1)) if last_breach_end else start
    answered_days = {local_day(a.failure.starts_at) for a in actions if a.failure}
    year_ago = add_months(today, -12)
    return Compliance(
        event=event,
        counted_from=counted_from,
        failure_dates=sorted({local_day(f.starts_at) for f in failures if local_day(f.starts_at) >= counted_from}),
        failures_last_12_months=len({local_day(f.starts_at) for f in failures if local_day(f.starts_at) > year_ago}),
        warnings=[a for a in actions if a.kind == Kind.WARNING],
        open_breach=next((b for b in reversed(breaches) if b.resolved_on is None), None),
        unanswered=_one_a_day([f for f in failures if local_day(f.starts_at) not in answered_days]),
    )


def _one_a_day(failures: list[Contact]) -> list[Contact]:
    """Failures on the same day are one failure: the first of each day stands for them all."""
    first_of_day: dict[date, Contact] = {}
    for failure in failures:
        first_of_day.setdefault(local_day(failure.starts_at), failure)
    return list(first_of_day.values())


def second_warning_refused(covering: EnforcementAction) -> str:
    given = f"{covering.on:%-d %B %Y}"
    months = warning_months()
    return f"A warning was given on {given}: a further failure within {months} months must be referred for breach"


def choices_for(
    failure: Contact, warnings: list[EnforcementAction], decision_day: date | None = None
) -> tuple[list[str], EnforcementAction | None]:
    """The enforcement decisions open for a failure, and the warning that rules out another one."""
    event = failure.event
    if event.type == Event.Type.LICENCE:
        return [Kind.WARNING, Kind.PROFESSIONAL_JUDGEMENT], None  # breach of licence is dealt with by recall
    if event.type not in STATUTORY_WARNING_TYPES:
        return [Kind.WARNING, Kind.BREACH, Kind.PROFESSIONAL_JUDGEMENT], None
    covering = covering_warning(warnings, failure, decision_day or timezone.localdate())
    kinds = (
        [Kind.BREACH, Kind.PROFESSIONAL_JUDGEMENT]
        if covering
        else [Kind.WARNING, Kind.BREACH, Kind.PROFESSIONAL_JUDGEMENT]
    )
    return [str(kind) for kind in kinds], covering


DECISION_DATES: dict[str, str] = {
    Kind.WARNING: "The date of the warning",
    Kind.BREACH: "The date breach was initiated",
    Kind.PROFESSIONAL_JUDGEMENT: "The date of the decision",
}


def _check_failure(event: Event, failure: Contact | None) -> None:
    if not event.is_active:
        raise ValidationError("This sentence has ended: no enforcement action can be taken on it")
    if failure is not None and (failure.event_id != event.pk or not failure.is_failure_to_comply):
        raise ValidationError("That contact is not a failure to comply on this sentence")


def decide(
    *,
    event: Event,
    user: User | AnonymousUser,
    kind: str,
    failure: Contact | None,
    on: date,
    rationale: str = "",
    aware_on: date | None = None,
) -> EnforcementAction:
    """A warning, a breach, or a professional judgement not to enforce, in answer to a failure to comply."""
    with case_change(event, user, "decide") as change:
        change.within(event)
        event.refuse_if_ended("an enforcement decision")
        _check_failure(event, failure)
        if failure is not None:
            day = local_day(failure.starts_at)
            decided = (
                EnforcementAction.objects.standing()
                .filter(event=event, failure__isnull=False)
                .select_related("failure")
            )
            if any(local_day(a.failure.starts_at) == day for a in decided if a.failure):
                raise ValidationError("A decision has already been recorded for the failure on this day")
            warnings = list(
                EnforcementAction.objects.standing().filter(event=event, kind=Kind.WARNING).select_related("failure")
            )
            allowed, covering = choices_for(failure, warnings, on)
            if kind not in allowed:
                if covering is not None:
                    raise ValidationError({"kind": second_warning_refused(covering)})
                raise ValidationError({"kind": "That decision is not open for this sentence"})
        elif kind == Kind.WARNING:
            raise ValidationError("A warning answers a failure to comply")
        failed_on = local_day(failure.starts_at) if failure is not None else None
        entered_dates.refuse(
            on,
            field="on",
            called=DECISION_DATES.get(kind, "The date of the decision"),
            limits=[entered_dates.started(event), (failed_on, "the date of the failure")],
        )
        if kind == Kind.PROFESSIONAL_JUDGEMENT and not rationale.strip():
            raise ValidationError({"rationale": "Enter the rationale for your professional judgement"})
        if kind == Kind.BREACH:
            aware_on = aware_on or failed_on or on
            entered_dates.refuse(
                aware_on,
                field="aware_on",
                called="The date you became aware of the failure",
                limits=[(failed_on, "the date of the failure")],
            )
            entered_dates.refuse(
                on,
                field="on",
                called="The date breach was initiated",
                limits=[(aware_on, "when you became aware of the failure")],
            )
        action = EnforcementAction(
            event=event,
            kind=kind,
            failure=failure,
            on=on,
            rationale=rationale,
            aware_on=aware_on if kind == Kind.BREACH else None,
            recorded_by=user if user.is_authenticated else None,
            recorded_at=timezone.now(),
        )
        if kind == Kind.WARNING:
            action.letter = render_to_string(
                "cases/warning_letter.txt", {"event": event, "failure": failure, "on": on, "months": warning_months()}
            )
        action.full_clean()
        action.save()
        if kind == Kind.PROFESSIONAL_JUDGEMENT:  # the SPO looks over a decision not to enforce (one open task a case)
            OversightTask.objects.get_or_create(
                event=event,
                reason=OversightTask.Reason.PROFESSIONAL_JUDGEMENT,
                closed_at=None,
                defaults={"opened_on": on, "trigger": failure},
            )
        change.becomes(f"enforcement.{kind}")
        change.touches(action, failure=failure.pk if failure else None)
        return action


def breach_resolved(
    *, action: EnforcementAction, user: User | AnonymousUser, on: date, court_outcome: str
) -> EnforcementAction:
    """The court has dealt with the breach: failures are counted afresh from this date."""
    with case_change(action.event.person_id, user, "enforcement.breach_resolved") as change:
        action = EnforcementAction.objects.select_for_update().get(pk=action.pk, kind=Kind.BREACH)
        entered_dates.refuse(
            on,
            field="on",
            called="The date of the court's decision",
            limits=[(action.on, "when breach was initiated")],
        )
        action.resolved_on, action.court_outcome = on, court_outcome
        action.resolved_recorded_at = action.resolved_recorded_at or timezone.now()
        action.full_clean()
        action.save(update_fields=["resolved_on", "court_outcome", "resolved_recorded_at"])
        change.touches(action, court_outcome=court_outcome)
        return action


def recall_recommend(
    *, event: Event, user: User | AnonymousUser, recall_type: str, rationale: str
) -> EnforcementAction:
    with case_change(event, user, "enforcement.recall_recommended") as change:
        event.refuse_if_ended("a recall")
        if event.type not in Event.RELEASE_TYPES:
            raise ValidationError("Only someone on licence or post-sentence supervision can be recalled")
        if event.enforcement_actions.filter(OPEN_RECALL).exists():
            raise ValidationError("A recall is already open for this sentence: decide or withdraw it first")
        _check_failure(event, None)
        action = EnforcementAction(
            event=event,
            kind=Kind.RECALL,
            on=timezone.localdate(),
            recall_type=recall_type,
            rationale=rationale,
            recorded_by=user if user.is_authenticated else None,
            recorded_at=timezone.now(),
        )
        action.full_clean()
        action.save()
        change.touches(action)
        return action


def recall_decide(
    *,
    action: EnforcementAction,
    user: User | AnonymousUser,
    decider: StaffMember,
    decision: str,
    rationale: str,
    decided_at: datetime,
) -> EnforcementAction:
    """The SPO's decision on a recommended recall (its 24-hour clock starts here when agreed)."""
    with case_change(action.event.person_id, user, "enforcement.recall_decided") as change:
        action = EnforcementAction.objects.select_for_update().get(pk=action.pk, kind=Kind.RECALL)
        if action.decision:
            raise ValidationError("A decision on this recall has already been recorded")
        if recommended_by(action, user, decider):
            raise ValidationError(
                {"decision": "You recommended this recall, so another SPO or head of the PDU must decide on it"}
            )
        if not rationale.strip():
            raise ValidationError({"decision_rationale": "Enter the rationale for your decision"})
        entered_dates.refuse(
            decided_at,
            field="decided_day",
            called="The date of the decision",
            limits=[(action.on, "when the recall was recommended")],
        )
        action.decision, action.decision_rationale = decision, rationale
        action.decided_at, action.decided_by = decided_at, decider
        action.decision_recorded_at = timezone.now()
        action.save(
            update_fields=["decision", "decision_rationale", "decided_at", "decided_by", "decision_recorded_at"]
        )
        change.touches(action, decision=decision)
        return action


def recommended_by(action: EnforcementAction, user: User | AnonymousUser, decider: StaffMember | None) -> bool:
    """Whether this user (or staff member) recommended the recall: the recommender may not also decide it."""
    if action.recorded_by_id is None:
        return False
    users = {getattr(user, "pk", None), decider.user_id if decider is not None else None} - {None}
    return action.recorded_by_id in users


def recall_requested(
    *, action: EnforcementAction, user: User | AnonymousUser, requested_at: datetime
) -> EnforcementAction:
    with case_change(action.event.person_id, user, "enforcement.recall_requested") as change:
        action = EnforcementAction.objects.select_for_update().get(pk=action.pk, kind=Kind.RECALL)
        if action.decision != EnforcementAction.Decision.AGREED or action.decided_at is None:
            raise ValidationError("A recall request can only be sent once the recall is agreed")
        called = "The date and time the request was sent"
        entered_dates.refuse(requested_at, field="day", called=called)
        entered_dates.refuse_moment_before(
            requested_at, action.decided_at, field="day", called=called, why="when the recall was agreed"
        )
        action.requested_at, action.request_recorded_at = requested_at, timezone.now()
        action.save(update_fields=["requested_at", "request_recorded_at"])
        change.touches(action)
        return action


def recall_return(
    *,
    action: EnforcementAction,
    user: User | AnonymousUser,
    returned_on: date,
    review_completed_on: date | None = None,
) -> EnforcementAction:
    """The person is back in custody (the 14-business-day recall review clock starts), and the review done."""
    with case_change(action.event.person_id, user, "enforcement.recall_returned") as change:
        action = EnforcementAction.objects.select_for_update().get(pk=action.pk, kind=Kind.RECALL)
        if action.requested_at is None:
            raise ValidationError("Record that the recall request was sent first")
        entered_dates.refuse(
            returned_on,
            field="returned_on",
            called="The date they were returned to custody",
            limits=[(local_day(action.requested_at), "when the recall request was sent")],
        )
        entered_dates.refuse(
            review_completed_on,
            field="review_completed_on",
            called="The date the recall review was completed",
            limits=[(returned_on, "when they were returned to custody")],
        )
        action.returned_on, action.review_completed_on = returned_on, review_completed_on
        now = timezone.now()  # each stamp kept from when its date was first recorded
        action.returned_recorded_at = action.returned_recorded_at or now
        if review_completed_on is not None:
            action.review_recorded_at = action.review_recorded_at or now
        action.save(update_fields=["returned_on", "review_completed_on", "returned_recorded_at", "review_recorded_at"])
        change.touches(action)
        return action


def oversight_record(
    *, task: OversightTask, user: User | AnonymousUser, by: StaffMember, note: str, outcome: str = ""
) -> OversightTask:
    """The SPO's management oversight: whether they agree with the officer's handling, and a note (required
    when they disagree). Only the SPOs and heads of the case's PDU give it."""
    with case_change(task.event.person_id, user, "oversight.record") as change:
        task = OversightTask.objects.select_for_update().select_related("event").get(pk=task.pk)
        if task.closed_at is not None:
            raise ValidationError("This oversight has already been recorded")
        if by.pdu_id != task.event.pdu_id or not (
            user.is_authenticated and getattr(user, "staff", None) == by and manages_pdu_of(user, task.event.pdu_id)
        ):
            raise PermissionDenied("Only SPOs and heads of the case's PDU may record management oversight")
        if outcome not in OversightTask.Outcome.values:
            raise ValidationError({"outcome": "Select whether you agree with the officer"})
        if outcome == OversightTask.Outcome.DISAGREE and not note.strip():
            raise ValidationError({"note": "Enter why you disagree with the officer"})
        task.closed_at, task.closed_by, task.note, task.outcome = timezone.now(), by, note.strip(), outcome
        task.full_clean()
        task.save(update_fields=["closed_at", "closed_by", "note", "outcome"])
        change.touches(task, outcome=outcome)
        return task

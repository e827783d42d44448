"""What the SPO reads to decide: the subject of a management oversight and the case's recent compliance, and
the recall recommendation they decide on. Each read runs a fixed number of queries, whatever the history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import Contact, EnforcementAction, Event, Outcome, OversightTask
from cases.models.contact import FAILURES, SEEN

Kind = EnforcementAction.Kind


@dataclass
class RecentCompliance:
    """The last 12 months on one event: booked enforceable appointments and how they went, and warnings."""

    since: datetime
    appointments: int = 0
    attended: int = 0
    acceptable_absences: int = 0
    failures: int = 0
    warnings: list[EnforcementAction] = field(default_factory=list)
    open_breach: EnforcementAction | None = None


@dataclass
class OversightSubject:
    """What an oversight task is about: the acceptable absences since the last oversight, or the failure and
    the professional-judgement decision that followed it, with the officer's rationale."""

    task: OversightTask
    absences: list[Contact] = field(default_factory=list)
    failure: Contact | None = None
    judgement: EnforcementAction | None = None
    compliance: RecentCompliance | None = None


def recent_compliance(event: Event) -> RecentCompliance:
    """Two queries: the counts of the last 12 months' enforceable appointments, and the standing warnings and
    breaches in that time."""
    now = timezone.now()
    since = add_months(timezone.localtime(now).date(), -12)
    since_at = timezone.make_aware(datetime(since.year, since.month, since.day))
    counted = (
        Contact.objects.valid()
        .filter(event=event, enforceable=True, starts_at__gte=since_at, starts_at__lte=now)
        .exclude(outcome="")
        .aggregate(
            appointments=Count("id"),
            attended=Count("id", filter=Q(outcome__in=SEEN) & ~Q(outcome__in=FAILURES)),
            acceptable_absences=Count("id", filter=Q(outcome=Outcome.ACCEPTABLE_ABSENCE)),
            failures=Count("id", filter=Q(outcome__in=FAILURES)),
        )
    )
    actions = list(
        EnforcementAction.objects.standing()
        .filter(event=event, kind__in=[Kind.WARNING, Kind.BREACH])
        .filter(Q(on__gte=since) | Q(kind=Kind.BREACH, resolved_on__isnull=True))
        .order_by("on", "id")
    )
    return RecentCompliance(
        since=since_at,
        warnings=[a for a in actions if a.kind == Kind.WARNING],
        open_breach=next((a for a in reversed(actions) if a.kind == Kind.BREACH and a.resolved_on is None), None),
        **counted,
    )


def oversight_subject(task: OversightTask) -> OversightSubject:
    """At most four queries, however many absences the case has."""
    subject = OversightSubject(task=task, compliance=recent_compliance(task.event))
    if task.reason == OversightTask.Reason.ACCEPTABLE_ABSENCES:
        previous = (
            OversightTask.objects.filter(
                event_id=task.event_id,
                reason=OversightTask.Reason.ACCEPTABLE_ABSENCES,
                closed_at__isnull=False,
                closed_at__lt=task.closed_at or timezone.now(),
            )
            .exclude(pk=task.pk)
            .order_by("-closed_at")
            .values_list("closed_at", flat=True)
            .first()
        )
        absences = Contact.objects.valid().filter(event_id=task.event_id, outcome=Outcome.ACCEPTABLE_ABSENCE)
        if previous is not None:
            absences = absences.filter(starts_at__gt=previous)
        if task.closed_at is not None:
            absences = absences.filter(recorded_at__lte=task.closed_at)
        subject.absences = list(absences.select_related("type", "staff").order_by("starts_at", "id"))
    elif task.trigger_id is not None:
        subject.failure = Contact.objects.select_related("type", "staff").filter(pk=task.trigger_id).first()
        subject.judgement = (
            EnforcementAction.objects.filter(failure_id=task.trigger_id, kind=Kind.PROFESSIONAL_JUDGEMENT)
            .select_related("recorded_by__staff")
            .order_by("-id")
            .first()
        )
    return subject


def recall_recommendation(event: Event) -> EnforcementAction | None:
    """The recall recommended on this event and not yet sent, with who recommended it (one query)."""
    return (
        EnforcementAction.objects.filter(event=event, kind=Kind.RECALL)
        .exclude(decision=EnforcementAction.Decision.NOT_AGREED)
        .filter(requested_at__isnull=True)
        .select_related("recorded_by__staff", "decided_by")
        .order_by("-id")
        .first()
    )

"""Unpaid Work: hours ordered, worked, ETE (at most 20% of the order), travel, stand-downs, and whether the
order will be finished within its 12 months (seed 002 paras 118, 124, 127, 130). The periods and limits are
those of the upw_* rules (cases/standards/rules.py), as an administrator left them."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from cases import entered_dates
from cases.models import Requirement
from cases.standards import rules as standards_rules
from cases.standards.rules import Rule
from cases.unit_of_work import case_change
from interventions import sessions
from interventions.models import UpwReview, UpwSession

RATE_WINDOW_DAYS = 28  # the recent rate the projection uses: not a rule


def hours_text(value: Decimal) -> str:
    """24.00 as "24", 6.50 as "6.5"."""
    return format(value.normalize(), "f") if value else "0"


@dataclass(frozen=True)
class UpwSummary:
    ordered: Decimal
    work: Decimal
    ete: Decimal
    travel: Decimal
    stand_downs: int
    ete_limit: Decimal
    ete_percent: int  # the share of the hours ordered that ETE may make up (upw_completion.ete_share)
    weekly_maximum: Decimal  # intensive orders: the most hours in a week (upw_completion.weekly_hours)
    completion_months: int
    deadline: date
    first_session_due: date
    review_due: date
    first_attended_on: date | None
    completed_on: date | None
    weekly_rate: Decimal
    projected_completion: date | None
    today: date

    @property
    def credited(self) -> Decimal:
        """Work and travel in full, ETE only up to its share of the hours ordered (DOMAIN.md, UPW completion)."""
        return self.work + min(self.ete, self.ete_limit) + self.travel

    @property
    def remaining(self) -> Decimal:
        return max(self.ordered - self.credited, Decimal("0"))

    @property
    def at_risk(self) -> bool:
        """Not finished, and at the recent rate it will not be; with no recent rate, once the first session
        is overdue (a new order is not at risk before it has had the chance to start)."""
        if self.completed_on:
            return False
        if self.projected_completion is None:
            return self.today > self.first_session_due
        return self.projected_completion > self.deadline


def summary(
    requirement: Requirement,
    sessions: list[UpwSession],
    today: date | None = None,
    rules: dict[str, Rule] | None = None,
) -> UpwSummary:
    """Computed from the sessions already read; given the rules (the ledger reads them once a batch), no query,
    otherwise one to read them."""
    today = today or timezone.localdate()
    rules = rules or standards_rules.current()
    completion = rules["upw_completion"]
    start = requirement.event.sentence_date
    ordered = Decimal(requirement.hours or 0)
    totals = {"work": Decimal("0"), "ete": Decimal("0"), "travel": Decimal("0")}
    ete_limit = (ordered * completion.part("ete_share") / 100).quantize(Decimal("0.01"))
    first_attended, completed_on, running = None, None, Decimal("0")
    for session in sorted(sessions, key=lambda s: (s.date, s.pk or 0)):
        ete_before = min(totals["ete"], ete_limit)
        totals["work"] += session.work_hours
        totals["ete"] += session.ete_hours
        totals["travel"] += session.travel_hours
        # ETE counts only up to its share of the hours ordered, however the hours arrived (a file may carry more)
        running += session.work_hours + session.travel_hours + min(totals["ete"], ete_limit) - ete_before
        if session.status in (UpwSession.Status.ATTENDED, UpwSession.Status.FAILED) and first_attended is None:
            first_attended = session.date
        if completed_on is None and ordered and running >= ordered:
            completed_on = session.date
    window_start = today - timedelta(days=RATE_WINDOW_DAYS)
    recent = sum((s.credited_hours for s in sessions if window_start < s.date <= today), Decimal("0"))
    weekly_rate = (recent * 7 / RATE_WINDOW_DAYS).quantize(Decimal("0.1"), ROUND_HALF_UP)
    remaining = max(ordered - running, Decimal("0"))
    projected = None
    if completed_on is None and weekly_rate > 0:
        projected = today + timedelta(days=int((remaining / weekly_rate * 7).to_integral_value(ROUND_HALF_UP)))
    return UpwSummary(
        ordered=ordered,
        work=totals["work"],
        ete=totals["ete"],
        travel=totals["travel"],
        stand_downs=sum(1 for s in sessions if s.status == UpwSession.Status.STOOD_DOWN),
        ete_limit=ete_limit,
        ete_percent=completion.part("ete_share"),
        weekly_maximum=Decimal(completion.part("weekly_hours")),
        completion_months=completion.period,
        deadline=completion.due(start),
        first_session_due=rules["upw_first_session"].due(start),
        review_due=rules["upw_review"].due(start),
        first_attended_on=first_attended,
        completed_on=completed_on,
        weekly_rate=weekly_rate,
        projected_completion=projected,
        today=today,
    )


def log_session(
    *,
    requirement: Requirement,
    user: User | AnonymousUser,
    day: date,
    status: str,
    project: str = "",
    placement: str = UpwSession.Placement.GROUP,
    work_hours: Decimal = Decimal("0"),
    ete_hours: Decimal = Decimal("0"),
    travel_hours: Decimal = Decimal("0"),
    stand_down_reason: str = "",
) -> UpwSession:
    """Record a session; attendance and compliance go on the contact record like any appointment."""
    with case_change(requirement.event.person_id, user, "upw.session") as change:
        change.within(requirement.event)
        requirement = Requirement.objects.select_for_update().select_related("event__person").get(pk=requirement.pk)
        event = requirement.event
        if requirement.type != Requirement.Type.UNPAID_WORK:
            raise ValidationError("This requirement is not Unpaid Work")
        if not event.is_active:
            raise ValidationError("This sentence has ended: no more sessions can be recorded")
        entered_dates.refuse(
            day, field="day", called="The session date", limits=[(event.sentence_date, "the sentence date")]
        )
        attended = status in (UpwSession.Status.ATTENDED, UpwSession.Status.FAILED)
        if not attended:
            work_hours = ete_hours = travel_hours = Decimal("0")
        current = summary(requirement, list(UpwSession.objects.filter(requirement=requirement)))
        if current.completed_on:
            raise ValidationError(
                f"The {hours_text(current.ordered)} hours were completed on {current.completed_on:%-d %B %Y}"
            )
        added = work_hours + ete_hours + travel_hours
        if attended and added <= 0:
            raise ValidationError({"work_hours": "Enter the hours worked, on ETE or travelling"})
        if current.ete + ete_hours > current.ete_limit:
            room = max(current.ete_limit - current.ete, Decimal("0"))
            ordered, cap = hours_text(current.ordered), hours_text(current.ete_limit)
            limit = f"at most {current.ete_percent}% of the {ordered} hours ordered ({cap} hours)"
            raise ValidationError({"ete_hours": f"ETE can be {limit}: {hours_text(room)} hours are left"})
        if added > current.remaining:
            raise ValidationError({"work_hours": f"Only {hours_text(current.remaining)} hours of the order remain"})
        week_start = day - timedelta(days=day.weekday())
        week = UpwSession.objects.filter(
            requirement=requirement, date__gte=week_start, date__lt=week_start + timedelta(days=7)
        ).aggregate(total=Sum("work_hours") + Sum("ete_hours") + Sum("travel_hours"))["total"] or Decimal("0")
        if week + added > current.weekly_maximum:
            total, most = hours_text(week + added), hours_text(current.weekly_maximum)
            raise ValidationError({"work_hours": f"That would make {total} hours in the week: at most {most}"})
        if status == UpwSession.Status.STOOD_DOWN and not stand_down_reason.strip():
            raise ValidationError({"stand_down_reason": "Enter why the session was stood down"})
        session = UpwSession(
            requirement=requirement,
            date=day,
            project=project,
            placement=placement,
            status=status,
            work_hours=work_hours,
            ete_hours=ete_hours,
            travel_hours=travel_hours,
            stand_down_reason=stand_down_reason,
            recorded_by=user if user.is_authenticated else None,
            recorded_at=timezone.now(),
        )
        if status in sessions.CONTACT_OUTCOME:
            session.contact = sessions.record_contact(
                event=event,
                user=user,
                type_code="upw_session",
                day=day,
                at=time(9, 0),
                attendance=status,
                notes=f"Unpaid Work: {project}".strip(": "),
            )
        session.full_clean()
        session.save()
        change.touches(session, status=status, hours=str(added))
        return session


def record_review(*, requirement: Requirement, user: User | AnonymousUser, on: date, notes: str) -> UpwReview:
    """The six-month review: why the hours are not done, and what will change."""
    with case_change(requirement.event.person_id, user, "upw.review") as change:
        change.within(requirement.event)
        requirement = Requirement.objects.select_for_update().select_related("event__person").get(pk=requirement.pk)
        event = requirement.event
        if requirement.type != Requirement.Type.UNPAID_WORK:
            raise ValidationError("This requirement is not Unpaid Work")
        if not event.is_active:
            raise ValidationError("This sentence has ended: no more reviews can be recorded")
        entered_dates.refuse(
            on, field="on", called="The date of the review", limits=[(event.sentence_date, "the sentence date")]
        )
        review = UpwReview.objects.create(
            requirement=requirement, reviewed_on=on, notes=notes, recorded_by=user if user.is_authenticated else None
        )
        change.touches(review)
        return review

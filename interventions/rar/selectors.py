"""Rehabilitation Activity Requirement days (seed 002 paras 141-143): a day counts when the person attended
at least one activity marked as RAR that day. The days must fit before the order ends."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Contact, Event, Outcome, Requirement
from cases.standards.calendar import is_business_day


def activities(event: Event) -> QuerySet[Contact]:
    return Contact.objects.filter(event=event, rar=True, outcome=Outcome.ATTENDED, entered_in_error=False)


def days_used(event: Event) -> list[date]:
    """One query: the distinct local days with an attended RAR activity."""
    days = activities(event).annotate(day=TruncDate("starts_at")).values_list("day", flat=True).order_by().distinct()
    return sorted(days)


def ends_on(requirement: Requirement) -> date | None:
    event = requirement.event
    candidates = [d for d in (requirement.terminated_on, event.terminated_on, event.expected_end_date) if d]
    return min(candidates, default=None)


def working_days_left(today: date, last: date, used_today: bool) -> int:
    """Working days from today to the last day of the order, inclusive; today only if not already used."""
    count, day = 0, today if not used_today else today + timedelta(days=1)
    while day <= last:
        count += is_business_day(day)
        day += timedelta(days=1)
    return count


@dataclass(frozen=True)
class RarSummary:
    ordered: int
    used_days: list[date]
    ends_on: date | None
    days_left: int | None  # working days on which an activity can still happen

    @property
    def used(self) -> int:
        return len(self.used_days)

    @property
    def remaining(self) -> int:
        return max(self.ordered - self.used, 0)

    @property
    def cannot_fit(self) -> bool:
        return self.days_left is not None and self.remaining > self.days_left


def summary(requirement: Requirement, used_days: list[date], today: date | None = None) -> RarSummary:
    today = today or timezone.localdate()
    last = ends_on(requirement)
    days_left = None
    if last is not None and requirement.event.is_active:
        days_left = working_days_left(today, last, today in used_days)
    return RarSummary(requirement.days or 0, used_days, last, days_left)

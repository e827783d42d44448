"""Dates people enter (DOMAIN.md, "Dates people enter"): an entered date may not be in the future, nor before what
it depends on, and a fact recorded more than 2 business days (the recorded_late setting) after its date is
*recorded late*.

The services call `refuse` with the date entered and the limits it depends on, so a form, a script or any other
path is held to the same rule; the error names the field and the limit, in GOV.UK words ("The date the plan
was completed must be on or after 3 March 2026, when its first objective was recorded"). The importer does not
call it: imported facts are kept as they happened, and judged by the ledger (DOMAIN.md, "Facts as they
happened").
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Event
from cases.standards import calendar, rules

Limit = tuple[date | None, str]  # the earliest the date may be, and why ("when the transfer was requested")


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def started(event: Event) -> Limit:
    """Anything on a sentence happens on or after its start: the release date for a licence or PSS, else the
    sentence date."""
    if event.type in Event.RELEASE_TYPES and event.release_date:
        return event.release_date, "when they were released"
    return event.sentence_date, "the sentence date"


def refuse(on: date | datetime | None, *, field: str, called: str, limits: Iterable[Limit] = ()) -> None:
    """Refuse `on` (the value of the form field `field`, named `called` in the message) if it is in the future
    or before the latest of `limits` it breaks."""
    if on is None:
        return
    if isinstance(on, datetime):
        if on > timezone.now():
            raise ValidationError({field: f"{called} must be now or in the past"}, code="future")
        day = timezone.localtime(on).date()
    else:
        day = on
        if day > timezone.localdate():
            raise ValidationError({field: f"{called} must be today or in the past"}, code="future")
    broken = [(limit, why) for limit, why in limits if limit is not None and day < limit]
    if broken:
        limit, why = max(broken, key=lambda item: item[0])
        raise ValidationError({field: f"{called} must be on or after {long_date(limit)}, {why}"}, code="too_early")


def refuse_moment_before(at: datetime, earliest: datetime, *, field: str, called: str, why: str) -> None:
    """A moment (a date and a time) not before another: the recall request not before its decision."""
    if at < earliest:
        local = timezone.localtime(earliest)
        raise ValidationError(
            {field: f"{called} must be at or after {local:%H:%M} on {long_date(local.date())}, {why}"},
            code="too_early",
        )


def _day(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def lag(happened: date | datetime, recorded: date | datetime) -> int:
    """Business days (England and Wales bank holidays excluded) from the day it happened to the day it was
    recorded: 0 on the same day or before."""
    return calendar.business_days_between(_day(happened), _day(recorded))


def recorded_late(happened: date | datetime | None, recorded: date | datetime | None, after: int | None = None) -> bool:
    """Recorded more than `after` (the recorded_late setting: 2) business days after it happened."""
    if happened is None or recorded is None:
        return False
    return lag(happened, recorded) > (rules.value("recorded_late") if after is None else after)

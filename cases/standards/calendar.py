"""Business days: Monday to Friday, less England & Wales bank holidays (Wales uses the same list).

"Within N business days of X" is on or before the N-th business day after X; X itself is day 0 whether or
not it is a business day (DOMAIN.md). The days live in the CalendarDay table (filled from the `holidays`
package, refreshed by `manage.py calendar_refresh`), with a running working-day index, so "date + N" is one
lookup; this module keeps the table in memory (about 15,000 small rows) for the per-case arithmetic.

Every process sees a refreshed calendar without a restart: a refresh rewrites every row's `changed_at`, and
the copy in memory is checked against the table's latest `changed_at` (an indexed lookup, made with the
request's one read of the rule settings) at the first call of each request and of each Celery task (and,
after a refresh in this process, at the next call); a copy that no longer matches is read again. Every other
call is answered from memory, without a query. A process that serves neither (a shell, a long import) keeps
the calendar it read for as long as it runs.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from threading import Lock
from typing import Any

import holidays
from celery.signals import task_prerun
from django.core.signals import request_started
from django.db import transaction

FIRST_YEAR = 2000
YEARS_AHEAD = 10


@dataclass(frozen=True)
class _Calendar:
    first: date
    last: date
    working: list[date]  # every working day in order
    holidays: frozenset[date]
    version: datetime | None  # the table's latest changed_at when it was read


_cache: _Calendar | None = None
_check = True  # compare the copy with the table at the next call
_lock = Lock()


def bank_holidays(first_year: int, last_year: int) -> dict[date, str]:
    years = range(first_year, last_year + 1)
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=years, observed=True).items())


@transaction.atomic
def fill(last_year: int | None = None) -> int:
    """(Re)write the table from 2000 to last_year (default: this year + 10); returns the number of days."""
    from cases.models import CalendarDay

    last_year = last_year or date.today().year + YEARS_AHEAD
    names = bank_holidays(FIRST_YEAR, last_year)
    rows, index, day = [], 0, date(FIRST_YEAR, 1, 1)
    while day.year <= last_year:
        working = day.weekday() < 5 and day not in names
        index += working
        rows.append(CalendarDay(day=day, is_working=working, working_index=index, holiday=names.get(day, "")))
        day += timedelta(days=1)
    CalendarDay.objects.bulk_create(
        rows,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["is_working", "working_index", "holiday", "changed_at"],  # changed_at: auto_now
    )
    CalendarDay.objects.filter(day__gt=date(last_year, 12, 31)).delete()
    recheck()
    return len(rows)


def recheck(**signal: Any) -> None:
    """Check the copy in memory against the table at the next call (one query), and read it again if the
    table has changed since. Connected to the start of every request and every Celery task."""
    global _check
    _check = True


request_started.connect(recheck, dispatch_uid="cases.standards.calendar.recheck")
task_prerun.connect(recheck, weak=False, dispatch_uid="cases.standards.calendar.recheck")


def _version() -> datetime | None:
    """The table's latest changed_at: read with the rule settings, in the one query a request makes for its
    parameters (cases/standards/rules.py)."""
    from cases.standards.rules import snapshot

    return snapshot().calendar


def _read() -> list[tuple[date, bool, datetime]]:
    from cases.models import CalendarDay

    return list(CalendarDay.objects.order_by("day").values_list("day", "is_working", "changed_at"))


def _calendar(covering: date) -> _Calendar:
    global _cache, _check
    with _lock:
        if _cache is not None and _check:
            if _version() != _cache.version:
                _cache = None
            _check = False
        if _cache is None or covering > _cache.last:
            days = _read()
            if not days or days[-1][0] < covering:
                fill(max(covering.year, date.today().year) + YEARS_AHEAD)
                days = _read()
            _cache = _Calendar(
                first=days[0][0],
                last=days[-1][0],
                working=[d for d, working, _ in days if working],
                holidays=frozenset(d for d, working, _ in days if not working and d.weekday() < 5),
                version=max(changed for _, _, changed in days),
            )
            _check = False
        return _cache


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _calendar(day).holidays


def working_index(day: date) -> int:
    """How many working days there are up to and including day."""
    return bisect_right(_calendar(day).working, day)


def add_business_days(start: date, days: int) -> date:
    """The N-th business day after start (start is day 0)."""
    if days <= 0:
        return start
    calendar = _calendar(start + timedelta(days=days * 2 + 30))
    return calendar.working[working_index(start) + days - 1]


def business_days_between(start: date, end: date) -> int:
    """Business days after start, up to and including end (0 if end is not after start)."""
    return max(working_index(end) - working_index(start), 0) if end > start else 0

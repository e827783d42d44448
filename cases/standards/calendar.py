"""Business days: Monday to Friday, less England & Wales bank holidays (Wales uses the same list).

"Within N business days of X" is on or before the N-th business day after X; X itself is day 0 whether or
not it is a business day (DOMAIN.md). The ledger (issue 7) moves this onto an indexed calendar table.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year, observed=True))


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The N-th business day after start (start is day 0)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after start, up to and including end (0 if end is not after start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count

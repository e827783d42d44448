"""Calendar-month arithmetic: a day that does not exist in the target month falls back to its last day."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """31 August + 6 months is 28 (or 29) February (DOMAIN.md, National Standards)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))

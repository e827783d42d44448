"""The "Recorded late" tag beside a fact on the case pages (DOMAIN.md, "Dates people enter"): one helper and one
include for every fact with an entered date (contacts, warnings, breaches, recalls, plans and their reviews,
transfers, allocations, ends and releases)."""

from datetime import date, datetime

from django import template
from django.template.loader import render_to_string

from cases import entered_dates
from cases.standards import rules

register = template.Library()


@register.simple_tag
def recorded_late(happened: date | datetime | None, recorded: datetime | None, after: str = "") -> str:
    """Tag `happened` (the entered date) when `recorded` (the system's stamp) is more than the recorded_late
    setting's working days after it; nothing when it was not (or the stamp is not known: imported). `after`
    words the hint ("the contact", "the date of the decision"). The include is drawn only for a fact recorded
    late: a page of fifty contacts on time draws none."""
    return late_note(happened, recorded, after, None)


def late_note(happened: date | datetime | None, recorded: datetime | None, after: str, days: int | None) -> str:
    """The tag's note, for a page that draws many facts and reads the setting once (`days`; None: read here)."""
    days = _days() if days is None else days
    if not entered_dates.recorded_late(happened, recorded, days):
        return ""
    context = {"late": True, "recorded": recorded, "after": after or "the date it happened", "days": days}
    return render_to_string("cases/includes/recorded_late.html", context)


def _days() -> int:
    return rules.value("recorded_late")

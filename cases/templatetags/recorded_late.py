"""The "Recorded late" tag beside a fact on the case pages (DOMAIN.md, "Dates people enter"): one helper and one
include for every fact with an entered date (contacts, warnings, breaches, recalls, plans and their reviews,
transfers, allocations, ends and releases)."""

from datetime import date, datetime

from django import template

from cases import entered_dates
from cases.standards import rules

register = template.Library()


@register.inclusion_tag("cases/includes/recorded_late.html")
def recorded_late(happened: date | datetime | None, recorded: datetime | None, after: str = "") -> dict[str, object]:
    """Tag `happened` (the entered date) when `recorded` (the system's stamp) is more than the recorded_late
    setting's working days after it; nothing when it was not (or the stamp is not known: imported). `after`
    words the hint ("the contact", "the date of the decision")."""
    late = entered_dates.recorded_late(happened, recorded)
    return {
        "late": late,
        "recorded": recorded,
        "after": after or "the date it happened",
        "days": _days() if late else 0,
    }


def _days() -> int:
    return rules.value("recorded_late")

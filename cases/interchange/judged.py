"""Facts a file may carry that the pages would have refused: they are imported as they happened and judged by
the same rules as the pages' facts (DOMAIN.md, "Facts as they happened, judged by the rules"); import_cases
lists each as a warning with its JSON path."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import EnforcementAction, Event, Requirement
from cases.models.contact import FAILURES
from cases.standards.rules import Rule

Kind = EnforcementAction.Kind


def _day(moment: Any) -> date:
    return timezone.localtime(moment).date()


def warnings_kept(
    path: str,
    kind: str | None,
    contacts: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    requirements: list[dict[str, Any]],
    upw: dict[Any, dict[str, Decimal]],
    rules: dict[str, Rule],
) -> list[str]:
    found = []
    failure_days = sorted(
        {
            _day(c["starts_at"])
            for c in contacts
            if c["enforceable"] and c["outcome"] in FAILURES and not c["entered_in_error"] and c["starts_at"]
        }
    )

    def answered(action: dict[str, Any]) -> date | None:
        if action["failure_at"]:
            return _day(action["failure_at"])
        by = action["aware_on"] or action["on"]
        return max((d for d in failure_days if by and d <= by), default=None)

    if kind in (Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER):
        months = rules["enforcement_decision"].part("warning_period")
        warned = [(a["on"], answered(a)) for a in actions if a["kind"] == Kind.WARNING and a["on"]]
        for index, action in enumerate(actions):
            day = answered(action)
            if action["kind"] not in (Kind.WARNING, Kind.PROFESSIONAL_JUDGEMENT) or day is None:
                continue
            given = next(
                (g for g, other in warned if other != day and g <= day <= add_months(g - timedelta(days=1), months)),
                None,
            )
            if given is not None:
                found.append(
                    f"{path}.enforcement[{index}]: a {action['kind'].replace('_', ' ')} where breach was required "
                    f"(a failure within {months} months of the warning of {given:%-d %B %Y}): kept as it happened; "
                    "only a breach meets its enforcement decision clock"
                )
    ordered = sum(Decimal(r.get("hours") or 0) for r in requirements if r.get("type") == Requirement.Type.UNPAID_WORK)
    share = rules["upw_completion"].part("ete_share")
    ete = sum((session.get("ete_hours", Decimal("0")) for session in upw.values()), Decimal("0"))
    if ordered and ete > ordered * share / 100:
        found.append(
            f"{path}.upw: {ete} hours of ETE, more than {share}% of the {ordered} hours ordered: kept as they "
            f"happened; completion counts {ordered * share / 100} of them"
        )
    return found

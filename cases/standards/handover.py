"""The pre-release handover's clock, from prison to the community offender manager (COM).

COM allocation is due 8.5 months before the expected release date (standard determinate sentences) or
12 months before the parole eligibility date (parole cases); the handover meeting within 4 weeks of
COM allocation; the pre-release sentence plan before release (seed 003 recs. 1c-d and 16). 8.5 months
is taken as 8 calendar months and 15 days. Each of these periods is a parameter of the pre_release_handover
rule (rules.py), set in admin. The ledger (derive.py) opens the obligation from `com_due`; the case page
shows `handover`; custody's services record the meeting and the release.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from cases.calendar_months import add_months
from cases.models import Allocation, Event, SentencePlan
from cases.standards import rules
from cases.standards.rules import Rule


@dataclass(frozen=True)
class Handover:
    com_due: date
    com_allocated_on: date | None
    meeting_due: date | None
    meeting_on: date | None
    plan_due: date
    plan_completed_on: date | None


def com_due(event: Event, rule: Rule | None = None) -> date:
    """When the COM is due to be allocated. Given the rule (the ledger reads it once a batch), no query."""
    rule = rule or rules.current()["pre_release_handover"]
    if event.parole and event.parole_eligibility_date:
        return add_months(event.parole_eligibility_date, -rule.part("parole"))
    assert event.expected_release_date is not None
    before = add_months(event.expected_release_date, -rule.part("standard"))
    return before - timedelta(days=rule.part("standard_days"))


def handover(event: Event) -> Handover | None:
    if event.type != Event.Type.CUSTODY or event.expected_release_date is None:
        return None
    first = Allocation.objects.filter(event=event).order_by("from_date", "id").first()
    plan = SentencePlan.objects.filter(event=event, status=SentencePlan.Status.COMPLETED).first()
    rule = rules.current()["pre_release_handover"]
    return Handover(
        com_due=com_due(event, rule),
        com_allocated_on=first.from_date if first else None,
        meeting_due=rule.due(first.from_date) if first else None,
        meeting_on=event.handover_meeting_on,
        plan_due=event.expected_release_date - timedelta(days=1),
        plan_completed_on=plan.completed_on if plan else None,
    )

"""The one way a person's RoSH and tier change (Person.rosh and Person.tier hold the latest of their RiskLevel
history): used by the RoSH and tier page (cases.record) and by a RoSH assessment with its breakdown (cases.person)."""

from datetime import date

from django.utils import timezone

from cases.models import Person, RiskLevel
from regions.models import StaffMember


def risk_level_write(
    *, person: Person, rosh: str, tier: str, assessed_on: date, staff: StaffMember | None
) -> RiskLevel:
    """The one way Person.rosh and Person.tier change: a RiskLevel in their history, and the person's levels
    become it if it is the latest assessed. Called inside the caller's case_change (a RoSH assessment with its
    breakdown writes its overall level here too)."""
    level = RiskLevel.objects.create(
        person=person, rosh=rosh, tier=tier, assessed_on=assessed_on, recorded_by=staff, recorded_at=timezone.now()
    )
    latest = person.risk_levels.order_by("-assessed_on", "-id").first()
    if latest == level:
        Person.objects.filter(pk=person.pk).update(rosh=rosh, tier=tier)
        person.rosh, person.tier = rosh, tier
    return level

"""Reads for the page that manages who may see a case."""

from django.db.models import QuerySet

from cases.access import User, visible_people
from cases.models import AccessRule, Person
from regions.models import StaffMember


def rules_of(person: Person) -> QuerySet[AccessRule]:
    """The case's restriction and exclusion lists, each in name order."""
    return AccessRule.objects.filter(person=person).select_related("staff").order_by("kind", "staff__name", "id")


def staff_by_code(code: str) -> StaffMember | None:
    return StaffMember.objects.filter(code=code.strip().upper()).first()


def still_visible(user: User, person: Person) -> bool:
    return visible_people(user).filter(pk=person.pk).exists()

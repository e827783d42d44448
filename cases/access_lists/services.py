"""Who may see a case: its restriction list (only those named may see it) and exclusion list (those named may
not). Each change is one change to the case, audited; a change that would leave the person making it unable to
see the case is refused unless they confirm it (they would have to ask someone else to undo it)."""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from cases.access import visible_people
from cases.models import AccessRule, Person
from cases.unit_of_work import case_change
from regions.models import StaffMember

LOSES_SIGHT = "loses_sight"


def _keep_sight(person: Person, user: User | AnonymousUser, confirmed: bool, what: str) -> None:
    """Checked after the change is written, in its transaction: refusing it undoes it."""
    if not confirmed and not visible_people(user).filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "confirm": f"{what} would stop you seeing this case: only someone who can still see it could undo "
                "that. To go ahead, confirm that you understand"
            },
            code=LOSES_SIGHT,
        )


def access_rule_add(
    *,
    person: Person,
    user: User | AnonymousUser,
    kind: str,
    staff: StaffMember,
    reason: str = "",
    confirmed: bool = False,
) -> AccessRule:
    with case_change(person, user, "access.add") as change:
        listed = AccessRule.Kind(kind)
        if AccessRule.objects.filter(person=person, staff=staff, kind=listed).exists():
            raise ValidationError({"staff": f"{staff.name} is already on this case's {list_name(listed)}"})
        rule = AccessRule(person=person, staff=staff, kind=listed, reason=reason.strip())
        rule.full_clean()
        rule.save()
        _keep_sight(person, user, confirmed, f"Adding {staff.name} to the {list_name(listed)}")
        change.touches(rule, kind=kind, staff=staff.code)
        return rule


def access_rule_remove(
    *, person: Person, user: User | AnonymousUser, rule_id: int, confirmed: bool = False
) -> AccessRule:
    with case_change(person, user, "access.remove") as change:
        rule = AccessRule.objects.select_for_update().select_related("staff").filter(pk=rule_id, person=person).first()
        if rule is None:
            raise ValidationError("That entry has already been removed from the case's lists")
        listed = AccessRule.Kind(rule.kind)
        change.note(kind=rule.kind, staff=rule.staff.code, rule=rule.pk)
        rule.delete()
        _keep_sight(person, user, confirmed, f"Removing {rule.staff.name} from the {list_name(listed)}")
        return rule


def list_name(kind: str) -> str:
    return "restriction list" if kind == AccessRule.Kind.RESTRICTION else "exclusion list"

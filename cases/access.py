"""Who may see and change which case: the one helper every case view uses.

Any staff member may find and read any case, except limited-access ones: a restricted case only by the
staff named on its restriction list, an excluded one by anyone but the staff named on its exclusion list.
Everyone else sees only that the case exists and whom to ask. Writing is for the event's Responsible
Officer and the SPOs and PDU heads of the event's PDU. Case pages ask through cases.case_pages.case_page.

Above the case: an officer's lists and workload are theirs and their PDU's managers' (may_see_officer), a
team's dashboard is its PDU's managers' (manages_pdu_of), and a unit's performance its own line of
management's (may_see_performance).
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from cases.models import AccessRule, Allocation, Event, Person
from probation.roles import Role, roles_of
from regions.models import StaffMember

User = AbstractBaseUser | AnonymousUser


def staff_of(user: User) -> StaffMember | None:
    """The user's staff record, or none once they have left: a leaver has no access to anything."""
    staff = getattr(user, "staff", None) if user.is_authenticated and user.is_active else None
    return staff if staff is not None and staff.active else None


def limited_for(user: User) -> Q:
    """A filter on Person matching the cases this user may NOT see in full."""
    staff = staff_of(user)
    return limited_for_staff(staff.pk if staff else None)


def limited_for_staff(staff_id: int | None) -> Q:
    """limited_for() by the user's staff id (None: no staff record), for a statement compiled once for any staff
    member (case_pages)."""
    restricted = AccessRule.objects.filter(person=OuterRef("pk"), kind=AccessRule.Kind.RESTRICTION)
    allowed = restricted.filter(staff_id=staff_id) if staff_id is not None else restricted.none()
    excluded = AccessRule.objects.filter(person=OuterRef("pk"), kind=AccessRule.Kind.EXCLUSION, staff_id=staff_id)
    limited = Q(Exists(restricted)) & ~Q(Exists(allowed))
    return limited | Q(Exists(excluded)) if staff_id is not None else limited


def visible_people(user: User) -> QuerySet[Person]:
    """People whose record this user may read in full."""
    if not user.is_authenticated or not roles_of(user):
        return Person.objects.none()
    return Person.objects.exclude(limited_for(user))


def acting_as(user: User) -> tuple[int | None, int | None]:
    """What of the user decides which cases they may change: their staff id (None: no staff record, or they have
    left) and the PDU they manage as an SPO or PDU head (None if they manage none)."""
    staff = staff_of(user)
    if staff is None:
        return None, None
    managing = roles_of(user) & {Role.SPO, Role.PDU_HEAD}
    return staff.pk, staff.pdu_id if managing and staff.pdu_id else None


def _events_held_or_managed(user: User) -> QuerySet[Event]:
    """Active events this user holds as their RO, or manages as an SPO or PDU head of the event's PDU, whoever
    may read the case: writable_events() less the reading."""
    return held_or_managed(*acting_as(user))


def held_or_managed(staff_id: int | None, managed_pdu_id: int | None) -> QuerySet[Event]:
    """_events_held_or_managed() by what acting_as() gives."""
    if staff_id is None:
        return Event.objects.none()
    as_ro = Q(Exists(Allocation.objects.current().filter(event=OuterRef("pk"), staff_id=staff_id)))
    may = as_ro | Q(pdu_id=managed_pdu_id) if managed_pdu_id else as_ro
    return Event.objects.active().filter(may)


def writable_events(user: User) -> QuerySet[Event]:
    """Active events this user may change: as their RO, or as an SPO or PDU head of the event's PDU."""
    return _events_held_or_managed(user).filter(person__in=visible_people(user))


def writable_events_of(staff_id: int | None, managed_pdu_id: int | None) -> QuerySet[Event]:
    """writable_events() by what acting_as() gives, for a user known to have a role (a case page's)."""
    visible = Person.objects.exclude(limited_for_staff(staff_id))
    return held_or_managed(staff_id, managed_pdu_id).filter(person__in=visible)


def people_with_rights(user: User, *, changing: bool = False) -> QuerySet[Person]:
    """People, each with what this user may do to their case, read in the same query as the row: `limited`
    (the user may not read the case in full) and, when changing, `has_writable_event` (an active event of
    theirs the user may change: one they hold or manage, on a case they are not limited from, the row's own
    `limited` standing for writable_events()'s reading). may_change_case() is the same rule, asked of one
    person afterwards."""
    return people_with_rights_of(*acting_as(user), changing=changing)


def people_with_rights_of(staff_id: int | None, managed_pdu_id: int | None, *, changing: bool) -> QuerySet[Person]:
    """people_with_rights() by what acting_as() gives."""
    limited = ExpressionWrapper(limited_for_staff(staff_id), output_field=BooleanField())
    people = Person.objects.annotate(limited=limited)
    if changing:
        held = Exists(held_or_managed(staff_id, managed_pdu_id).filter(person=OuterRef("pk")))
        people = people.annotate(has_writable_event=ExpressionWrapper(Q(held) & Q(limited=False), BooleanField()))
    return people


@dataclass(frozen=True)
class CaseAccess:
    person: Person
    can_read: bool

    @property
    def is_limited(self) -> bool:
        return not self.can_read


def case_access(user: User, person: Person) -> CaseAccess:
    return CaseAccess(person=person, can_read=visible_people(user).filter(pk=person.pk).exists())


def may_see_audit(user: User, person: Person, can_read: bool | None = None) -> bool:
    """Administrators, and heads of the case's PDU who may read the case itself, may read its audit trail.
    `can_read` is whether the user may read the case, when the caller already knows."""
    roles = roles_of(user)
    if Role.ADMIN in roles:
        return True
    staff = staff_of(user)
    in_pdu = Role.PDU_HEAD in roles and staff is not None and staff.pdu_id == person.pdu_id
    return in_pdu and (case_access(user, person).can_read if can_read is None else can_read)


def staff_who_may_see(person: Person) -> Q:
    """A filter on StaffMember: those allowed to read this person's case (for choosing a new RO)."""
    rules = AccessRule.objects.filter(person=person)
    allowed = ~Q(pk__in=rules.filter(kind=AccessRule.Kind.EXCLUSION).values("staff"))
    restricted = rules.filter(kind=AccessRule.Kind.RESTRICTION)
    if restricted.exists():
        allowed &= Q(pk__in=restricted.values("staff"))
    return allowed


def officer_in_view(user: User, code: str | None) -> StaffMember | None:
    """Whose list a page shows: the user's own or, given an officer's code (the team dashboard's links),
    that officer's, for an SPO or PDU head of the officer's PDU."""
    own = staff_of(user)
    if not code or (own is not None and own.code == code.upper()):
        return own
    other = StaffMember.objects.filter(code=code.upper()).first()
    if other is None:
        raise Http404("No such officer")
    if not may_see_officer(user, other):
        raise PermissionDenied("Only SPOs and heads of the officer's PDU may see their lists")
    return other


def manages_pdu_of(user: User, pdu_id: int) -> bool:
    """An SPO or PDU head of this PDU (who sees its teams' dashboards and its officers' lists)."""
    staff = staff_of(user)
    return bool(roles_of(user) & {Role.SPO, Role.PDU_HEAD}) and staff is not None and staff.pdu_id == pdu_id


def may_see_officer(user: User, officer: StaffMember) -> bool:
    """An officer's lists and workload: theirs, and the SPOs' and heads' of their PDU."""
    own = staff_of(user)
    if own is not None and own.pk == officer.pk:
        return True
    return officer.pdu_id is not None and manages_pdu_of(user, officer.pdu_id)


def may_see_performance(user: User, region_id: int | None = None, pdu_id: int | None = None) -> bool:
    """The performance of a unit, given by its region and PDU (neither: national): national staff see all;
    a regional director their region, and each PDU, team and officer in it; a PDU head their PDU, and its
    teams and officers. The cases behind a number are then only those the user may read (visible_people)."""
    roles, staff = roles_of(user), staff_of(user)
    if Role.NATIONAL in roles:
        return True
    if staff is None or region_id is None:
        return False
    director = Role.REGIONAL_DIRECTOR in roles and staff.region_id == region_id
    head = Role.PDU_HEAD in roles and pdu_id is not None and staff.pdu_id == pdu_id
    return director or head


def may_change_as_read(user: User, person: Person) -> bool:
    """may_change_case(), answered from the facts read with the person by people_with_rights(user, changing=True)
    (a case page's person, with `rights=True`), so a page deciding which links to show asks no query. A change
    itself is still checked by may_change_case() in the service that makes it, inside its unit of work."""
    limited, holds_an_event = getattr(person, "limited", None), getattr(person, "has_writable_event", None)
    if limited is None or holds_an_event is None:
        return may_change_case(user, person)
    return not limited and (holds_an_event or manages_pdu_of(user, person.pdu_id))


def may_change_case(user: User, person: Person) -> bool:
    """May add to this person's record: their RO on an active event, or a manager of their PDU."""
    if not visible_people(user).filter(pk=person.pk).exists():
        return False
    return manages_pdu_of(user, person.pdu_id) or writable_events(user).filter(person=person).exists()

"""What the SPO needs to decide an allocation: the case, each officer's workload and what this case would do
to it, the conditions that need a recorded justification (an override), and the history of a case's
responsible officers. Everything is read in a fixed number of queries, whatever the number of officers."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet

from cases.access import limited_for, staff_who_may_see
from cases.models import Address, Allocation, Contact, Event, Person, Registration, Requirement
from cases.models.person import Rosh
from regions.models import StaffMember, WorkloadWeight
from regions.workload import KIND_OF_SENTENCE, Workload, available_points, capacity_percent, weights, workloads

# Grades that hold a caseload. SPOs and everyone above them do not: they are never offered as "most room".
CASELOAD_GRADES = (StaffMember.Grade.PO, StaffMember.Grade.PSO)
# Who may be chosen as a case's responsible officer: the caseload grades, and SPOs (who may hold a case).
ALLOCATABLE_GRADES = (*CASELOAD_GRADES, StaffMember.Grade.SPO)
HIGH_ROSH = frozenset({Rosh.HIGH, Rosh.VERY_HIGH})
# Registrations that make a case one for a probation officer, not a probation services officer.
PO_ONLY_FLAGS = (Registration.Type.CHILD_PROTECTION, Registration.Type.MAPPA)

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class CaseRisk:
    """What decides whether an allocation is an override: the case's RoSH and its current registrations (and
    its tier, which gives its points)."""

    rosh: str
    tier: str
    flags: frozenset[str]


def case_risk(person: Person) -> CaseRisk:
    """Two queries: the person's RoSH and tier, and the types of their current registrations."""
    rosh, tier = Person.objects.filter(pk=person.pk).values_list("rosh", "tier").get()
    flags = Registration.objects.filter(person_id=person.pk, ended_on__isnull=True).values_list("type", flat=True)
    return CaseRisk(rosh=rosh, tier=tier, flags=frozenset(flags))


def at_or_over_capacity(load: Workload) -> bool:
    """DOMAIN.md: "over capacity at 100%", on the exact figures. Someone with no hours available (their
    reductions take all of them) has no room at all."""
    available = available_points(load.staff.contracted_hours, load.reduction_hours)
    return available <= 0 or load.points >= available


def override_conditions(staff: StaffMember, load: Workload, risk: CaseRisk) -> list[str]:
    """The conditions under which allocating this case to this officer needs a recorded justification."""
    conditions = []
    if staff.grade == StaffMember.Grade.PSO:
        if risk.rosh in HIGH_ROSH:
            conditions.append(f"{Rosh(risk.rosh).label} RoSH case to a probation services officer")
        for flag in PO_ONLY_FLAGS:
            if flag in risk.flags:
                conditions.append(f"{flag.label} registration, to a probation services officer")
    if at_or_over_capacity(load):
        capacity = "no hours available" if load.capacity is None else f"{load.capacity}%"
        conditions.append(f"Officer at or over 100% capacity ({capacity})")
    return conditions


def case_points(event: Event, tier: str, points: dict[tuple[str, str], int]) -> int:
    """The case's points in the workload model (its sentence's kind and the person's tier)."""
    kind = KIND_OF_SENTENCE.get(Event.Type(event.type), WorkloadWeight.Kind.COMMUNITY)
    return points.get((kind, tier), 0)


@dataclass
class OfficerOption:
    """One officer the case may be allocated to, with what the SPO needs to choose."""

    load: Workload
    case_points: int
    conditions: list[str] = field(default_factory=list)
    recommended: bool = False

    @property
    def staff(self) -> StaffMember:
        return self.load.staff

    @property
    def holds_caseload(self) -> bool:
        return self.staff.grade in CASELOAD_GRADES

    @property
    def _available(self) -> Decimal:
        return available_points(self.staff.contracted_hours, self.load.reduction_hours)

    @property
    def capacity_after(self) -> int | None:
        return capacity_percent(self.load.points + self.case_points, self._available)

    @property
    def room(self) -> Decimal:
        """How full they are now, exactly (no hours available: as full as can be)."""
        available = self._available
        return Decimal(self.load.points) / available if available > 0 else Decimal("Infinity")

    @property
    def impact(self) -> str:
        if self.load.capacity is None or self.capacity_after is None:
            return "They have no hours available for casework"
        return f"This will take their workload from {self.load.capacity}% to {self.capacity_after}%"


def allocatable_officers(event: Event, person: Person, exclude: int | None = None) -> QuerySet[StaffMember]:
    """Active staff of the event's PDU who may hold it and may see the case, less the current RO."""
    officers = StaffMember.objects.active().filter(staff_who_may_see(person), pdu_id=event.pdu_id)
    officers = officers.filter(grade__in=ALLOCATABLE_GRADES).select_related("team").order_by("name")
    return officers.exclude(pk=exclude) if exclude is not None else officers


def officer_options(event: Event, person: Person, officers: list[StaffMember], on: date) -> list[OfficerOption]:
    """Each officer with their workload, this case's impact on it and any override condition, in the order
    they are offered: staff who hold a caseload needing no justification, most room first (the first of them
    recommended), then those needing one, then staff who hold no caseload (SPOs), by name."""
    risk = case_risk(person)
    points = case_points(event, risk.tier, weights())
    loads = workloads(officers, on)
    options = [
        OfficerOption(load=load, case_points=points, conditions=override_conditions(load.staff, load, risk))
        for load in loads.values()
    ]
    options.sort(key=_offered)
    first = options[0] if options else None
    if first is not None and first.holds_caseload and not first.conditions:
        first.recommended = True
    return options


def _offered(option: OfficerOption) -> tuple[int, Decimal, str]:
    if not option.holds_caseload:
        return (2, Decimal(0), option.staff.name)
    return (1 if option.conditions else 0, option.room, option.staff.name)


def officers_by_room(officers: list[StaffMember], on: date) -> list[OfficerOption]:
    """Officers with their workloads, staff who hold a caseload first, most room first, then the others."""
    options = [OfficerOption(load=load, case_points=0) for load in workloads(officers, on).values()]
    return sorted(options, key=_offered)


def conditions_for(event: Event, staff: StaffMember, on: date) -> list[str]:
    """The override conditions of allocating this event to this officer, as the service checks them."""
    load = workloads([staff], on)[staff.pk]
    return override_conditions(staff, load, case_risk(event.person))


@dataclass
class CaseSummary:
    person: Person
    event: Event
    flags: list[Registration]
    address: Address | None
    requirements: list[Requirement]
    initial_appointment: Contact | None
    extra: dict[str, Any] = field(default_factory=dict)


def case_summary(event: Event) -> CaseSummary:
    """The case as the SPO sees it when allocating: five queries."""
    person = (
        Person.objects.prefetch_related(
            Prefetch(
                "registrations",
                queryset=Registration.objects.filter(ended_on__isnull=True).order_by("type", "-from_date"),
                to_attr="current_flags",
            ),
            Prefetch("addresses", queryset=Address.objects.filter(to_date__isnull=True), to_attr="current_addresses"),
        )
        .filter(pk=event.person.pk)
        .get()
    )
    requirements = list(event.requirements.filter(terminated_on__isnull=True).order_by("id"))
    initial = (
        Contact.objects.filter(event=event, type__code="initial_appointment", entered_in_error=False)
        .select_related("staff", "type")
        .order_by("starts_at", "id")
        .first()
    )
    addresses: list[Address] = person.current_addresses
    return CaseSummary(
        person=person,
        event=event,
        flags=person.current_flags,
        address=addresses[0] if addresses else None,
        requirements=requirements,
        initial_appointment=initial,
    )


def history(event: Event) -> QuerySet[Allocation]:
    """The event's responsible officers, latest first, with who allocated each and why: one query."""
    return (
        Allocation.objects.filter(event=event)
        .select_related("staff", "staff__team", "allocated_by")
        .order_by("-from_date", "-id")
    )


def overrides_in_pdu(pdu_id: int, user: User) -> QuerySet[Allocation]:
    """Allocations made against the rule to the PDU's staff, latest first: each says whether the viewer may
    not read the case (`limited`), in the same query."""
    limited = Exists(Person.objects.filter(pk=OuterRef("event__person_id")).filter(limited_for(user)))
    return (
        Allocation.objects.filter(override=True, staff__pdu_id=pdu_id)
        .select_related("event__person", "staff", "staff__team", "allocated_by")
        .annotate(limited=ExpressionWrapper(Q(limited), output_field=BooleanField()))
        .order_by("-override_at", "-id")
    )

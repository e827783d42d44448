"""Workload: points per case and court report, available points and capacity (shared/DOMAIN.md, "Workload").

An officer's available points = 2,176 x (contracted hours / 37) x ((hours - reduction hours) / hours);
capacity % = points / available points x 100. Everything is read as at a date, for many officers at once,
in a fixed number of queries: the dashboard asks for today, the monthly history for each month's end.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from cases.models import Allocation, CourtReport, Event, Obligation
from regions.models import CapacitySnapshot, Reduction, StaffMember, WorkloadWeight

FULL_TIME_HOURS = Decimal("37")
FULL_TIME_POINTS = Decimal("2176")
KIND_OF_SENTENCE = {
    Event.Type.COMMUNITY_ORDER: WorkloadWeight.Kind.COMMUNITY,
    Event.Type.SUSPENDED_SENTENCE_ORDER: WorkloadWeight.Kind.COMMUNITY,
    Event.Type.LICENCE: WorkloadWeight.Kind.LICENCE,
    Event.Type.PSS: WorkloadWeight.Kind.LICENCE,
    Event.Type.CUSTODY: WorkloadWeight.Kind.CUSTODY,
}
CASEWORK_GRADES = [StaffMember.Grade.PO, StaffMember.Grade.PSO, StaffMember.Grade.SPO]


def breakdown(cases_by_type: dict[str, int]) -> list[tuple[str, str, int]]:
    """(sentence type, its name, how many), in the order the sentence types are listed."""
    return [(code, label, cases_by_type[code]) for code, label in Event.Type.choices if cases_by_type.get(code)]


def available_points(contracted_hours: Decimal, reduction_hours: Decimal) -> Decimal:
    hours = Decimal(contracted_hours)
    reduction = min(Decimal(reduction_hours), hours)
    return FULL_TIME_POINTS * (hours / FULL_TIME_HOURS) * ((hours - reduction) / hours)


def capacity_percent(points: int, available: Decimal) -> int | None:
    return round(Decimal(points) / available * 100) if available > 0 else None


@dataclass
class Workload:
    staff: StaffMember
    cases_by_type: dict[str, int] = field(default_factory=dict)
    court_reports: int = 0
    points: int = 0
    reduction_hours: Decimal = Decimal("0")
    allocated_last_7_days: int = 0

    @property
    def cases(self) -> int:
        return sum(self.cases_by_type.values())

    @property
    def by_type(self) -> list[tuple[str, str, int]]:
        return breakdown(self.cases_by_type)

    @property
    def available_points(self) -> int:
        return round(available_points(self.staff.contracted_hours, self.reduction_hours))

    @property
    def capacity(self) -> int | None:
        return capacity_percent(self.points, available_points(self.staff.contracted_hours, self.reduction_hours))

    @property
    def over_capacity(self) -> bool:
        """At or over 100% (DOMAIN.md: "over capacity at 100%"), on the exact figures, not the rounded ones."""
        return self.points > 0 and self.points >= available_points(self.staff.contracted_hours, self.reduction_hours)


def held_on(on: date) -> Q:
    """Allocations in force on a date, of events running on it."""
    return (
        Q(from_date__lte=on)
        & (Q(to_date__isnull=True) | Q(to_date__gte=on))
        & (Q(event__terminated_on__isnull=True) | Q(event__terminated_on__gt=on))
    )


def weights() -> dict[tuple[str, str], int]:
    return {(w.kind, w.tier): w.points for w in WorkloadWeight.objects.all()}


def workloads(staff: list[StaffMember], on: date) -> dict[int, Workload]:
    """Each officer's workload on a date: five queries, whatever their caseloads."""
    reads = workload_reads([s.pk for s in staff], on, on - timedelta(days=7))
    return workloads_from(staff, {name: list(rows) for name, rows in reads.items()})


def workload_reads(staff: list[int] | QuerySet[Any], on: date, week_before: date) -> dict[str, QuerySet[Any]]:
    """What workloads_from() counts, for officers given by their ids or by a subquery of them (a team's, for a
    statement compiled once: regions/dashboard/selectors.py), on a date and since the week before it."""
    return {
        "weights": WorkloadWeight.objects.values("kind", "tier", "points").order_by(),
        "held": Allocation.objects.filter(held_on(on), staff_id__in=staff)
        .values("staff_id", "event__type", "event__person__tier")
        .annotate(n=Count("id"))
        .order_by(),
        "reports": CourtReport.objects.filter(
            Q(completed_on__isnull=True) | Q(completed_on__gt=on), requested_on__lte=on
        )
        .filter(staff_id__in=staff)
        .values("staff_id", "kind")
        .annotate(n=Count("id"))
        .order_by(),
        "reductions": _reductions(on).filter(staff_id__in=staff),
        "recent": Allocation.objects.filter(staff_id__in=staff, from_date__gt=week_before, from_date__lte=on)
        .values("staff_id")
        .annotate(n=Count("id"))
        .order_by(),
    }


def workloads_from(staff: list[StaffMember], read: dict[str, list[dict[str, Any]]]) -> dict[int, Workload]:
    """The officers' workloads from the rows of workload_reads()."""
    result = {s.pk: Workload(staff=s) for s in staff}
    points = {(w["kind"], w["tier"]): w["points"] for w in read["weights"]}
    for row in read["held"]:
        load, sentence, n = result[row["staff_id"]], row["event__type"], row["n"]
        load.cases_by_type[sentence] = load.cases_by_type.get(sentence, 0) + n
        load.points += n * points.get((KIND_OF_SENTENCE[sentence], row["event__person__tier"]), 0)
    for row in read["reports"]:
        load, n = result[row["staff_id"]], row["n"]
        load.court_reports += n
        load.points += n * points.get((WorkloadWeight.Kind.COURT_REPORT, row["kind"]), 0)
    for row in read["reductions"]:
        result[row["staff_id"]].reduction_hours = row["hours"]
    for row in read["recent"]:
        result[row["staff_id"]].allocated_last_7_days = row["n"]
    return result


def reductions_on(ids: list[int] | None, on: date) -> dict[int, Decimal]:
    rows = _reductions(on)
    if ids is not None:
        rows = rows.filter(staff_id__in=ids)
    return {row["staff_id"]: row["hours"] for row in rows}


def _reductions(on: date) -> QuerySet[Any]:
    """Each officer's hours of reductions in force on a date."""
    rows = Reduction.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)
    return rows.values("staff_id").annotate(hours=Sum("hours")).order_by()


def caseworker_staff(**where: object) -> QuerySet[StaffMember]:
    """The active officers, PSOs and SPOs who hold cases, where `where` says."""
    return StaffMember.objects.active().filter(grade__in=CASEWORK_GRADES, **where)


def caseworkers(**where: object) -> list[StaffMember]:
    return list(caseworker_staff(**where).select_related("team").order_by("name"))


def overdue_on(on: date) -> Q:
    """National Standards items past their due date and not met, void or missed (closed unmet: history, not work)
    by the end of a date."""
    return (
        Q(starts_on__lte=on, due_on__lt=on)
        & (Q(met_on__isnull=True) | Q(met_on__gt=on))
        & (Q(void_on__isnull=True) | Q(void_on__gt=on))
        & (Q(missed_on__isnull=True) | Q(missed_on__gt=on))
    )


def snapshot(month: date, on: date | None = None) -> int:
    """Write every caseworker's workload at the end of a month (or on a date within it, for the month in
    progress): a fixed number of set-based queries. Running it twice writes the same rows."""
    month = month.replace(day=1)
    on = on or (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    staff = list(StaffMember.objects.active().filter(grade__in=CASEWORK_GRADES, team__isnull=False))
    loads = workloads(staff, on)
    overdue = dict(
        Obligation.objects.filter(overdue_on(on), officer__isnull=False)
        .values_list("officer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        CapacitySnapshot(
            staff=load.staff,
            team_id=load.staff.team_id,
            month=month,
            cases=load.cases,
            points=load.points,
            available_points=load.available_points,
            overdue=overdue.get(load.staff.pk, 0),
        )
        for load in loads.values()
    ]
    CapacitySnapshot.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["staff", "month"],
        update_fields=["team", "cases", "points", "available_points", "overdue"],
    )
    return len(rows)


def backfill(months: int, today: date) -> None:
    """The last `months` month ends and the month in progress, from the facts as they stand."""
    first = today.replace(day=1)
    for back in range(months, 0, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        snapshot(date(year, month + 1, 1))
    snapshot(first, on=today)


def history_since(months: int, today: date) -> date:
    """The first day of the month `months` months back, counting this one."""
    first = today.replace(day=1)
    year, month = divmod(first.year * 12 + first.month - 1 - (months - 1), 12)
    return date(year, month + 1, 1)


def history_rows(team_ids: list[int], since: date) -> QuerySet[Any]:
    """The teams' points, available points and overdue items summed by month from a month on, oldest first (one
    query; capacity_by_month() adds each month's capacity)."""
    return (
        CapacitySnapshot.objects.filter(team_id__in=team_ids, month__gte=since)
        .values("month")
        .annotate(points=Sum("points"), available=Sum("available_points"), overdue=Sum("overdue"), cases=Sum("cases"))
        .order_by("month")
    )


def capacity_by_month(rows: Iterable[dict[str, Any]]) -> list[dict[str, object]]:
    """history_rows() with each month's capacity % and whether it was over capacity."""
    history = []
    for row in rows:
        capacity = capacity_percent(row["points"], Decimal(row["available"] or 0))
        over = row["points"] > 0 and row["points"] >= (row["available"] or 0)
        history.append({**row, "capacity": capacity, "over": over})
    return history

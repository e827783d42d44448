"""The monthly rollups: the nightly job stores every measure's counts per month (`PerformanceRollup`), and the
pages read those months, so a national year is a sum over a few thousand rows, not tens of millions; plus
the targets in force and kpi_report's rows (counted live)."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, connections, router, transaction
from django.db.models import Min, Sum
from django.utils import timezone

from cases.models import KpiTarget, PerformanceRollup, PerformanceStale
from probation.db_router import reads_from_caught_up_replica
from regions.models import PDU, Team
from regions.performance.counting import count, count_after_sweep_on, swept_on
from regions.performance.measures import DEFAULT_TARGET, MEASURES, Figures


def month_starts(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def refresh(months: list[date]) -> int:
    """Recount the given months (each in one transaction): idempotent, set-based per measure. Each PDU's count
    is stored whole (pdu_total) and split by its teams, with one row (team empty) for what no team of the PDU
    holds (unallocated cases, staff without a team, a team elsewhere), so a PDU's teams always add up to it.
    A month's stale mark is cleared as its recount begins."""
    written = 0
    now = timezone.now()
    team_pdu = dict(Team.objects.values_list("pk", "pdu_id"))
    for month in months:
        # The mark goes first, in its own commit: a change committed after this is marked again (and counted
        # next run); one committed before it is seen by the count below.
        PerformanceStale.objects.filter(month=month).delete()
        # Counted on the replica once it has replayed everything committed so far (the mark's delete included),
        # so it sees every change the mark stood for; on the primary when it has not within a few seconds.
        with reads_from_caught_up_replica():
            rows = count(month, month_end(month))
        merged: dict[tuple[str, int, int | None], list[int]] = defaultdict(lambda: [0, 0])
        totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        for measure, pdu, team, numerator, denominator in rows:
            held_by = team if team is not None and team_pdu.get(team) == pdu else None
            merged[(measure, pdu, held_by)][0] += numerator
            merged[(measure, pdu, held_by)][1] += denominator
            totals[(measure, pdu)][0] += numerator
            totals[(measure, pdu)][1] += denominator
        with transaction.atomic():
            PerformanceRollup.objects.filter(month=month).delete()
            PerformanceRollup.objects.bulk_create(
                [
                    PerformanceRollup(
                        month=month, measure=m, pdu_id=p, team_id=t, numerator=n, denominator=d, refreshed_at=now
                    )
                    for (m, p, t), (n, d) in merged.items()
                ]
                + [
                    PerformanceRollup(
                        month=month, measure=m, pdu_id=p, pdu_total=True, numerator=n, denominator=d, refreshed_at=now
                    )
                    for (m, p), (n, d) in totals.items()
                ],
                batch_size=5000,
            )
        written += len(merged) + len(totals)
    return written


RECOUNT_LOCK = 7_420_019  # the PostgreSQL advisory lock of the frequent recount


def recount_stale() -> int:
    """The frequent job: recount only the months a change to a case marked stale (cases/stale_counts.py), each
    whole and set-based like the nightly recount, so incremental and full recounts store identical rows.
    Idempotent; skipped (0) while another recount holds the lock. A mark made during the recount survives
    it (each month's mark is cleared before that month is counted), so the next run picks it up."""
    locking = connection.vendor == "postgresql"
    if locking:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [RECOUNT_LOCK])
            if not cursor.fetchone()[0]:
                return 0
    try:
        months = sorted(PerformanceStale.objects.values_list("month", flat=True))
        return refresh(months) if months else 0
    finally:
        if locking:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RECOUNT_LOCK])


def last_refreshed() -> datetime | None:
    latest = PerformanceRollup.objects.order_by("-refreshed_at").values_list("refreshed_at", flat=True).first()
    return latest


# The oldest recount of the months shown: a probe a month of the index (month, refreshed_at) (migration cases 0031),
# where MIN() over the months read every row of them (25 ms nationally).
OLDEST_RECOUNT_SQL = """
    SELECT min((SELECT r.refreshed_at FROM cases_performancerollup r WHERE r.month = m::date
                ORDER BY r.refreshed_at LIMIT 1))
    FROM generate_series(%s::date, %s::date, interval '1 month') AS m
"""


def counted_at(first_month: date, last_month: date) -> tuple[datetime | None, bool]:
    """When the counts of these months were taken (the oldest month's recount), and whether a change since
    waits for the frequent recount (two queries)."""
    months = [month for month in month_starts(first_month, last_month) if month >= first_month]
    if not months:
        oldest = None
    elif connections[alias := router.db_for_read(PerformanceRollup)].vendor == "postgresql":  # the replica too
        with connections[alias].cursor() as cursor:
            cursor.execute(OLDEST_RECOUNT_SQL, [months[0], months[-1]])
            oldest = cursor.fetchone()[0]
    else:  # the SQLite quick-start: a few rows
        oldest = PerformanceRollup.objects.filter(month__in=months).aggregate(at=Min("refreshed_at"))["at"]
    waiting = PerformanceStale.objects.filter(month__gte=first_month, month__lte=last_month).exists()
    return oldest, waiting


LEVELS = {"national": None, "region": "pdu__region_id", "pdu": "pdu_id", "team": "team_id"}


def figures(first_month: date, last_month: date, level: str, **within: object) -> Figures:
    """Counts per unit at a level (national, region, pdu, team) and measure, for whole months, from the
    rollups: {unit id: {measure: (numerator, denominator)}} (one query)."""
    group = LEVELS[level]
    rows = PerformanceRollup.objects.filter(
        month__gte=first_month, month__lte=last_month, pdu_total=level != "team", **within
    )
    fields = [group, "measure"] if group else ["measure"]
    result: Figures = defaultdict(dict)
    for row in rows.values(*fields).annotate(n=Sum("numerator"), d=Sum("denominator")).order_by():
        result[row[group] if group else None][row["measure"]] = (row["n"], row["d"])
    return result


def targets(on: date) -> dict[str, float | None]:
    """Each measure's target in force on a date: 90% for a share where none is set; none for a count."""
    found: dict[str, float] = {}
    in_force = KpiTarget.objects.filter(effective_from__lte=on).order_by("measure", "-effective_from")
    for measure, target in in_force.values_list("measure", "target"):
        found.setdefault(measure, float(target))
    default = {
        name: DEFAULT_TARGET if m.unit == "rate" and m.higher_is_better else None for name, m in MEASURES.items()
    }
    return default | found


def report(start: date, end: date, region: str | None = None) -> list[dict[str, object]]:
    """kpi_report's rows (INTERCHANGE.md): every PDU, region and the nation on every measure, live, as the ledger
    holds them after the sweep on the later of `end` (--to) and today. Given a region, its PDUs, itself and the
    nation."""
    by_pdu = {p.pk: p for p in PDU.objects.select_related("region").order_by("region__code", "code")}
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for measure, pdu_id, _team, numerator, denominator in count_after_sweep_on(start, end, swept_on(end)):
        pdu = by_pdu.get(pdu_id)
        if pdu is None:
            continue
        for key in (("pdu", pdu.code), ("region", pdu.region.code), ("national", "national")):
            totals[(key[0], key[1], measure)][0] += numerator
            totals[(key[0], key[1], measure)][1] += denominator
    shown = [p for p in by_pdu.values() if region is None or p.region.code == region]
    scopes = [("pdu", p.code) for p in shown]
    scopes += [*sorted({("region", p.region.code) for p in shown}), ("national", "national")]
    rows = []
    for scope, code in scopes:
        for measure in MEASURES:
            numerator, denominator = totals.get((scope, code, measure), [0, 0])
            rate = round(numerator / denominator, 4) if denominator else None
            rows.append(
                {
                    "scope": scope,
                    "code": code,
                    "measure": measure,
                    "numerator": numerator,
                    "denominator": denominator,
                    "rate": rate,
                }
            )
    return rows

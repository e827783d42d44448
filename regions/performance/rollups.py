"""The monthly rollups: the nightly job stores every measure's counts per month (`PerformanceRollup`), and the
pages read those months, so a national year is a sum over a few thousand rows, not tens of millions; plus
the targets in force and kpi_report's rows (counted live)."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cases.models import KpiTarget, PerformanceRollup
from regions.models import PDU
from regions.performance.counting import count
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
    """Recount the given months (each in one transaction): idempotent, set-based per measure."""
    written = 0
    now = timezone.now()
    for month in months:
        rows = count(month, month_end(month))
        merged: dict[tuple[str, int, int | None], list[int]] = defaultdict(lambda: [0, 0])
        totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        for measure, pdu, team, numerator, denominator in rows:
            if team is not None:
                merged[(measure, pdu, team)][0] += numerator
                merged[(measure, pdu, team)][1] += denominator
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


def last_refreshed() -> datetime | None:
    latest = PerformanceRollup.objects.order_by("-refreshed_at").values_list("refreshed_at", flat=True).first()
    return latest


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
    """kpi_report's rows (INTERCHANGE.md): every PDU, region and the nation on every measure, live. Given a
    region, its PDUs, itself and the nation."""
    by_pdu = {p.pk: p for p in PDU.objects.select_related("region").order_by("region__code", "code")}
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for measure, pdu_id, _team, numerator, denominator in count(start, end):
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

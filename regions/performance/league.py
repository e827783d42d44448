"""The league tables: periods of whole months, each unit on a measure with its counts, 95% interval, rank band
and status against target (intervals.py: fair to small units), the previous period beside it, the scope's
totals, and its month-by-month trend."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum

from cases.models import PerformanceRollup
from regions.performance.intervals import Interval, against_target, bands, poisson, wilson
from regions.performance.measures import MEASURES, RECORDED_LATE_BESIDE, Figures, Measure, recorded_late_share
from regions.performance.rollups import month_end


@dataclass(frozen=True)
class Period:
    """Whole months, first to last (both the first day of their month)."""

    first: date
    last: date

    @property
    def end(self) -> date:
        return month_end(self.last)

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def previous(self) -> "Period":
        last = (self.first - timedelta(days=1)).replace(day=1)
        return Period(_months_back(last, self.months - 1), last)

    def label(self) -> str:
        if self.months == 1:
            return f"{self.first:%B %Y}"
        return f"{self.first:%B %Y} to {self.last:%B %Y}"


def _months_back(month: date, n: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 - n, 12)
    return date(year, index + 1, 1)


SPANS = {"month": 1, "quarter": 3, "year": 12}


def period(kind: str, last: date, first: date | None = None) -> Period:
    """A month, quarter or year ending with a month, or a custom run of whole months."""
    last = last.replace(day=1)
    if kind == "custom" and first is not None and first.replace(day=1) <= last:
        return Period(first.replace(day=1), last)
    return Period(_months_back(last, SPANS.get(kind, 12) - 1), last)


@dataclass
class LeagueRow:
    unit_id: int | None  # None: the rest of the scope, held by none of its units (never in a band)
    code: str
    name: str
    numerator: int = 0
    denominator: int = 0
    value: float | None = None
    previous: float | None = None
    lag: float | None = None
    met_late: float | None = None  # of those met on time, the share met by a fact recorded late (where counted)
    interval: Interval | None = None  # the value's 95% Wilson interval, in the measure's unit
    band: int | None = None  # rank band (intervals.bands): units in one band are not told apart
    rag: str = ""  # against target, by the interval: above, within, below (intervals.against_target)
    met_late_counts: tuple[int, int] = (0, 0)  # met on time by a fact recorded late, met on time
    late_marked: bool = False  # met_late at or above the recorded_late_share setting

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


def beside_recorded_late(
    row: LeagueRow, measure: Measure, counts: dict[str, tuple[int, int]], marked_from: float
) -> None:
    """Beside a timeliness measure: of the unit's obligations met on time, the share met by a fact recorded late,
    its counts, and whether it reaches the recorded_late_share setting (the row is then marked)."""
    if measure.name not in RECORDED_LATE_BESIDE:
        return
    late, met = counts.get(RECORDED_LATE_BESIDE[measure.name], (0, 0))
    row.met_late_counts = (late, met)
    row.met_late = late / met if met else None
    row.late_marked = row.met_late is not None and row.met_late >= marked_from


def interval(measure: Measure, numerator: int, denominator: int) -> Interval | None:
    """The 95% interval of a value, in the measure's unit: a share's Wilson interval, per 100 appointments the
    share's times 100, and for changes per case-year (a count over case-days) the Poisson score interval; none
    where nothing was counted."""
    if measure.unit == "per_case_year":
        return poisson(numerator, denominator / 365.25)
    found = wilson(numerator, denominator)
    return found.scaled(100) if found is not None and measure.unit == "per_100" else found


def rag(measure: Measure, numerator: int, denominator: int, target: float | None) -> str:
    """Against the target, by the value's 95% interval: "above" (its lower bound past the target), "below" (its
    upper bound short of it) or "within"; "" without a target or counts (intervals.against_target). Targets
    are shares, so only shares are compared."""
    if measure.unit != "rate":
        return ""
    return against_target(wilson(numerator, denominator), target)


def display_interval(measure: Measure, found: Interval | None) -> str:
    """An interval as people read it: "84.1% to 93.0%"; an en dash where there is none."""
    if found is None:
        return "\u2013"
    return f"{measure.display(found.lower)} to {measure.display(found.upper)}"


def _band(measure: Measure, rows: list[LeagueRow]) -> None:
    """Rank bands (intervals.bands) over the units with a value, taken best first."""
    ranked = sorted(
        (r for r in rows if r.value is not None), key=lambda r: r.value or 0, reverse=measure.higher_is_better
    )
    for row, band in zip(ranked, bands([r.interval for r in ranked]), strict=True):
        row.band = band


def _rest(found: Figures, units: list[tuple[int, str, str]]) -> dict[str, tuple[int, int]]:
    listed = {unit_id for unit_id, _, _ in units}
    return totals_of({key: measures for key, measures in found.items() if key not in listed})


def league(
    measure: Measure,
    units: list[tuple[int, str, str]],
    now: Figures,
    before: Figures,
    target: float | None,
    rest: str = "",
) -> list[LeagueRow]:
    """Each unit on one measure: counts, value, 95% interval, rank band, RAG by the interval, the previous
    period's value and recording lag beside it, from the period's and the previous period's figures. What none
    of the units holds (a PDU's unallocated cases and staff without a team) follows as one more row named
    `rest`, never in a band, whenever it counts anything, so the rows always add up to the scope's total."""
    rows, marked_from = [], recorded_late_share()
    for unit_id, code, name in units:
        numerator, denominator = now.get(unit_id, {}).get(measure.name, (0, 0))
        row = LeagueRow(unit_id, code, name, numerator, denominator, measure.value(numerator, denominator))
        row.previous = measure.value(*before.get(unit_id, {}).get(measure.name, (0, 0)))
        row.lag = MEASURES["recording_lag"].value(*now.get(unit_id, {}).get("recording_lag", (0, 0)))
        beside_recorded_late(row, measure, now.get(unit_id, {}), marked_from)
        row.interval = interval(measure, numerator, denominator)
        row.rag = rag(measure, numerator, denominator, target)
        rows.append(row)
    _band(measure, rows)
    unheld, unheld_before = _rest(now, units), _rest(before, units)
    numerator, denominator = unheld.get(measure.name, (0, 0))
    if numerator or denominator:
        row = LeagueRow(None, "", rest or "Not held by any of these", numerator, denominator)
        row.value = measure.value(numerator, denominator)
        row.interval = interval(measure, numerator, denominator)
        row.previous = measure.value(*unheld_before.get(measure.name, (0, 0)))
        row.lag = MEASURES["recording_lag"].value(*unheld.get("recording_lag", (0, 0)))
        beside_recorded_late(row, measure, unheld, marked_from)
        rows.append(row)
    return rows


def totals_of(found: Figures) -> dict[str, tuple[int, int]]:
    """The units' figures added up: the scope's own counts."""
    summed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for measures in found.values():
        for name, (numerator, denominator) in measures.items():
            summed[name][0] += numerator
            summed[name][1] += denominator
    return {name: (n, d) for name, (n, d) in summed.items()}


def trend(measure: Measure, chosen: Period, **within: object) -> list[tuple[date, int, int, float | None]]:
    """The scope's value month by month (one query)."""
    rows = (
        PerformanceRollup.objects.filter(
            month__gte=chosen.first,
            month__lte=chosen.last,
            measure=measure.name,
            pdu_total="team" not in within,
            **within,
        )
        .values("month")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("month")
    )
    return [(row["month"], row["n"], row["d"], measure.value(row["n"], row["d"])) for row in rows]

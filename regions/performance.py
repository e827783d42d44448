"""The probation performance measures (shared/DOMAIN.md, "Performance measures"; names in INTERCHANGE.md):
one selector for the pages and `kpi_report`.

`count(start, end)` computes every measure live from the ledger and the case facts, as counts per PDU (and
team, where a measure is attributed to teams): each timeliness measure counts the obligations due in the
period as the ledger holds them on the later of the period's end and today. The nightly job stores the
same counts per month (`PerformanceRollup`), and the pages read those months, so a national year is a
sum over a few thousand rows, not tens of millions.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import (
    Allocation,
    CalendarDay,
    Contact,
    EnforcementAction,
    Event,
    KpiTarget,
    Obligation,
    Outcome,
    PerformanceRollup,
)
from cases.models.contact import SEEN
from regions.models import PDU, Team

ORDERS: list[str] = [Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER]
LICENCES: list[str] = [Event.Type.LICENCE]
RELEASES: list[str] = [Event.Type.LICENCE, Event.Type.PSS]
DEFAULT_TARGET = 0.9
LAG_BUSINESS_DAYS = 2


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    unit: str = "rate"  # rate (a share), per_100 (per 100 appointments), per_case_year (numerator per case-year)
    higher_is_better: bool = True
    by_team: bool = True

    def display(self, value: float | None, change: bool = False) -> str:
        """A value as people read it: 87.5% for a share, 7.9 per 100, 0.42 a case-year; changes signed."""
        if value is None:
            return "\u2013"  # an en dash, as the tables show a missing value
        sign = "+" if change and value > 0 else ""
        if self.unit == "rate":
            return f"{sign}{value * 100:.1f}{' points' if change else '%'}"
        if self.unit == "per_100":
            return f"{sign}{value:.1f}"
        return f"{sign}{value:.2f}"

    def value(self, numerator: int, denominator: int) -> float | None:
        if not denominator:
            return None
        if self.unit == "per_100":
            return numerator / denominator * 100
        if self.unit == "per_case_year":
            return numerator / (denominator / 365.25)
        return numerator / denominator


# A timeliness measure: its ledger rule and the sentence types it covers (None: all).
CLOCKS: dict[str, tuple[str, list[str] | None]] = {
    "initial_contact_order": ("initial_appointment", ORDERS),
    "initial_contact_licence": ("initial_appointment", LICENCES),
    "sentence_plan_order": ("initial_sentence_plan", ORDERS),
    "sentence_plan_licence": ("initial_sentence_plan", LICENCES),
    "ro_allocation": ("ro_allocation", None),
    "monthly_contact": ("monthly_contact", None),
    "home_visit": ("home_visit", None),
    "transfer_timeliness": ("transfer", None),
    "breach_timeliness": ("breach", None),
    "recall_timeliness": ("recall", None),
    "recall_review_timeliness": ("recall_review", None),
    "upw_completion": ("upw_completion", None),
}

MEASURES: dict[str, Measure] = {
    m.name: m
    for m in [
        Measure("initial_contact_order", "Initial contact: orders"),
        Measure("initial_contact_licence", "Initial contact: licences"),
        Measure("sentence_plan_order", "Sentence plan on time: orders"),
        Measure("sentence_plan_licence", "Sentence plan on time: licences"),
        Measure("ro_allocation", "Responsible officer allocated on time"),
        Measure("monthly_contact", "Monthly face-to-face contact"),
        Measure("home_visit", "Home visit on time"),
        Measure("appointments_attended", "Appointments attended"),
        Measure("acceptable_absences", "Acceptable absences per 100 appointments", "per_100", False),
        Measure("unacceptable_absences", "Unacceptable absences per 100 appointments", "per_100", False),
        Measure("breach_timeliness", "Breach initiated on time"),
        Measure("recall_timeliness", "Recall request sent on time"),
        Measure("recall_review_timeliness", "Recall review on time"),
        Measure("transfer_timeliness", "Transfers completed within 20 working days"),
        Measure("licence_compliance", "Licence and PSS periods completed without recall or breach", by_team=False),
        Measure("order_completion", "Community and suspended orders completed", by_team=False),
        Measure("upw_completion", "Unpaid Work completed within 12 months"),
        Measure("programme_completion", "Accredited programmes completed", by_team=False),
        Measure("ro_continuity", "Changes of responsible officer per case-year", "per_case_year", False, False),
        Measure("recording_lag", "Contacts recorded more than 2 working days late", "rate", False),
    ]
}

Row = tuple[str, int, int | None, int, int]  # measure, PDU, team (or None), numerator, denominator
Figures = dict[int | None, dict[str, tuple[int, int]]]
Counter = Callable[[date, date, date], Iterable[Row]]
COUNTERS: list[Counter] = []  # other apps add theirs (interventions: programme completion)


def counter(function: Counter) -> Counter:
    COUNTERS.append(function)
    return function


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


@counter
def clocks(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Timeliness: obligations due in the period; met on time / met, met late or overdue on `as_of`."""
    return _clock_rows(start, end, as_of, ("pdu_id", "team_id"))


def _clock_rows(start: date, end: date, as_of: date, group: tuple[str, str], **where: object) -> Iterable[Row]:
    rules = {rule for rule, _ in CLOCKS.values()}
    counted = Q(met_on__lte=as_of) | (~Q(void_on__lte=as_of) & Q(due_on__lt=as_of))
    rows = (
        Obligation.objects.filter(rule__in=rules, due_on__gte=start, due_on__lte=end, **where)
        .values_list("rule", "event__type", *group)
        .annotate(
            met=Count("id", filter=Q(met_on__lte=as_of) & Q(met_on__lte=F("due_on"))), due=Count("id", filter=counted)
        )
        .order_by()
    )
    for rule, sentence, pdu, team, met, due in rows:
        for name, (measure_rule, types) in CLOCKS.items():
            if measure_rule == rule and (types is None or sentence in types) and due:
                yield name, pdu, team, met, due


def appointments_in(start: date, end: date) -> QuerySet[Contact]:
    since, until = _moments(start, end)
    return (
        Contact.objects.valid()
        .filter(type__needs_outcome=True, starts_at__gte=since, starts_at__lt=until, event__pdu__isnull=False)
        .exclude(outcome="")
    )


@counter
def appointments(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Appointments with an outcome: attended, and acceptable and unacceptable absences, per appointment."""
    return _appointment_rows(start, end, ("event__pdu_id", "staff__team_id"))


def _appointment_rows(start: date, end: date, group: tuple[str, str], **where: object) -> Iterable[Row]:
    rows = (
        appointments_in(start, end)
        .filter(**where)
        .values_list(*group)
        .annotate(
            offered=Count("id"),
            attended=Count("id", filter=Q(outcome__in=SEEN)),
            acceptable=Count("id", filter=Q(outcome=Outcome.ACCEPTABLE_ABSENCE)),
            unacceptable=Count("id", filter=Q(outcome=Outcome.UNACCEPTABLE_ABSENCE)),
        )
        .order_by()
    )
    for pdu, team, offered, attended, acceptable, unacceptable in rows:
        yield "appointments_attended", pdu, team, attended, offered
        yield "acceptable_absences", pdu, team, acceptable, offered
        yield "unacceptable_absences", pdu, team, unacceptable, offered


def lagged(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Annotate each contact's recording lag in working days (recorded day's index less the day's)."""
    index = CalendarDay.objects.filter(day=OuterRef("day")).values("working_index")[:1]
    recorded_index = CalendarDay.objects.filter(day=OuterRef("recorded_day")).values("working_index")[:1]
    return contacts.annotate(day=TruncDate("starts_at"), recorded_day=TruncDate("recorded_at")).annotate(
        lag=Subquery(recorded_index) - Subquery(index)
    )


@counter
def recording_lag(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Contacts whose outcome was recorded more than 2 working days after the day they happened."""
    return _lag_rows(start, end, ("event__pdu_id", "staff__team_id"))


def _lag_rows(start: date, end: date, group: tuple[str, str], **where: object) -> Iterable[Row]:
    rows = (
        lagged(appointments_in(start, end).filter(**where))
        .values_list(*group)
        .annotate(late=Count("id", filter=Q(lag__gt=LAG_BUSINESS_DAYS)), recorded=Count("id"))
        .order_by()
    )
    for pdu, team, late, recorded in rows:
        yield "recording_lag", pdu, team, late, recorded


@counter
def terminations(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Licence and PSS periods ending without recall or breach; orders ending in completion."""
    enforced = EnforcementAction.objects.filter(
        event=OuterRef("pk"), kind__in=[EnforcementAction.Kind.BREACH, EnforcementAction.Kind.RECALL]
    )
    ended = Event.objects.filter(terminated_on__gte=start, terminated_on__lte=end)
    licences = (
        ended.filter(type__in=RELEASES)
        .values_list("pdu_id")
        .annotate(
            without=Count("id", filter=~Q(termination_reason=Event.TerminationReason.RECALLED) & ~Q(Exists(enforced))),
            ending=Count("id"),
        )
        .order_by()
    )
    for pdu, clean, total in licences:
        yield "licence_compliance", pdu, None, clean, total
    completed = [Event.TerminationReason.COMPLETED, Event.TerminationReason.EARLY_REVOCATION]
    orders = (
        ended.filter(type__in=ORDERS)
        .values_list("pdu_id")
        .annotate(done=Count("id", filter=Q(termination_reason__in=completed)), ending=Count("id"))
        .order_by()
    )
    for pdu, done, total in orders:
        yield "order_completion", pdu, None, done, total


@counter
def ro_continuity(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Changes of responsible officer in the period, over the case-days supervised in it."""
    earlier = Allocation.objects.filter(event=OuterRef("event_id"), from_date__lt=OuterRef("from_date"))
    changes = dict(
        Allocation.objects.filter(from_date__gte=start, from_date__lte=end)
        .filter(Exists(earlier))
        .values_list("event__pdu_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    days: dict[int, int] = defaultdict(int)
    running = Event.objects.filter(sentence_date__lte=end).filter(
        Q(terminated_on__isnull=True) | Q(terminated_on__gte=start)
    )
    for pdu, began, ended in running.values_list("pdu_id", "sentence_date", "terminated_on").iterator(chunk_size=5000):
        first, last = max(began, start), min(ended or end, end)
        days[pdu] += max((last - first).days + 1, 0)
    for pdu, case_days in days.items():
        yield "ro_continuity", pdu, None, changes.get(pdu, 0), case_days


def officer_figures(team: Team, start: date, end: date) -> Figures:
    """The team's officers on the measures counted by officer (timeliness by the officer responsible,
    appointments and recording by whoever held them), live: {staff id: {measure: (numerator, denominator)}}."""
    as_of = max(end, timezone.localdate())
    rows = [
        *_clock_rows(start, end, as_of, ("team_id", "officer_id"), team=team),
        *_appointment_rows(start, end, ("staff__team_id", "staff_id"), staff__team=team),
        *_lag_rows(start, end, ("staff__team_id", "staff_id"), staff__team=team),
    ]
    result: Figures = defaultdict(dict)
    for measure, _team, officer, numerator, denominator in rows:
        if officer is None:
            continue
        n, d = result[officer].get(measure, (0, 0))
        result[officer][measure] = (n + numerator, d + denominator)
    return result


def count(start: date, end: date, as_of: date | None = None) -> list[Row]:
    """Every measure for a period, live: counts per PDU and team."""
    as_of = max(end, as_of or timezone.localdate())
    return [row for function in COUNTERS for row in function(start, end, as_of)]


# --- monthly rollups --------------------------------------------------------------------------------------


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


# --- reading: the pages and kpi_report ----------------------------------------------------------------------

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


# --- the league tables ----------------------------------------------------------------------------------------


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
    unit_id: int
    code: str
    name: str
    numerator: int = 0
    denominator: int = 0
    value: float | None = None
    previous: float | None = None
    lag: float | None = None
    rank: int | None = None
    rag: str = ""

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


def rag(measure: Measure, value: float | None, target: float | None) -> str:
    """green at or past the target; amber within 5 points of it; red beyond (shares with a target only)."""
    if value is None or target is None or measure.unit != "rate":
        return ""
    gap = (value - target) if measure.higher_is_better else (target - value)
    return "green" if gap >= 0 else "amber" if gap >= -0.05 else "red"


def league(
    measure: Measure, units: list[tuple[int, str, str]], now: Figures, before: Figures, target: float | None
) -> list[LeagueRow]:
    """Each unit on one measure: counts, value, rank, RAG, the previous period's value and recording lag
    beside it, from the period's and the previous period's figures."""
    rows = []
    for unit_id, code, name in units:
        numerator, denominator = now.get(unit_id, {}).get(measure.name, (0, 0))
        row = LeagueRow(unit_id, code, name, numerator, denominator, measure.value(numerator, denominator))
        row.previous = measure.value(*before.get(unit_id, {}).get(measure.name, (0, 0)))
        row.lag = MEASURES["recording_lag"].value(*now.get(unit_id, {}).get("recording_lag", (0, 0)))
        row.rag = rag(measure, row.value, target)
        rows.append(row)
    ranked = sorted(
        (r for r in rows if r.value is not None), key=lambda r: r.value or 0, reverse=measure.higher_is_better
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
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

"""Performance pages: national (regions), region (its PDUs), PDU (its teams), and the cases behind a number."""

import io
from collections.abc import Callable
from datetime import date
from typing import Any

import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from cases.access import may_see_performance
from cases.standards import calendar
from probation.access import role_required
from probation.db_router import reads_from_replica
from probation.downloads import WORKBOOK_OPTIONS, csv_writer
from probation.roles import Role
from regions.charts import bar_chart
from regions.models import PDU, Region, StaffMember, Team
from regions.performance import counting, league, rollups
from regions.performance.cases_behind import cases_behind
from regions.performance.measures import (
    MEASURES,
    RECORDED_LATE_BESIDE,
    Measure,
    recorded_late_after,
    recorded_late_share,
)
from regions.workload import caseworkers

CHILD = {"national": "region", "region": "pdu", "pdu": "team", "team": "officer"}
# The row for what none of a page's units holds, so the rows always add up to the page's total.
REST = {
    "national": "Not in any region",
    "region": "Not in any of its PDUs",
    "pdu": "No team: unallocated cases and staff without a team",
    "team": "No officer now in this team",
}


def offered(child: str) -> list[Measure]:
    """The measures a league of this level's units is offered on: measures counted only for whole PDUs
    (completions, continuity) are not offered for teams or officers, so none is offered without its cases."""
    by_unit = child in ("team", "officer")
    return [m for m in MEASURES.values() if m.by_team or not by_unit]


SORTS = {"name", "value", "numerator", "denominator", "band", "change", "lag"}


def _month(text: str | None, default: date) -> date:
    try:
        month = date.fromisoformat(f"{text}-01") if text else default
    except ValueError:
        return default
    # A month outside the years the ledger covers is as good as unreadable (year 1 has no previous period).
    return month if calendar.FIRST_YEAR <= month.year <= default.year + 1 else default


def chosen_period(request: HttpRequest) -> league.Period:
    this_month = timezone.localdate().replace(day=1)
    last = _month(request.GET.get("to"), this_month)
    first = _month(request.GET.get("from"), last)
    return league.period(request.GET.get("period", "year"), last, first)


def _scope(
    request: HttpRequest, level: str, code: str | None
) -> tuple[str, list[tuple[int, str, str]], dict[str, Any]]:
    """The unit a page looks at, its parts (the league's rows) and the rollup filter; refused when the viewer
    may not see it: national staff see all, a director their region, a PDU head their PDU."""
    if level == "national":
        if not may_see_performance(request.user):
            raise PermissionDenied("National performance is for national staff")
        return "England and Wales", [(r.pk, r.code, r.name) for r in Region.objects.order_by("name")], {}
    if level == "region":
        region = get_object_or_404(Region, code=code)
        if not may_see_performance(request.user, region.pk):
            raise PermissionDenied("You may see your own region's performance")
        units = [(p.pk, p.code, p.name) for p in region.pdus.order_by("name")]
        return region.name, units, {"pdu__region": region}
    if level == "pdu":
        pdu = get_object_or_404(PDU.objects.select_related("region"), code=code)
        if not may_see_performance(request.user, pdu.region_id, pdu.pk):
            raise PermissionDenied("You may see your own PDU's performance")
        return pdu.name, [(t.pk, t.code, t.name) for t in pdu.teams.order_by("name")], {"pdu": pdu}
    if level == "team":
        team = get_object_or_404(Team.objects.select_related("pdu"), code=code)
        _scope(request, "pdu", team.pdu.code)
        officers = [(s.pk, s.code, s.name) for s in caseworkers(team=team)]
        return team.name, officers, {"team": team}
    raise Http404("No such level")


def _sorted(rows: list[league.LeagueRow], key: str, descending: bool) -> list[league.LeagueRow]:
    if key == "name":
        return sorted(rows, key=lambda r: r.name.lower(), reverse=descending)
    present = [r for r in rows if getattr(r, key) is not None]
    missing = [r for r in rows if getattr(r, key) is None]
    return sorted(present, key=lambda r: getattr(r, key), reverse=descending) + missing


@role_required(Role.NATIONAL, Role.REGIONAL_DIRECTOR, Role.PDU_HEAD)
@reads_from_replica  # the league tables, their downloads and trends may be a few seconds old (probation/db_router.py)
def performance_page(request: HttpRequest, level: str, code: str | None = None) -> HttpResponse:
    title, units, within = _scope(request, level, code)
    chosen = chosen_period(request)
    child = CHILD[level]
    choices = offered(child)
    measure = next((m for m in choices if m.name == request.GET.get("measure")), MEASURES["initial_contact_order"])
    if level == "team":  # officers are counted live, for the measures counted by officer
        earlier = chosen.previous()
        now = counting.officer_figures(within["team"], chosen.first, chosen.end)
        before = counting.officer_figures(within["team"], earlier.first, earlier.end)
    else:
        now = rollups.figures(chosen.first, chosen.last, child, **within)
        before = rollups.figures(chosen.previous().first, chosen.previous().last, child, **within)
    goals = rollups.targets(chosen.end)
    rows = league.league(measure, units, now, before, goals.get(measure.name), REST[level])
    sort = request.GET.get("sort", "band")
    sort = sort if sort in SORTS else "band"
    descending = request.GET.get("dir") == "desc"
    rows = _sorted([r for r in rows if r.unit_id is not None], sort, descending) + [
        r for r in rows if r.unit_id is None
    ]
    if request.GET.get("format") == "csv":
        return _csv(rows, measure, chosen, title)
    if request.GET.get("format") == "xlsx":
        return _workbook(rows, measure, chosen, title, league.totals_of(now))
    shown = [
        {
            "row": r,
            "value": measure.display(r.value),
            "interval": league.display_interval(measure, r.interval),
            "change": measure.display(r.change, change=True),
            "lag": MEASURES["recording_lag"].display(r.lag),
            "met_late": MEASURES["recording_lag"].display(r.met_late),
        }
        for r in rows
    ]
    totals, previously = league.totals_of(now), league.totals_of(before)
    summary = []
    for m in offered(child) if level == "team" else MEASURES.values():
        numerator, denominator = totals.get(m.name, (0, 0))
        value = m.value(numerator, denominator)
        previous = m.value(*previously.get(m.name, (0, 0)))
        target = goals.get(m.name)
        summary.append(
            {
                "measure": m,
                "numerator": numerator,
                "denominator": denominator,
                "value": m.display(value),
                "interval": league.display_interval(m, league.interval(m, numerator, denominator)),
                "target": m.display(target),
                "rag": league.rag(m, numerator, denominator, target),
                "change": m.display(None if value is None or previous is None else value - previous, change=True),
                "late": _summary_recorded_late(m, totals),
            }
        )
    trend = league.trend(measure, chosen, **within)
    months = [
        {
            "month": month,
            "numerator": n,
            "denominator": d,
            "value": measure.display(v),
            "interval": league.display_interval(measure, league.interval(measure, n, d)),
        }
        for month, n, d, v in trend
    ]
    context = {
        "level": level,
        "child": child,
        "code": code,
        "title": title,
        "period": chosen,
        "measure": measure,
        "measures": choices,
        "met_late_counted": measure.name in RECORDED_LATE_BESIDE,
        "recorded_late_after": recorded_late_after(),
        "marked_from": MEASURES["recording_lag"].display(recorded_late_share()),
        "rows": shown,
        "sort": sort,
        "descending": descending,
        "summary": summary,
        "target": measure.display(goals.get(measure.name)),
        "months": months,
        "chart": bar_chart(
            [v for *_, v in trend],
            labels=[f"{month:%b}" for month, *_ in trend],
            at_least=1.0 if measure.unit == "rate" else 0.0,
            limit=goals.get(measure.name),
            limit_label=f"Target {measure.display(goals.get(measure.name))}",
            fmt=_on_the_chart(measure),
            x_title="Month",
            y_title=UNIT_TITLES.get(measure.unit, measure.unit),
        ),
        "fair_sentence": FAIR_SENTENCE,
        "refreshed": rollups.last_refreshed(),
        "counted_at": rollups.counted_at(chosen.first, chosen.last) if level != "team" else (timezone.now(), False),
        "period_kinds": [("month", "Month"), ("quarter", "Quarter"), ("year", "12 months"), ("custom", "Custom")],
        "period_kind": request.GET.get("period", "year"),
    }
    return render(request, "regions/performance.html", context)


UNIT_TITLES = {"rate": "Per cent", "per_100": "Per 100 appointments", "per_case_year": "Per case-year"}


def _on_the_chart(measure: Measure) -> Callable[[float], str]:
    """A value as short as the chart has room for: a share in whole per cent (the table beside has the tenths)."""
    if measure.unit == "rate":
        return lambda value: f"{value * 100:.0f}%"
    return measure.display


# Fair to small units (intervals.py): the interval, and where the value stands against target by it, as columns
# of their own at the end of the league table's downloads (the band takes the rank's place).
FAIR = ["lower_95", "upper_95", "against_target"]
FAIR_HEADINGS = ["95% interval from", "95% interval to", "Against target (by the interval)"]
FAIR_SENTENCE = (
    "Each value has a 95% interval: the range its true level is likely to lie in, given how many cases it counts."
    " Units are shown in bands, not ranked one by one: a unit is in a lower band only when its whole interval is"
    " below that of the first unit of every band above it, and a value is clearly above or below target only"
    " when its whole interval is."
)


def fair(r: league.LeagueRow) -> list[Any]:
    """A league row's interval and its standing against target, for the downloads."""
    if r.interval is None:
        return [None, None, r.rag]
    return [round(r.interval.lower, 6), round(r.interval.upper, 6), r.rag]


def _summary_recorded_late(measure: Measure, totals: dict[str, tuple[int, int]]) -> dict[str, Any] | None:
    """The scope's own share of facts recorded late beside a timeliness measure (None for the others)."""
    if measure.name not in RECORDED_LATE_BESIDE:
        return None
    row = league.LeagueRow(None, "", "")
    league.beside_recorded_late(row, measure, totals, recorded_late_share())
    return {
        "met_late": MEASURES["recording_lag"].display(row.met_late),
        "met_late_counts": row.met_late_counts,
        "late_marked": row.late_marked,
    }


WORKBOOK_RECORDED_LATE = [
    "Met on time by facts recorded late",
    "Met on time",
    "Share met by facts recorded late",
    "Marked: many recorded late",
]
RECORDED_LATE_COLUMNS = ["met_on_time_recorded_late", "met_on_time", "met_recorded_late_share", "recorded_late_marked"]


def _recorded_late_cells(row: league.LeagueRow, measure: Measure) -> list[object]:
    """The download's columns for the share of facts recorded late beside a timeliness measure (blank beside
    the other measures): counts, share and whether the row is marked."""
    if measure.name not in RECORDED_LATE_BESIDE:
        return ["", "", "", ""]
    late, met = row.met_late_counts
    return [late, met, row.met_late, "yes" if row.late_marked else "no"]


def _csv(rows: list[league.LeagueRow], measure: Measure, chosen: league.Period, title: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{title}-{measure.name}-{chosen.first:%Y-%m}-to-{chosen.last:%Y-%m}".replace(" ", "-").lower()
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv_writer(response)
    writer.writerow(
        [
            "code",
            "name",
            "numerator",
            "denominator",
            "value",
            "band",
            "previous",
            "recording_lag",
            *FAIR,
            *RECORDED_LATE_COLUMNS,
        ]
    )
    for r in rows:
        writer.writerow(
            [
                *[r.code, r.name, r.numerator, r.denominator, r.value, r.band, r.previous, r.lag, *fair(r)],
                *_recorded_late_cells(r, measure),
            ]
        )
    return response


def _workbook(
    rows: list[league.LeagueRow],
    measure: Measure,
    chosen: league.Period,
    title: str,
    totals: dict[str, tuple[int, int]],
) -> HttpResponse:
    """The league table and every measure for the unit, as an Excel workbook (two sheets)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    table = book.add_worksheet("League table")
    table.write_row(0, 0, [f"{measure.title}, {title}, {chosen.label()}"], bold)
    header = ["Code", "Name", "Met", "Out of", "Value", "Band", "Previous", "Recorded late", *FAIR_HEADINGS]
    table.write_row(2, 0, header + WORKBOOK_RECORDED_LATE, bold)
    for n, r in enumerate(rows, start=3):
        cells = [r.code, r.name, r.numerator, r.denominator, r.value, r.band, r.previous, r.lag, *fair(r)]
        table.write_row(n, 0, cells + _recorded_late_cells(r, measure))
    table.write_row(len(rows) + 4, 0, [FAIR_SENTENCE])
    every = book.add_worksheet("Every measure")
    every.write_row(0, 0, ["Measure", "Name", "Met", "Out of", "Value", *FAIR_HEADINGS[:2]], bold)
    for n, (name, m) in enumerate(MEASURES.items(), start=1):
        numerator, denominator = totals.get(name, (0, 0))
        found = league.interval(m, numerator, denominator)
        bounds = [found.lower, found.upper] if found else ["", ""]
        value = m.value(numerator, denominator)
        every.write_row(n, 0, [m.title, name, numerator, denominator, "" if value is None else value, *bounds])
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{title}-{measure.name}-{chosen.first:%Y-%m}-to-{chosen.last:%Y-%m}".replace(" ", "-").lower()
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@role_required(Role.NATIONAL, Role.REGIONAL_DIRECTOR, Role.PDU_HEAD)
def performance_cases(request: HttpRequest, level: str, code: str) -> HttpResponse:
    """The cases behind a number: one unit, one measure, one period (only cases the viewer may see)."""
    within: dict[str, Any]
    if level == "officer":
        officer = get_object_or_404(StaffMember.objects.select_related("team__pdu"), code=code)
        if officer.team is None:
            raise Http404("Not in a team")
        _scope(request, "pdu", officer.team.pdu.code)
        within, name = {"officer": officer}, officer.name
        back = reverse("regions:performance-team", args=[officer.team.code])
    elif level == "team":
        team = get_object_or_404(Team.objects.select_related("pdu"), code=code)
        _scope(request, "pdu", team.pdu.code)
        within, name, back = {"team": team}, team.name, reverse("regions:performance-team", args=[code])
    elif level == "pdu":
        pdu = get_object_or_404(PDU, code=code)
        _scope(request, "pdu", code)
        within, name, back = {"pdu": pdu}, pdu.name, reverse("regions:performance-pdu", args=[code])
        if request.GET.get("team") == "none":
            within["no_team"] = True
            name = f"{pdu.name}, {REST['pdu'][0].lower()}{REST['pdu'][1:]}"
    elif level == "region":
        region = get_object_or_404(Region, code=code)
        _scope(request, "region", code)
        within, name, back = {"region": region}, region.name, reverse("regions:performance-region", args=[code])
    else:
        raise Http404("No such level")
    chosen = chosen_period(request)
    measure = MEASURES.get(request.GET.get("measure", ""))
    if measure is None or measure not in offered("team" if within.get("no_team") else level):
        raise Http404("No such measure at this level")
    behind = cases_behind(measure.name, chosen.first, chosen.end, request.user, **within)
    page = Paginator(behind.rows, 50).get_page(request.GET.get("page")) if behind.rows is not None else None
    return render(
        request,
        "regions/performance_cases.html",
        {
            "name": name,
            "measure": measure,
            "period": chosen,
            "behind": behind,
            "page": page,
            "back": back,
        },
    )

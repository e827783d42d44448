"""The team dashboard's officer rows, drawn in Python: the template language's URL tags, includes and filters
were about 9 ms of the page's CPU at national scale (11 officers). format_html escapes each value as the
template did, so the page is the same to the byte (tests/regions/test_officer_rows.py)."""

from django import template
from django.template.defaultfilters import floatformat, pluralize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cases.links import link_to
from regions.dashboard.selectors import OfficerRow

register = template.Library()

ROW = """
    <tr class="govuk-table__row" data-officer="{code}">
      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{workload}">{name}</a><br>\
<span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{grade}, {hours} hours{reduced}<br>\
<a class="govuk-link" href="{move}">Move cases<span class="govuk-visually-hidden"> of {name}</span></a></span></th>
      <td class="govuk-table__cell">
        <a class="govuk-link" href="{my_cases}?officer={code}">{cases} {cases_word}</a>
        {kinds}
      </td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{points}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{available}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric" data-testid="capacity">{capacity}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" \
href="{standards}?officer={code}&amp;show=overdue">{overdue}<span class="govuk-visually-hidden"> overdue for \
{name}</span></a></td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" \
href="{standards}?officer={code}&amp;show=due">{due_soon}<span class="govuk-visually-hidden"> due in {soon_days} \
working day{days_word} for {name}</span></a></td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" \
href="{outcomes}?officer={code}">{outcomes_to_log}<span class="govuk-visually-hidden"> outcomes to log for \
{name}</span></a></td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" \
href="{standards}?officer={code}&amp;show=enforcement">{enforcement}<span class="govuk-visually-hidden"> enforcement \
actions awaited from {name}</span></a></td>
    </tr>
    """
NO_OFFICERS = """
    <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="9">No officers are in this team yet.</td></tr>
    """
OVER = (
    '<strong class="govuk-tag govuk-tag--red">{}%<span class="govuk-visually-hidden"> (over capacity)</span></strong>\n'
)
KIND = '<a class="govuk-link" href="{}?officer={}&amp;sentence_type={}">{}: {}</a>'


@register.simple_tag
def officer_rows(rows: list[OfficerRow], soon_days: int) -> SafeString:
    """`{% officer_rows board.rows soon_days %}`: a row for each officer, or the row that says there are none."""
    if not rows:
        return mark_safe(NO_OFFICERS)  # noqa: S308 - a constant
    links = {name: link_to(f"cases:{name.replace('_', '-')}") for name in ("my_cases", "standards", "outcomes")}
    days_word = pluralize(soon_days)
    return mark_safe("".join(_row(row, soon_days, days_word, links) for row in rows))  # noqa: S308 - format_html


def _row(row: OfficerRow, soon_days: int, days_word: str, links: dict[str, str]) -> SafeString:
    staff, load = row.staff, row.workload
    code = staff.code
    reduced = f" ({floatformat(load.reduction_hours, '-1')} reduced)" if load.reduction_hours else ""
    return format_html(
        ROW,
        code=code,
        name=staff.name,
        workload=link_to("regions:officer-workload", code),
        move=link_to("cases:reallocate-caseload", code),
        grade=staff.get_grade_display(),
        hours=floatformat(staff.contracted_hours, "-1"),
        reduced=reduced,
        cases=load.cases,
        cases_word=pluralize(load.cases, "case,cases"),
        kinds=_kinds(row, links["my_cases"]),
        points=load.points,
        available=load.available_points,
        capacity=capacity_tag(load.capacity, load.points, load.over_capacity),
        overdue=row.overdue,
        due_soon=row.due_soon,
        outcomes_to_log=row.outcomes_to_log,
        enforcement=row.enforcement,
        soon_days=soon_days,
        days_word=days_word,
        **links,
    )


def _kinds(row: OfficerRow, my_cases: str) -> SafeString | str:
    """The officer's cases by sentence type, each a link to them, and their court reports."""
    load, code = row.workload, row.staff.code
    by_type = load.by_type
    if not by_type and not load.court_reports:
        return ""
    kinds = format_html_join(", ", KIND, ((my_cases, code, kind, label, n) for kind, label, n in by_type))
    reports = ""
    if load.court_reports:
        reports = format_html("{}court reports: {}", ", " if by_type else "", load.court_reports)
    return format_html(
        '<span class="govuk-!-display-block govuk-!-margin-top-2 govuk-!-font-size-16">{}{}</span>', kinds, reports
    )


@register.simple_tag
def capacity_tag(capacity: int | None, points: int, over: bool) -> SafeString:
    """`{% capacity_tag capacity points over %}`: a capacity %, tagged yellow from 90% and red when over (at or
    above 100%), or why there is none."""
    if capacity is None:
        shown = '<strong class="govuk-tag govuk-tag--red">No hours available</strong>' if points else "\N{EN DASH}"
        return mark_safe(shown + "\n")  # noqa: S308 - constants
    if over:
        tag = OVER
    elif capacity >= 90:
        tag = '<strong class="govuk-tag govuk-tag--yellow">{}%</strong>\n'
    else:
        tag = "{}%\n"
    return format_html(tag, capacity)

"""The rows of My cases, drawn in Python: the template language's lookups and filters took about a sixth of the
page's time at national scale. format_html escapes each value as the template did, so the page is the same to
the byte (tests/cases/test_caseload_rows.py)."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from cases.links import link_to
from cases.models import Person
from cases.record.selectors import CaseloadRow, Found
from cases.templatetags.rosh import rosh_tag
from regions.models import StaffMember

register = template.Library()

ROW = """
        <tr class="govuk-table__row">
          <td class="govuk-table__cell"><a class="govuk-link" href="{link}">{last_name}, {first_name}</a><br>\
<span class="govuk-hint govuk-!-margin-bottom-0">{crn}</span></td>
          <td class="govuk-table__cell">{tier}</td>
          <td class="govuk-table__cell">{rosh}</td>
          <td class="govuk-table__cell">{sentences}</td>
          <td class="govuk-table__cell">{next}</td>
          <td class="govuk-table__cell">{last}</td>
          <td class="govuk-table__cell">{flags}</td>
          <td class="govuk-table__cell" data-testid="standards-counts">{standards}</td>
        </tr>
        """
FLAG = '<strong class="govuk-tag govuk-tag--grey app-flag">{}</strong> '
COUNT = (
    '<a class="govuk-link" data-count="{key}" href="{link}?officer={officer}&amp;crn={crn}&amp;show={key}">'
    '<strong class="govuk-tag govuk-tag--{colour}">{n} {what}</strong>'
    '<span class="govuk-visually-hidden"> for {crn}</span></a>'
)


@register.simple_tag
def caseload_rows(people: list[CaseloadRow], staff: StaffMember) -> SafeString:
    """`{% caseload_rows page.object_list staff %}`: a row for each person of the caseload's page."""
    standards = link_to("cases:standards")
    return mark_safe("".join(_row(person, staff.code, standards) for person in people))  # noqa: S308 - format_html


def named(person: "Person | CaseloadRow | Found") -> dict[str, str]:
    """What a row's first cell shows of the person: their name as a link to the case, and their CRN."""
    return {
        "link": link_to("cases:overview", person.crn),
        "last_name": person.last_name.upper(),
        "first_name": person.first_name,
        "crn": person.crn,
    }


def _row(person: CaseloadRow, officer: str, standards: str) -> SafeString:
    upcoming, last = person.next_appointment, person.last_contact
    return format_html(
        ROW,
        **named(person),
        tier=person.tier or "—",
        rosh=rosh_tag(person),
        sentences=format_html_join(mark_safe("<br>"), "{}", ((kind,) for kind in person.sentences)) or "—",
        next=f"{_local(upcoming):%-d %b %Y %H:%M}" if upcoming else "None booked",
        last=f"{_local(last):%-d %b %Y}" if last else "None",
        flags=format_html_join("", FLAG, ((flag,) for flag in person.flags)) or "None",
        standards=_standards(person, officer, standards),
    )


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _standards(person: CaseloadRow, officer: str, link: str) -> SafeString | str:
    overdue, due = person.overdue, person.due_soon
    common = {"link": link, "officer": officer, "crn": person.crn}
    parts = []
    if overdue:
        parts.append(format_html(COUNT + " ", key="overdue", colour="red", n=overdue, what="overdue", **common))
    if due:
        parts.append(format_html(COUNT, key="due", colour="yellow", n=due, what="due soon", **common))
    return mark_safe("".join(parts)) if parts else "Up to date"  # noqa: S308 - format_html

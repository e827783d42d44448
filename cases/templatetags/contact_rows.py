"""One row of the contact log, drawn in Python: a page shows 50 contacts, and the template language's forty-odd
lookups and filters a row took about 10 ms of the page's 30 at national scale. format_html escapes each value
as the template did (templates/cases/includes/contact_row.html was this row), so the page is the same to the
byte (tests/cases/test_contact_rows.py)."""

from datetime import datetime

from django import template
from django.template.defaultfilters import linebreaksbr, truncatewords
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cases.links import link_to
from cases.models import Contact, Outcome, Person
from cases.standards import rules
from cases.templatetags.recorded_late import late_note

register = template.Library()

ROW = """
<tr class="govuk-table__row{error_class}">
  <td class="govuk-table__cell">{day}<br><span class="govuk-hint govuk-!-margin-bottom-0">{time}</span></td>
  <td class="govuk-table__cell"><a class="govuk-link" href="{link}">{type}</a>{enforceable}</td>
  <td class="govuk-table__cell">
    {outcome}
    {late}
  </td>
  <td class="govuk-table__cell app-notes">{notes}{changed}</td>
</tr>
"""
HINT = '<br><span class="govuk-hint govuk-!-margin-bottom-0">{}</span>'
TAG = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'
ACT = '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden">{}</span></a>'


@register.simple_tag(takes_context=True)
def contact_rows(context: template.Context, contacts: list[Contact], person: Person) -> SafeString:
    """`{% contact_rows page.object_list person %}`: the rows of the contact log's table, for the page's
    `may_change` and `now`."""
    days = rules.value("recorded_late")
    may_change, now = context["may_change"], context["now"]
    return mark_safe("".join(_row(c, person.crn, may_change, now, days) for c in contacts))  # noqa: S308 - format_html


def _row(contact: Contact, crn: str, may_change: bool, now: datetime, days: int) -> SafeString:
    at = timezone.localtime(contact.starts_at)
    error = contact.entered_in_error
    return format_html(
        ROW,
        error_class=" app-entered-in-error" if error else "",
        day=f"{at:%a} {at.day} {at:%b %Y}",
        time=f"{at:%H:%M}",
        link=link_to("cases:contact", crn, contact.pk),
        type=contact.type.name,
        enforceable=mark_safe(HINT.format("Enforceable")) if contact.enforceable else "",  # noqa: S308 - our text
        outcome=_outcome(contact, crn, may_change, now, at),
        late="" if error else mark_safe(late_note(contact.starts_at, contact.recorded_at, "the contact", days)),  # noqa: S308 - rendered
        notes=_notes(contact, may_change),
        changed=format_html(HINT, f"Changed {contact.version - 1} time{'' if contact.version - 1 == 1 else 's'}")
        if contact.version > 1
        else "",
    )


def _outcome(contact: Contact, crn: str, may_change: bool, now: datetime, at: datetime) -> SafeString | str:
    """What the outcome cell says, each branch followed by the template's own line break and indent."""
    if contact.entered_in_error:
        return format_html(TAG + "\n    ", "grey", "Entered in error")
    if contact.outcome:
        text = format_html("{}", contact.get_outcome_display())
        if contact.absence_reason:
            text = format_html("{}: {}", text, contact.get_absence_reason_display().lower())
        if contact.evidence_due and contact.outcome == Outcome.AWAITING_EVIDENCE:
            text = format_html(
                "{}" + HINT, text, f"Evidence due {contact.evidence_due.day} {contact.evidence_due:%b %Y}"
            )
            if may_change:
                hidden = f" for {at.day} {at:%B %Y}"
                text = format_html(
                    "{}<br>" + ACT, text, link_to("cases:outcome", crn, contact.pk), "Decide on the evidence", hidden
                )
        return format_html("{}\n    ", text)
    if contact.starts_at > now:
        return format_html(TAG + "\n    ", "blue", "Booked")
    if not contact.type.needs_outcome:
        return "Logged\n    "
    if may_change:
        hidden = f" of the {contact.type.name.lower()} on {at.day} {at:%B %Y}"
        return format_html(ACT + "\n    ", link_to("cases:outcome", crn, contact.pk), "Record outcome", hidden)
    return "Not recorded"


def _notes(contact: Contact, may_change: bool) -> SafeString | str:
    if contact.notes_sensitive and not may_change:  # type: ignore[attr-defined]
        return mark_safe('<span class="govuk-hint">Sensitive notes: hidden</span>')
    notes = linebreaksbr(truncatewords(contact.notes, 40))
    return format_html(TAG + "<br>{}", "red", "Sensitive", notes) if contact.sensitive else notes

"""One row of the contact log, drawn in Python: a page shows 50 contacts, and the template language's forty-odd
lookups and filters a row took about 10 ms of the page's 30 at national scale. Each value of text is escaped by
html.escape() as the template did (Django's escape() is html.escape() of the text; templates/cases/includes/
contact_row.html was this row), so the page is the same to the byte (tests/cases/test_contact_rows.py); not by
format_html(), whose lazy wrappers took half the rows' time (50 rows: 2.3 to 0.9 ms of CPU)."""

from datetime import datetime
from html import escape

from django import template
from django.template.defaultfilters import linebreaksbr, truncatewords
from django.utils import timezone
from django.utils.safestring import SafeString

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
    return SafeString("".join(_row(c, person.crn, may_change, now, days) for c in contacts))


def _row(contact: Contact, crn: str, may_change: bool, now: datetime, days: int) -> str:
    """The contact's row (every value below is HTML: text escaped, or markup of ours or already rendered)."""
    at = timezone.localtime(contact.starts_at)
    error = contact.entered_in_error
    changes = contact.version - 1
    return ROW.format(
        error_class=" app-entered-in-error" if error else "",
        day=f"{at:%a} {at.day} {at:%b %Y}",
        time=f"{at:%H:%M}",
        link=escape(link_to("cases:contact", crn, contact.pk)),
        type=escape(contact.type.name),
        enforceable=HINT.format("Enforceable") if contact.enforceable else "",
        outcome=_outcome(contact, crn, may_change, now, at),
        late="" if error else late_note(contact.starts_at, contact.recorded_at, "the contact", days),
        notes=_notes(contact, may_change),
        changed=HINT.format(f"Changed {changes} time{'' if changes == 1 else 's'}") if changes > 0 else "",
    )


def _outcome(contact: Contact, crn: str, may_change: bool, now: datetime, at: datetime) -> str:
    """What the outcome cell says (HTML), each branch followed by the template's own line break and indent."""
    if contact.entered_in_error:
        return TAG.format("grey", "Entered in error") + "\n    "
    if contact.outcome:
        text = escape(contact.get_outcome_display())
        if contact.absence_reason:
            text = f"{text}: {escape(contact.get_absence_reason_display().lower())}"
        if contact.evidence_due and contact.outcome == Outcome.AWAITING_EVIDENCE:
            text += HINT.format(f"Evidence due {contact.evidence_due.day} {contact.evidence_due:%b %Y}")
            if may_change:
                link = escape(link_to("cases:outcome", crn, contact.pk))
                text += "<br>" + ACT.format(link, "Decide on the evidence", f" for {at.day} {at:%B %Y}")
        return text + "\n    "
    if contact.starts_at > now:
        return TAG.format("blue", "Booked") + "\n    "
    if not contact.type.needs_outcome:
        return "Logged\n    "
    if may_change:
        hidden = escape(f" of the {contact.type.name.lower()} on {at.day} {at:%B %Y}")
        return ACT.format(escape(link_to("cases:outcome", crn, contact.pk)), "Record outcome", hidden) + "\n    "
    return "Not recorded"


def _notes(contact: Contact, may_change: bool) -> str:
    if contact.notes_sensitive and not may_change:  # type: ignore[attr-defined]
        return '<span class="govuk-hint">Sensitive notes: hidden</span>'
    notes = linebreaksbr(truncatewords(contact.notes, 40))  # escaped (autoescape) and marked safe
    return TAG.format("red", "Sensitive") + "<br>" + notes if contact.sensitive else notes

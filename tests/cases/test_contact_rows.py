"""The contact log's rows (cases/templatetags/contact_rows.py, drawn in Python): what each state of a contact
shows, escaped, with its links, for someone who may change the case and for someone who may only read it."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from cases.models import Contact
from cases.standards import rules

pytestmark = pytest.mark.today("2026-11-25")

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
AT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # Friday 20 November, 09:30 in London


def rows(contact: Contact, may_change: bool = True) -> str:
    contact.notes_sensitive = contact.sensitive  # type: ignore[attr-defined]
    template = Template("{% load contact_rows %}{% contact_rows contacts person %}")
    context = {"contacts": [contact], "person": contact.event.person, "may_change": may_change, "now": NOW}
    rules._request_started()  # the settings read once, as in a request
    try:
        return template.render(Context(context))
    finally:
        rules._request_finished()


def contact(event, contact_types, code: str = "office_visit", **fields) -> Contact:
    fields = {"starts_at": AT, "recorded_at": AT, "enforceable": contact_types[code].enforceable} | fields
    return Contact.objects.create(event=event, type=contact_types[code], **fields)


def test_a_row_shows_when_what_and_links_to_the_contact(community_order, contact_types) -> None:
    row = rows(contact(community_order, contact_types, outcome="attended", notes="Talked about <work> & money"))
    c = Contact.objects.get()
    assert (
        '<td class="govuk-table__cell">Fri 20 Nov 2026<br><span class="govuk-hint govuk-!-margin-bottom-0">09:30' in row
    )
    assert f'href="/cases/X123456/contacts/{c.pk}/">Office visit</a><br>' in row
    assert "Enforceable" in row
    assert "Attended" in row
    assert "Talked about &lt;work&gt; &amp; money" in row
    assert "Recorded late" not in row


def test_an_appointment_without_an_outcome_asks_for_it_or_says_not_recorded(community_order, contact_types) -> None:
    c = contact(community_order, contact_types)
    assert (
        f'<a class="govuk-link" href="/cases/X123456/contacts/{c.pk}/outcome/">Record outcome'
        '<span class="govuk-visually-hidden"> of the office visit on 20 November 2026</span></a>'
    ) in rows(c)
    assert "Not recorded" in rows(c, may_change=False)
    assert "Record outcome" not in rows(c, may_change=False)


def test_booked_logged_and_entered_in_error(community_order, contact_types) -> None:
    booked = contact(community_order, contact_types, starts_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
    assert '<strong class="govuk-tag govuk-tag--blue">Booked</strong>' in rows(booked)
    assert "Logged" in rows(contact(community_order, contact_types, "email_letter"))
    wrong = contact(community_order, contact_types, entered_in_error=True, error_reason="Wrong case")
    row = rows(wrong)
    assert '<tr class="govuk-table__row app-entered-in-error">' in row
    assert '<strong class="govuk-tag govuk-tag--grey">Entered in error</strong>' in row


def test_an_absence_awaiting_evidence_shows_its_deadline_and_who_may_decide(community_order, contact_types) -> None:
    c = contact(community_order, contact_types, outcome="awaiting_evidence", evidence_due=date(2026, 11, 27))
    row = rows(c)
    assert "Evidence due 27 Nov 2026" in row
    assert (
        f'<br><a class="govuk-link" href="/cases/X123456/contacts/{c.pk}/outcome/">Decide on the evidence'
        '<span class="govuk-visually-hidden"> for 20 November 2026</span></a>'
    ) in row
    assert "Decide on the evidence" not in rows(c, may_change=False)


def test_sensitive_long_and_changed_notes(community_order, contact_types) -> None:
    words = " ".join(f"word{n}" for n in range(45))
    c = contact(community_order, contact_types, outcome="attended", sensitive=True, notes=f"First\nsecond {words}")
    Contact.objects.filter(pk=c.pk).update(version=3)
    c.refresh_from_db()
    row = rows(c)
    assert '<strong class="govuk-tag govuk-tag--red">Sensitive</strong><br>First second word0' in row
    assert "word37 …" in row  # the first 40 words, then an ellipsis
    assert "word38" not in row
    assert "Changed 2 times" in row
    assert '<span class="govuk-hint">Sensitive notes: hidden</span>' in rows(c, may_change=False)
    assert "First" not in rows(c, may_change=False)


def test_a_contact_recorded_late_is_tagged(community_order, contact_types) -> None:
    c = contact(community_order, contact_types, outcome="attended", recorded_at=datetime(2026, 11, 25, 9, tzinfo=UTC))
    assert "Recorded late" in rows(c)
    assert "more than 2 working days after the contact" in rows(c)

"""Log a contact that was not booked: one page, the type, when (not in the future), the outcome where the type
is enforceable, notes and whether they are sensitive; the case's RO chosen first."""

import re
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.contacts import selectors as contact_selectors
from cases.contacts import services as contacts
from cases.models import Contact, ContactType, Outcome, OversightTask

pytestmark = pytest.mark.today("2026-11-25")  # a Wednesday: the form is filled in at 10:00 that morning
URL = "/cases/X123456/events/1/contacts/new/"


def logged(contact_types, code: str, **fields) -> dict[str, str]:
    """The form as the officer fills it in on Wednesday 25 November 2026 (the pinned day)."""
    return {
        "type": str(contact_types[code].pk),
        "day_0": "25",
        "day_1": "11",
        "day_2": "2026",
        "at": "09:15",
        "staff": "",
        "notes": "",
    } | fields


def test_the_form_offers_the_unbooked_kinds_of_contact_with_the_responsible_officer_chosen(
    client: Client, officer, colleague, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    page = client.get(URL).content.decode()
    for label in ("Telephone call", "Email or letter", "Office visit without an appointment", "Other agency contact"):
        assert label in page
    assert "Home visit" in page
    assert "Unpaid work session" not in page
    assert re.search(rf'<option value="{officer.pk}" selected>', page)
    assert 'name="submission"' in page  # a once-only key: a double click logs it once


def test_a_telephone_call_is_logged_in_one_step_as_having_taken_place(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    response = client.post(URL, logged(contact_types, "telephone", staff=str(officer.pk), notes="Rang about work"))
    assert response.status_code == 302
    assert response["Location"] == "/cases/X123456/contacts/"
    contact = Contact.objects.get(event=community_order)
    assert (contact.type.code, contact.outcome, contact.enforceable) == ("telephone", Outcome.ATTENDED, False)
    assert f"{timezone.localtime(contact.starts_at):%Y-%m-%d %H:%M}" == "2026-11-25 09:15"
    assert contact.staff == officer
    assert [v.reason for v in contact.versions.all()] == ["Contact logged"]
    assert list(contact_selectors.outcomes_to_log(officer, officer.user)) == []


def test_an_email_needs_no_outcome_and_the_log_says_it_was_logged(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    assert client.post(URL, logged(contact_types, "email_letter", staff=str(officer.pk))).status_code == 302
    contact = Contact.objects.get(event=community_order)
    assert contact.outcome == ""
    row = client.get("/cases/X123456/contacts/").content.decode()
    assert "Logged" in row
    assert "Record outcome" not in row


def test_an_office_visit_without_an_appointment_needs_what_happened(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    page = client.post(URL, logged(contact_types, "office_visit", staff=str(officer.pk))).content.decode()
    assert "Select what happened at the office visit" in page
    assert not Contact.objects.exists()


def test_a_failure_logged_goes_on_to_the_enforcement_decision(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    data = logged(contact_types, "office_visit", staff=str(officer.pk), outcome=Outcome.SENT_HOME_BEHAVIOUR)
    response = client.post(URL, data)
    contact = Contact.objects.get(event=community_order)
    assert contact.is_failure_to_comply
    assert response["Location"] == f"/cases/X123456/contacts/{contact.pk}/decision/"


def test_a_time_later_today_is_refused_and_now_is_accepted(
    client: Client, officer, community_order, contact_types
) -> None:
    # The pinned clock reads 10:00 on Wednesday 25 November 2026 (and ticks on)
    client.force_login(officer.user)
    later = client.post(URL, logged(contact_types, "telephone", staff=str(officer.pk), at="10:01")).content.decode()
    assert "The time must be now or in the past" in later
    assert not Contact.objects.exists()
    assert client.post(URL, logged(contact_types, "telephone", staff=str(officer.pk), at="10:00")).status_code == 302
    assert Contact.objects.count() == 1


def test_tomorrow_is_refused(client: Client, officer, community_order, contact_types) -> None:
    client.force_login(officer.user)
    page = client.post(URL, logged(contact_types, "telephone", staff=str(officer.pk), day_0="26")).content.decode()
    assert "The date of the contact must be today or in the past" in page
    assert not Contact.objects.exists()


def test_the_service_refuses_a_future_contact_and_an_ended_sentence(officer, community_order, contact_types) -> None:
    call = contact_types["telephone"]
    with pytest.raises(ValidationError, match="now or in the past"):
        contacts.log_contact(
            event=community_order,
            user=officer.user,
            type=call,
            starts_at=datetime(2026, 11, 25, 11, tzinfo=UTC),
            staff=officer,
        )
    community_order.terminated_on, community_order.termination_reason = date(2026, 11, 20), "completed"
    with pytest.raises(ValidationError, match="sentence has ended"):
        contacts.log_contact(
            event=community_order,
            user=officer.user,
            type=call,
            starts_at=datetime(2026, 11, 24, 11, tzinfo=UTC),
            staff=officer,
        )


def test_a_third_acceptable_absence_logged_opens_the_spos_oversight(officer, community_order, contact_types) -> None:
    visit: ContactType = contact_types["home_visit"]
    for day in (2, 9, 16):
        contacts.log_contact(
            event=community_order,
            user=officer.user,
            type=visit,
            starts_at=datetime(2026, 11, day, 14, tzinfo=UTC),
            staff=officer,
            outcome=Outcome.ACCEPTABLE_ABSENCE,
            absence_reason="medical",
        )
    assert OversightTask.objects.filter(event=community_order, reason="acceptable_absences").count() == 1


def test_the_case_and_its_contacts_link_to_logging_a_contact(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    assert f'href="{URL}"' in client.get("/cases/X123456/").content.decode()
    assert f'href="{URL}"' in client.get("/cases/X123456/contacts/").content.decode()

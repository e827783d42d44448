"""A booking on a weekend or bank holiday, outside office hours or after the sentence's expected end goes ahead
only once the officer confirms it; a risk to staff is shown on every booking page and on the appointment."""

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Contact, Registration
from cases.models.person import Rosh
from tests.factories import RegistrationFactory, book

pytestmark = pytest.mark.today("2026-11-25")  # a Wednesday, before every date booked here
URL = "/cases/X123456/events/1/appointments/new/"


def at(day: date, hours: int, minutes: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hours, minutes))


def warnings_for(event, *moments: datetime) -> list[str]:
    return contacts.booking_warnings(event, list(moments))


def test_an_ordinary_weekday_in_office_hours_needs_no_confirmation(community_order) -> None:
    assert warnings_for(community_order, at(date(2026, 12, 2), 8, 0), at(date(2026, 12, 2), 18, 0)) == []


def test_a_saturday_is_a_weekend(community_order) -> None:
    assert warnings_for(community_order, at(date(2026, 11, 28), 10)) == ["Saturday 28 November 2026 is a Saturday"]


def test_christmas_day_and_the_boxing_day_substitute_are_bank_holidays(community_order) -> None:
    # Boxing Day 2026 is a Saturday: the bank holiday moves to Monday 28 December
    assert warnings_for(community_order, at(date(2026, 12, 25), 10), at(date(2026, 12, 28), 10)) == [
        "Friday 25 December 2026 is a bank holiday (Christmas Day)",
        "Monday 28 December 2026 is a bank holiday (Boxing Day (observed))",
    ]
    assert warnings_for(community_order, at(date(2026, 12, 29), 10)) == []


def test_office_hours_are_0800_to_1800(community_order) -> None:
    day = date(2026, 12, 2)
    assert warnings_for(community_order, at(day, 17, 59)) == []
    assert warnings_for(community_order, at(day, 18, 0)) == []
    assert warnings_for(community_order, at(day, 18, 1)) == [
        "18:01 on Wednesday 2 December 2026 is outside office hours (08:00 to 18:00)"
    ]
    assert warnings_for(community_order, at(day, 7, 59)) == [
        "07:59 on Wednesday 2 December 2026 is outside office hours (08:00 to 18:00)"
    ]


def test_after_the_expected_end_of_the_sentence(community_order) -> None:
    community_order.expected_end_date = date(2026, 12, 18)
    assert warnings_for(community_order, at(date(2026, 12, 18), 10)) == []
    assert warnings_for(community_order, at(date(2026, 12, 21), 10)) == [
        "Monday 21 December 2026 is after the sentence's expected end, 18 December 2026"
    ]


def test_each_appointment_of_a_series_is_checked(community_order) -> None:
    # Weekly from Friday 18 December 2026: the second is Christmas Day, the third New Year's Day
    times = contacts.appointment_times(at(date(2026, 12, 18), 10), "weekly", 3)
    assert warnings_for(community_order, *times) == [
        "Friday 25 December 2026 is a bank holiday (Christmas Day)",
        "Friday 1 January 2027 is a bank holiday (New Year's Day)",
    ]


def booking(contact_types, officer, day: date, time: str = "10:00", **more: str) -> dict[str, str]:
    return {
        "type": str(contact_types["office_visit"].pk),
        "day_0": str(day.day),
        "day_1": str(day.month),
        "day_2": str(day.year),
        "at": time,
        "staff": str(officer.pk),
    } | more


def warned_key(page: str) -> str:
    found = re.search(r'name="warned" value="([0-9a-f]{32})"', page)
    assert found, "the page carries the warnings it showed"
    return found[1]


def test_a_saturday_booking_is_made_only_once_the_officer_confirms_it(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    first = client.post(URL, booking(contact_types, officer, date(2026, 11, 28)))
    page = first.content.decode()
    assert first.status_code == 200
    assert "govuk-warning-text" in page
    assert "Saturday 28 November 2026 is a Saturday" in page
    assert "confirm you want to book at this time" in page
    assert not Contact.objects.exists()

    confirmed = booking(contact_types, officer, date(2026, 11, 28), confirm="on", warned=warned_key(page))
    assert client.post(URL, confirmed).status_code == 302
    assert Contact.objects.count() == 1


def test_a_confirmation_does_not_carry_over_to_another_time(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    page = client.post(URL, booking(contact_types, officer, date(2026, 11, 28))).content.decode()
    moved = booking(contact_types, officer, date(2026, 11, 28), "18:01", confirm="on", warned=warned_key(page))
    again = client.post(URL, moved).content.decode()
    assert "18:01 on Saturday 28 November 2026 is outside office hours" in again
    assert not Contact.objects.exists()


def test_a_weekday_booking_in_office_hours_is_made_at_once(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    assert client.post(URL, booking(contact_types, officer, date(2026, 12, 29), "17:59")).status_code == 302
    assert Contact.objects.count() == 1


RISK = "Risk to staff"


def pages(client: Client, officer, community_order, contact_types) -> list[str]:
    visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 11, 2, 10, tzinfo=UTC))
    return [
        client.get(URL).content.decode(),
        client.get("/cases/X123456/events/1/contacts/new/").content.decode(),
        client.get(f"/cases/X123456/contacts/{visit.pk}/").content.decode(),
        client.get(f"/cases/X123456/contacts/{visit.pk}/outcome/").content.decode(),
    ]


def test_a_risk_to_staff_flag_is_shown_on_every_booking_page_and_the_appointment(
    client: Client, officer, community_order, contact_types
) -> None:
    RegistrationFactory.create(
        person=community_order.person, type=Registration.Type.RISK_TO_STAFF, from_date=date(2026, 3, 2)
    )
    client.force_login(officer.user)
    for page in pages(client, officer, community_order, contact_types):
        assert RISK in page
        assert "Flagged as a risk to staff since 2 March 2026" in page


@pytest.mark.parametrize("rosh", [Rosh.HIGH, Rosh.VERY_HIGH])
def test_a_high_rosh_is_taken_as_a_risk_to_staff(client: Client, officer, community_order, contact_types, rosh) -> None:
    community_order.person.rosh = rosh
    community_order.person.save()
    client.force_login(officer.user)
    for page in pages(client, officer, community_order, contact_types):
        assert f"{rosh.label} risk of serious harm: take it as a risk to staff" in page


def test_no_banner_without_a_risk_to_staff(client: Client, officer, community_order, contact_types) -> None:
    community_order.person.rosh = Rosh.MEDIUM
    community_order.person.save()
    client.force_login(officer.user)
    for page in pages(client, officer, community_order, contact_types):
        assert RISK not in page

"""Letters made from a case (issue 22): the officer's name, the office address, the next appointment and the
adjustments the person needs (large print when one asks for it); a copy kept as a document on the case."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from cases.letters import services
from cases.letters.selectors import letter_facts
from cases.models import Address, AuditEvent, Disability, Document, Event
from tests.factories import book

pytestmark = pytest.mark.today("2026-11-25")  # its appointments and letters are dated around 25 November 2026

OFFICE = "Probation Office\n12 Pilgrim Street\nNewcastle upon Tyne\nNE1 6QF"


@pytest.fixture
def case(community_order: Event, officer, contact_types) -> Event:
    assert officer.team is not None
    officer.team.office_address = OFFICE
    officer.team.save()
    person = community_order.person
    Address.objects.create(
        person=person, lines="4 Front Street\nWallsend", postcode="NE28 6AA", from_date=date(2025, 1, 1)
    )
    Disability.objects.create(
        person=person,
        type=Disability.Type.VISUAL,
        adjustments="Letters in large print\nAppointments downstairs",
        from_date=date(2024, 3, 1),
    )
    Disability.objects.create(  # ended: its adjustment no longer applies
        person=person,
        type=Disability.Type.MOBILITY,
        adjustments="A ground-floor room",
        from_date=date(2020, 1, 1),
        to_date=date(2021, 1, 1),
    )
    book(officer, community_order, contact_types["office_visit"], datetime(2026, 12, 2, 14, 30, tzinfo=UTC))
    return community_order


def test_an_appointment_letter_shows_the_officer_office_appointment_and_adjustments(
    client: Client, officer, case: Event, django_assert_max_num_queries
) -> None:
    client.force_login(officer.user)
    with django_assert_max_num_queries(45):  # the letter's facts are 7; most of the rest is the case's ledger
        response = client.post(f"/cases/X123456/events/{case.ref}/letters/new/", {"kind": "appointment"})
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/X123456/documents/{document.pk}/letter/"
    assert (document.type, document.letter, document.dated_on) == ("letter_sent", "appointment", date(2026, 11, 25))
    assert document.name == "appointment-letter-X123456-2026-11-25.html"
    assert document.content_type == "text/html; charset=utf-8"

    page = client.get(response["Location"]).content.decode()
    assert "Olivia Officer" in page
    assert "12 Pilgrim Street<br>Newcastle upon Tyne<br>NE1 6QF" in page
    assert "Wednesday 2 December 2026 at 2:30 p.m.: office visit" in page
    assert "<li>Letters in large print</li><li>Appointments downstairs</li>" in page
    assert "A ground-floor room" not in page
    assert "app-letter--large-print" in page  # an adjustment asks for large print
    assert "4 Front Street<br>Wallsend<br>NE28 6AA" in page
    assert "data-app-print" in page
    assert "app-no-print" in page

    with document.file.open("rb") as stored:  # the copy kept on the case is the same letter
        copy = stored.read().decode()
    assert "Olivia Officer" in copy
    assert "12 Pilgrim Street" in copy
    assert "Letters in large print" in copy
    assert AuditEvent.objects.filter(action="document.add", detail__letter="appointment").count() == 1


def test_a_letter_without_a_large_print_adjustment_is_in_ordinary_print(officer, case: Event) -> None:
    Disability.objects.filter(person=case.person).update(adjustments="Appointments downstairs")
    facts = letter_facts(case)
    assert facts.adjustments == ["Appointments downstairs"]
    assert not facts.large_print


def test_the_office_is_the_pdus_when_the_team_has_none(officer, case: Event) -> None:
    assert officer.team is not None
    officer.team.office_address = ""
    officer.team.save()
    officer.team.pdu.office_address = "Tyneside PDU\n1 Quayside\nNE1 3DX"
    officer.team.pdu.save()
    assert letter_facts(Event.objects.select_related("person", "pdu").get(pk=case.pk)).office_address == [
        "Tyneside PDU",
        "1 Quayside",
        "NE1 3DX",
    ]


def test_a_warning_letter_needs_a_warning(client: Client, officer, case: Event) -> None:
    client.force_login(officer.user)
    page = client.post(f"/cases/X123456/events/{case.ref}/letters/new/", {"kind": "warning"}).content.decode()
    assert "There is no warning on this sentence to write about" in page
    assert "There is a problem" in page
    assert Document.objects.count() == 0


def test_a_letter_is_made_only_by_those_who_may_change_the_case(client: Client, colleague, case: Event) -> None:
    client.force_login(colleague.user)
    assert client.post(f"/cases/X123456/events/{case.ref}/letters/new/", {"kind": "appointment"}).status_code == 403
    assert Document.objects.count() == 0


def test_the_letter_page_and_its_copy_are_refused_to_a_limited_access_outsider(
    client: Client, officer, excluded_case, contact_types
) -> None:
    event = excluded_case.events.get()
    owner = event.allocations.get().staff
    book(owner, event, contact_types["office_visit"], datetime(2026, 12, 2, 14, 30, tzinfo=UTC))
    letter = services.letter_make(event=event, user=owner.user, kind="appointment")
    client.force_login(officer.user)
    for path in (f"/cases/E000001/documents/{letter.pk}/letter/", f"/cases/E000001/documents/{letter.pk}/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "Excluded" not in response.content.decode()

"""Issue 22, done when: an officer records a move of address, adds a personal contact and a disability with its
adjustment, records a RoSH assessment with a breakdown, uploads a PDF and downloads it, and prints an appointment
letter that shows their name, the office and the adjustment."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from cases.models import Address, AuditEvent, Disability, Document, Event, PersonalContact
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, book

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fill_date(scope: Locator | Page, day: date) -> None:
    scope.get_by_label("Day", exact=True).fill(str(day.day))
    scope.get_by_label("Month", exact=True).fill(str(day.month))
    scope.get_by_label("Year", exact=True).fill(str(day.year))


@pytest.mark.django_db(transaction=True)
def test_an_officer_keeps_the_person_record_and_prints_an_appointment_letter(
    page: Page, live_server, officer, community_order: Event, contact_types, tmp_path: Path
) -> None:
    assert officer.team is not None
    officer.team.office_address = "Probation Office\n12 Pilgrim Street\nNewcastle upon Tyne\nNE1 6QF"
    officer.team.save()
    person = community_order.person
    Address.objects.create(
        person=person, lines="4 Front Street\nWallsend", postcode="NE28 6AA", from_date=date(2025, 1, 1)
    )
    book(officer, community_order, contact_types["office_visit"], datetime(2026, 12, 2, 14, 30, tzinfo=UTC))
    sign_in(page, live_server.url, officer.user.username, PASSWORD)
    main = page.locator("main")

    # A move of address: the old main address is closed the day before.
    page.goto(f"{live_server.url}/cases/X123456/person/")
    page.get_by_role("link", name="Record a move").click()
    main.get_by_label("Main address").check()
    main.get_by_label("Address", exact=True).fill("7 Heaton Road\nNewcastle upon Tyne")
    main.get_by_label("Postcode").fill("NE6 5HN")
    fill_date(main, date(2026, 11, 20))
    main.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("7 Heaton Road")
    assert Address.objects.get(person=person, lines__startswith="4 Front").to_date == date(2026, 11, 19)

    # A personal contact.
    page.get_by_role("link", name="Add a personal contact").click()
    main.get_by_label("Name", exact=True).fill("Pat Example")
    main.get_by_label("Next of kin").check()
    main.get_by_label("Phone number").fill("0191 496 0000")
    fill_date(main.get_by_role("group", name="Start date"), date(2024, 1, 1))
    main.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("Pat Example")
    assert PersonalContact.objects.get(person=person).relationship == "next_of_kin"

    # A disability with its adjustment.
    page.get_by_role("link", name="Add a disability or condition").click()
    main.get_by_label("Visual").check()
    main.get_by_label("Adjustments agreed").fill("Letters in large print")
    fill_date(main.get_by_role("group", name="Start date"), date(2024, 3, 1))
    main.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("Letters in large print")
    assert Disability.objects.get(person=person).adjustments == "Letters in large print"

    # A RoSH assessment broken down by who is at risk: the overall level is the highest.
    page.goto(f"{live_server.url}/cases/X123456/risk/full/")
    page.get_by_role("link", name="Record a RoSH assessment").click()
    fill_date(main, date(2026, 11, 24))
    main.get_by_label("Risk to the public in the community").select_option("high")
    main.get_by_label("Risk to children in the community").select_option("medium")
    main.get_by_role("button", name="Save").click()
    expect(main).to_contain_text("High")
    person.refresh_from_db()
    assert person.rosh == "high"

    # Upload a PDF, then download it.
    page.goto(f"{live_server.url}/cases/X123456/documents/")
    page.get_by_role("link", name="Upload a document").click()
    upload = tmp_path / "upload" / "psr.pdf"
    upload.parent.mkdir()
    upload.write_bytes(PDF)
    main.get_by_label("Upload a file").set_input_files(upload)
    main.get_by_label("Pre-sentence report").check()
    fill_date(main, date(2026, 11, 2))
    main.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#documents")).to_contain_text("psr.pdf")
    with page.expect_download() as download_info:
        page.locator("#documents").get_by_role("link", name="psr.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "psr.pdf"
    saved = tmp_path / "psr.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF
    assert AuditEvent.objects.filter(action="document.download", user=officer.user).count() == 1

    # Make and print an appointment letter: their name, the office, the next appointment and the adjustment.
    page.goto(f"{live_server.url}/cases/X123456/documents/")
    page.get_by_role("link", name="Make a letter").click()
    main.get_by_label("Appointment letter").check()
    main.get_by_role("button", name="Save").click()
    letter = page.locator(".app-letter")
    expect(letter).to_contain_text("Olivia Officer")
    expect(letter).to_contain_text("12 Pilgrim Street")
    expect(letter).to_contain_text("Wednesday 2 December 2026")
    expect(letter).to_contain_text("Letters in large print")
    expect(letter).to_contain_text("7 Heaton Road")  # to the address they moved to
    expect(letter).to_have_class("app-letter app-letter--large-print")
    expect(page.get_by_role("button", name="Print this letter")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this letter")).to_be_hidden()
    expect(letter).to_be_visible()
    assert Document.objects.filter(person=person, letter="appointment").count() == 1

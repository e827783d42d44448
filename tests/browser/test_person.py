"""Issue 22 in a browser: an officer records a move of address, adds a personal contact and a disability with its
adjustment (then shown where appointments are booked), and records a RoSH assessment with a breakdown."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from cases.models import Address
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD


def fill_date(page: Page, name: str, on: date) -> None:
    page.locator(f'input[name="{name}_0"]').fill(str(on.day))
    page.locator(f'input[name="{name}_1"]').fill(str(on.month))
    page.locator(f'input[name="{name}_2"]').fill(str(on.year))


@pytest.mark.django_db(transaction=True)
def test_an_officer_records_the_person_in_full(page: Page, live_server, officer, community_order) -> None:
    Address.objects.create(person=community_order.person, lines="1 Old Road\nGateshead", from_date=date(2025, 1, 1))
    sign_in(page, live_server.url, "officer", PASSWORD)
    case = f"{live_server.url}/cases/X123456"
    page.goto(f"{case}/")
    page.get_by_role("link", name="All personal details, addresses, contacts, circumstances and disabilities").click()

    page.get_by_role("link", name="Record a move").click()
    page.get_by_label("Main address").check()
    page.get_by_label("Address", exact=True).fill("2 New Street\nNewcastle")
    page.get_by_label("Postcode").fill("ne1 4st")
    fill_date(page, "moved_on", date(2026, 11, 2))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Move of address recorded")
    addresses = page.locator("#addresses tbody tr")
    expect(addresses.first).to_contain_text("2 New Street")
    expect(addresses.first).to_contain_text("Current")
    expect(addresses.nth(1)).to_contain_text("1 Nov 2026")  # the old address ends the day before the move

    page.get_by_role("link", name="Add a personal contact").click()
    page.get_by_label("Name").fill("Alex Example")
    page.get_by_label("Next of kin").check()
    page.get_by_label("Phone number").fill("0191 496 0000")
    fill_date(page, "from_date", date(2025, 1, 1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#personal-contacts")).to_contain_text("Alex Example")

    page.get_by_role("link", name="Add a disability or condition").click()
    page.get_by_label("Mobility").check()
    page.get_by_label("Adjustments agreed").fill("Appointments downstairs")
    fill_date(page, "from_date", date(2025, 1, 1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#disabilities")).to_contain_text("Appointments downstairs")

    page.goto(f"{case}/events/1/appointments/new/")
    expect(page.locator("#adjustments")).to_contain_text("Appointments downstairs")

    page.goto(f"{case}/risk/full/")
    page.get_by_role("link", name="Record a RoSH assessment").click()
    fill_date(page, "assessed_on", date(2026, 11, 20))
    page.get_by_label("Risk to children in the community").select_option("high")
    page.get_by_label("Risk to staff in custody").select_option("medium")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#overall-rosh")).to_contain_text("High")
    expect(page.locator(".rosh-assessment").first).to_contain_text("overall high")
    page.goto(f"{case}/")
    expect(page.locator("#risk-summary")).to_contain_text("Children: high in the community")

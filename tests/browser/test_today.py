"""Today in a real browser: an officer with items of every kind signs in, lands on Today, sees each section
with its count and rows, and one click on each item lands on the page that acts on it."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_sign_in import sign_in
from tests.cases.test_today import World, durham, world  # noqa: F401 (fixtures)
from tests.factories import PASSWORD

# Each section: its heading, and for its first row, the action link's text and the heading of the page it opens.
SECTIONS: list[tuple[str, str | None, str, str | re.Pattern[str]]] = [
    ("appointments", "Appointments (3)", "Record outcome", re.compile("^Record the outcome of the office visit on ")),
    ("standards", None, "Book the appointment", "Book an appointment: event 1, community order"),
    ("evidence", "Absences awaiting evidence (1)", "Decide on the evidence", "Change a contact"),
    ("referrals", "Referrals awaiting a response (1)", "Record the response", "Update the referral to Housing advice"),
    ("transfers", "Transfers you requested (1)", "View the case", "Tia Moving"),
    ("enforcement", "Enforcement decisions waiting (1)", "Decide", "Decide on a failure to comply"),
]


@pytest.mark.today("2026-11-25")  # the world's facts are dated from this Wednesday
@pytest.mark.django_db(transaction=True)
def test_an_officer_lands_on_today_and_one_click_acts_on_each_item(
    page: Page,
    live_server,
    world: World,  # noqa: F811
) -> None:
    sign_in(page, live_server.url, "officer", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/cases/today/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    today = page.url
    for key, heading, action, lands_on in SECTIONS:
        section = page.locator(f'section[data-section="{key}"]')
        title = section.get_by_role("heading", level=2)
        if heading:
            expect(title).to_have_text(heading)
        shown = int(re.findall(r"\((\d+)\)", title.inner_text())[-1])
        expect(section.locator("tbody tr")).to_have_count(shown)  # the count is the rows listed
        assert shown >= 1, key
        section.locator("tbody tr").first.get_by_role("link", name=re.compile(f"^{action}")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(lands_on)
        page.goto(today)
    expect(page.locator('section[data-section="appointments"] tbody tr').nth(1)).to_contain_text("Today")
    expect(page.locator('section[data-section="transfers"]')).to_contain_text("Pending")

    # My cases is one click away; the transfer requests list from Today
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    page.goto(today)
    page.get_by_role("link", name="All your transfer requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your transfer requests")
    expect(page.locator("#my-transfers tbody tr")).to_have_count(1)
    expect(page.locator("#my-transfers")).to_contain_text("Tyneside to County Durham")

    # The case page shows the transfer pending
    page.goto(f"{live_server.url}/cases/T000001/")
    expect(page.locator("#pending")).to_contain_text("Transfer of event 1 to County Durham pending")

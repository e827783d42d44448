import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-11-25")
def test_an_officer_writes_completes_and_reviews_a_sentence_plan(
    page: Page, live_server, officer, community_order
) -> None:
    sign_in(page, live_server.url, officer.user.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/X123456/")
    page.get_by_role("link", name="Sentence plan for event 1").click()
    page.get_by_role("link", name="Start the plan: add an objective").click()
    for area, text in [
        ("Accommodation", "Find settled housing"),
        ("Education, training and employment", "Start the CSCS course"),
    ]:
        page.get_by_label("Area of need").select_option(label=area)
        page.get_by_label("Objective", exact=True).fill(text)
        page.get_by_label("Steps").fill("Agreed with Sam")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("main")).to_contain_text(text)
        if area == "Accommodation":
            page.get_by_role("link", name="Add an objective").click()
    page.get_by_role("link", name="Complete the plan").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Completed 25 November 2026")
    page.get_by_role("link", name="Review the plan").click()
    page.get_by_label("Summary of progress").fill("Housing referral made; course booked")
    page.get_by_label("Progress: Accommodation: Find settled housing").fill("On the waiting list")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Housing referral made; course booked")
    expect(page.locator("main")).to_contain_text("On the waiting list")

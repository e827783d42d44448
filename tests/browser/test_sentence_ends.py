from datetime import date

import pytest
from playwright.sync_api import Page, expect

from cases.models import Event
from cases.tasks import standards_sweep
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-11-25")
def test_an_order_reaching_its_end_leaves_my_cases_and_the_case_shows_it_ended(
    page: Page, live_server, officer, community_order, contact_types
) -> None:
    Event.objects.filter(pk=community_order.pk).update(expected_end_date=date(2026, 11, 20))  # Friday
    sign_in(page, live_server.url, officer.user.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("main")).to_contain_text("X123456")

    standards_sweep()  # the nightly job: the order ended at the end of Friday 20 November

    page.reload()
    expect(page.locator("main")).not_to_contain_text("X123456")
    page.goto(f"{live_server.url}/cases/X123456/")
    card = page.locator("#event-1")
    expect(card.get_by_role("heading", level=3)).to_contain_text("Ended")
    expect(card).to_contain_text("20 November 2026: Completed")
    expect(card).to_contain_text("This sentence ended on 20 November 2026 (completed)")
    expect(card.get_by_role("link", name="Book an appointment")).to_have_count(0)
    expect(card.get_by_role("link", name="Record an early end")).to_have_count(0)

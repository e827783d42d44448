from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Requirement
from interventions.models import Service, UpwSession
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD


def log_session(page: Page, day, work: str, ete: str = "") -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Save session"))
    form.get_by_label("Day", exact=True).fill(str(day.day))
    form.get_by_label("Month", exact=True).fill(str(day.month))
    form.get_by_label("Year", exact=True).fill(str(day.year))
    form.get_by_label("Attended", exact=True).check()
    form.get_by_label("Hours worked").fill(work)
    if ete:
        form.get_by_label("ETE hours").fill(ete)
    form.get_by_role("button", name="Save session").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Session recorded")


@pytest.mark.django_db(transaction=True)
def test_an_officer_refers_to_housing_and_logs_unpaid_work(
    page: Page, live_server, officer, community_order, contact_types
) -> None:
    Service.objects.create(
        name="Tyneside Housing Options", provider="Newcastle City Council", area="accommodation", region=officer.region
    )
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/cases/X123456/")
    page.get_by_role("link", name="Refer to a service for event 1").click()
    service = "Accommodation: Tyneside Housing Options (Newcastle City Council)"
    page.get_by_label("Service", exact=True).select_option(label=service)
    page.get_by_label("Why are you referring them?").fill("Sofa-surfing since release from hospital")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#referrals-1")).to_contain_text("Tyneside Housing Options: referred, awaiting a response")

    order = Requirement.objects.get(event=community_order, type="unpaid_work")
    page.get_by_role("link", name="Unpaid work: 120 hours").click()
    expect(page.locator("#hours-remaining")).to_have_text("120")
    expect(page.locator("#projected-completion")).to_contain_text("No hours in the last 4 weeks")
    today = timezone.localdate()
    log_session(page, today - timedelta(days=7), work="6")
    expect(page.locator("#hours-remaining")).to_have_text("114")
    first_projection = page.locator("#projected-completion").inner_text()
    log_session(page, today - timedelta(days=1), work="4", ete="3")
    expect(page.locator("#hours-remaining")).to_have_text("107")
    expect(page.locator("#projected-completion")).not_to_have_text(first_projection)
    expect(page.locator("#upw-summary")).to_contain_text("3 ETE")
    assert UpwSession.objects.filter(requirement=order).count() == 2

import pytest
from playwright.sync_api import Page, expect

from regions.models import WorkloadWeight
from regions.workload_points import ensure_weights
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, EventFactory, case_for


@pytest.mark.django_db(transaction=True)
def test_an_spo_allocates_to_the_officer_with_most_room_and_sees_their_capacity_rise(
    page: Page, live_server, spo, officer, colleague
) -> None:
    ensure_weights(WorkloadWeight)  # transactional tests flush the migration's rows
    case_for(officer, tier="B2")  # community B2: 115 of 2,176 points -> 5%
    for _ in range(3):
        case_for(colleague, tier="A3")
        case_for(spo, tier="A3")
    EventFactory.create(
        person__pdu=officer.pdu,
        person__crn="N000001",
        person__first_name="Nia",
        person__last_name="New",
        person__tier="A3",
    )

    sign_in(page, live_server.url, "spo", PASSWORD)
    page.goto(f"{live_server.url}/team/")
    officers = page.get_by_test_id("officers")
    expect(officers.locator(f'tr[data-officer="{officer.code}"] [data-testid="capacity"]')).to_have_text("5%")
    page.get_by_test_id("unallocated").get_by_role("link", name="Allocate Nia New").click()

    first_choice = page.locator('input[name="staff"]').first
    expect(page.get_by_label("Olivia Officer", exact=False)).to_be_visible()
    assert first_choice.get_attribute("value") == str(officer.pk)  # the most room comes first
    first_choice.check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Olivia Officer is now the responsible officer")

    page.goto(f"{live_server.url}/team/")
    # + community A3, 206 points: 321 / 2,176 = 14.75% -> 15%
    expect(officers.locator(f'tr[data-officer="{officer.code}"] [data-testid="capacity"]')).to_have_text("15%")
    expect(page.get_by_text("Every case in the PDU has a responsible officer.")).to_be_visible()

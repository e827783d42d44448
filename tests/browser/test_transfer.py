import pytest
from playwright.sync_api import Page, expect

from probation.roles import Role
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, PDUFactory, StaffMemberFactory, TeamFactory


@pytest.mark.django_db(transaction=True)
def test_a_receiving_spo_accepts_a_transfer_and_the_case_changes_caseloads(
    page: Page, live_server, officer, community_order
) -> None:
    durham = TeamFactory.create(
        code="NE-DUR-T1",
        name="Durham Team 1",
        pdu=PDUFactory.create(code="NE-DUR", name="County Durham", region=officer.region),
    )
    StaffMemberFactory.create(team=durham, grade="SPO", user__username="durham_spo", user__roles=[Role.SPO])
    dana = StaffMemberFactory.create(team=durham, user__username="dana", user__roles=[Role.OFFICER], name="Dana Durham")

    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/cases/X123456/")
    page.get_by_role("link", name="Request a transfer of event 1").click()
    page.get_by_label("Transfer to").select_option(label="County Durham (North East)")
    page.get_by_label("Why is the case transferring?").fill("Moved in with family in Durham")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Transfer to County Durham requested")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "durham_spo", PASSWORD)
    page.get_by_role("link", name="Transfers").click()
    page.get_by_role("link", name="Decide on the transfer of Sam Example").click()
    page.get_by_label("Accept, and allocate a receiving officer").check()
    page.get_by_label("Receiving officer", exact=True).select_option(label=str(dana))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Transfer completed")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "dana", PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("main")).to_contain_text("EXAMPLE, Sam")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "officer", PASSWORD)
    expect(page.locator('section[data-section="transfers"]')).to_contain_text("Accepted and completed")
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator("main")).not_to_contain_text("EXAMPLE, Sam")

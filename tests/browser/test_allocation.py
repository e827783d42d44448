import pytest
from playwright.sync_api import Page, expect

from probation.roles import Role
from regions.models import StaffMember, WorkloadWeight
from regions.workload_points import ensure_weights
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, EventFactory, StaffMemberFactory, case_for


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


@pytest.mark.django_db(transaction=True)
def test_an_spo_justifies_a_high_rosh_case_for_a_pso_and_the_pdu_head_sees_the_override(
    page: Page, live_server, spo, pdu_head, team
) -> None:
    ensure_weights(WorkloadWeight)
    StaffMemberFactory.create(
        team=team, grade=StaffMember.Grade.PSO, name="Priya Services", user__username="pso", user__roles=[Role.OFFICER]
    )
    EventFactory.create(
        person__pdu=team.pdu,
        person__crn="H000001",
        person__first_name="Hal",
        person__last_name="High",
        person__rosh="high",
    )

    sign_in(page, live_server.url, "spo", PASSWORD)
    page.goto(f"{live_server.url}/cases/unallocated/")
    page.get_by_role("link", name="Allocate Hal High").click()
    expect(page.get_by_test_id("case-summary")).to_contain_text("High")
    expect(page.get_by_test_id("override-warning")).to_contain_text(
        "Allocating to Priya Services needs a justification"
    )
    expect(page.get_by_test_id("needs-justification")).to_contain_text("High RoSH case to a probation services officer")
    page.get_by_label("Priya Services", exact=True).check()
    page.get_by_role("button", name="Allocate").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are allocating to Priya Services")
    expect(page.get_by_label("Priya Services", exact=True)).to_be_checked()
    page.get_by_label("Why are you allocating to this officer?").fill("Experienced PSO; every PO is over capacity")
    page.get_by_role("button", name="Allocate").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Priya Services is now the responsible officer")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "pdu_head", PASSWORD)
    page.goto(f"{live_server.url}/cases/allocation-overrides/")
    overrides = page.get_by_test_id("overrides")
    expect(overrides).to_contain_text("HIGH, Hal")
    expect(overrides).to_contain_text("Priya Services")
    expect(overrides).to_contain_text("High RoSH case to a probation services officer")
    expect(overrides).to_contain_text("Experienced PSO; every PO is over capacity")

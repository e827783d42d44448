"""An overdue item follows a reallocation to the new officer's list and counts (issue 18, "Work follows the case")."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Obligation
from cases.standards import ledger
from probation.roles import Role
from regions.models import WorkloadWeight
from regions.workload_points import ensure_weights
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, StaffMemberFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-11-26")
def test_an_overdue_item_follows_a_reallocation_to_the_new_officers_list_and_counts(
    page: Page, live_server, spo, officer, team, community_order, contact_types
) -> None:
    ensure_weights(WorkloadWeight)  # transactional tests flush the migration's rows
    newcomer = StaffMemberFactory.create(
        team=team, code="S09001", user__username="newcomer", user__roles=[Role.OFFICER], name="Nadia Newcomer"
    )
    ledger.rebuild()  # Sam Example's order, sentenced 19 December 2025: no initial appointment since
    overdue = Obligation.objects.filter(event=community_order, state="overdue").count()
    assert overdue > 0

    def counts(code: str) -> tuple[str, str]:
        row = page.get_by_test_id("officers").locator(f'tr[data-officer="{code}"]')
        return (
            row.locator(f'a[href$="officer={code}&show=overdue"]').inner_text().split("\n")[0].split(" ")[0],
            row.locator(f'a[href$="officer={code}&show=due"]').inner_text().split("\n")[0].split(" ")[0],
        )

    sign_in(page, live_server.url, "spo", PASSWORD)
    page.goto(f"{live_server.url}/team/")
    assert counts(officer.code) == (str(overdue), "1")
    assert counts(newcomer.code) == ("0", "0")

    page.goto(f"{live_server.url}/cases/X123456/events/1/allocate/")
    page.get_by_label("Nadia Newcomer", exact=False).check()
    page.get_by_label("Caseload adjustment", exact=True).check()  # the coded reason for a reallocation
    page.get_by_role("button", name="Reallocate").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Nadia Newcomer is now the responsible officer")

    page.goto(f"{live_server.url}/team/")
    assert counts(newcomer.code) == (str(overdue), "1")
    assert counts(officer.code) == ("0", "0")
    page.get_by_test_id("officers").get_by_role("link", name=f"{overdue} overdue for Nadia Newcomer").click()
    items = page.locator("#standards-items tbody tr")
    expect(items).to_have_count(overdue)
    expect(items.filter(has_text="X123456")).to_have_count(overdue)
    expect(items.first).to_contain_text("Nadia Newcomer")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "newcomer", PASSWORD)
    page.goto(f"{live_server.url}/cases/")
    standards = page.get_by_test_id("standards-counts")
    expect(standards).to_contain_text(f"{overdue} overdue")
    standards.get_by_role("link", name=re.compile(f"{overdue} overdue")).click()
    expect(page.locator("#standards-items tbody tr")).to_have_count(overdue)
    page.goto(f"{live_server.url}/cases/standards/")
    expect(page.locator("#standards-items tbody tr").filter(has_text="X123456")).to_have_count(overdue + 1)

    page.context.clear_cookies()
    sign_in(page, live_server.url, "officer", PASSWORD)
    page.goto(f"{live_server.url}/cases/standards/")
    expect(page.get_by_text("Nothing is overdue")).to_be_visible()

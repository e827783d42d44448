import pytest
from playwright.sync_api import Page, expect

from cases.models import AuditEvent
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_an_officer_finds_a_person_by_partial_surname_and_an_excluded_officer_is_kept_out(
    page: Page, live_server, officer, colleague, community_order, excluded_case
) -> None:
    # The colleague finds Sam Example by part of the surname and opens the case.
    sign_in(page, live_server.url, colleague.user.username, PASSWORD)
    page.get_by_role("link", name="Find a person").click()
    page.get_by_label("CRN, name or PNC number").fill("xamp")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="EXAMPLE, Sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Example")
    event_card = page.locator("#event-1")
    expect(event_card).to_contain_text(officer.name)  # the RO
    expect(event_card).to_contain_text("Unpaid work: 120 hours")
    expect(event_card).to_contain_text("RAR: 20 days")
    expect(page.locator("#registrations")).to_contain_text("Domestic abuse perpetrator")

    # The colleague can read the case the officer is excluded from.
    page.goto(f"{live_server.url}/cases/{excluded_case.crn}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erin Excluded")
    page.get_by_role("button", name="Sign out").click()

    # The excluded officer sees only that it exists, and whom to ask.
    sign_in(page, live_server.url, officer.user.username, PASSWORD)
    page.goto(f"{live_server.url}/cases/{excluded_case.crn}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This case has limited access")
    expect(page.locator("main")).to_contain_text("ask the SPO of Tyneside Team 1")
    expect(page.locator("main")).not_to_contain_text("Erin")

    trail = list(AuditEvent.objects.filter(person=excluded_case).order_by("id").values_list("user__username", "action"))
    assert trail == [("colleague", "case.view"), ("officer", "case.view_refused")]
    assert (
        AuditEvent.objects.filter(person=community_order.person, action="case.view", user=colleague.user).count() == 1
    )

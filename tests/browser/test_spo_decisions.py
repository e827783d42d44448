"""The SPO's decisions in the browser (issue 18): an oversight with disagree and a note, and a transfer accepted
end to end by the receiving PDU's SPO, who then sees the previous officer's future appointments."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.contacts import services as contacts
from cases.models import Outcome
from probation.roles import Role
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, PDUFactory, StaffMemberFactory, TeamFactory, book


def _at(days: int, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


@pytest.mark.django_db(transaction=True)
def test_an_spo_disagrees_with_an_officer_over_acceptable_absences_and_the_case_shows_it(
    page: Page, live_server, officer, spo, community_order, contact_types
) -> None:
    notes = ["GP letter seen", "Hospital appointment, letter on file", "Child ill, school confirmed"]
    for days_ago, note in zip((21, 14, 7), notes, strict=True):
        absence = book(officer, community_order, contact_types["office_visit"], _at(-days_ago, 10))
        contacts.record_outcome(
            contact=absence, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness", notes=note
        )

    sign_in(page, live_server.url, "spo", PASSWORD)
    page.goto(f"{live_server.url}/cases/oversight/")
    page.get_by_role("link", name="Record oversight for Sam Example").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Management oversight: Three acceptable absences")
    absences = page.locator("#oversight-absences")
    for note in notes:
        expect(absences).to_contain_text(note)
    expect(absences).to_contain_text("Illness, with evidence")
    expect(page.locator("#oversight-compliance")).to_contain_text("Acceptable absences")

    page.get_by_label("No, I disagree").check()
    page.get_by_role("button", name="Record oversight").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you disagree with the officer")
    page.get_by_label("No, I disagree").check()
    page.get_by_label("Your oversight note").fill("Three absences in three weeks: ask for evidence before accepting")
    page.get_by_role("button", name="Record oversight").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Management oversight recorded")
    expect(page.locator("#oversight-recorded")).to_contain_text("Disagreed")

    page.goto(f"{live_server.url}/cases/X123456/")
    history = page.locator("#oversight-history")
    expect(history).to_contain_text("Disagreed")
    expect(history).to_contain_text("Three absences in three weeks: ask for evidence before accepting")


@pytest.mark.django_db(transaction=True)
def test_the_receiving_spo_accepts_a_transfer_seeing_the_case_and_the_appointments_to_rebook(
    page: Page, live_server, officer, community_order, contact_types
) -> None:
    durham = TeamFactory.create(
        code="NE-DUR-T1",
        name="Durham Team 1",
        pdu=PDUFactory.create(code="NE-DUR", name="County Durham", region=officer.region),
    )
    StaffMemberFactory.create(team=durham, grade="SPO", user__username="durham_spo", user__roles=[Role.SPO])
    dana = StaffMemberFactory.create(team=durham, user__username="dana", user__roles=[Role.OFFICER], name="Dana Durham")
    upcoming = book(officer, community_order, contact_types["office_visit"], _at(8, 14))

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
    expect(page.get_by_role("heading", level=1)).to_have_text("Transfer request for Sam Example")
    summary = page.locator("#transfer-summary")
    for shown in (
        "X123456",
        "Community order",
        "Medium",
        "B2",
        "Domestic abuse perpetrator",
        "Olivia Officer",
        "Tyneside (North East)",
        "County Durham (North East)",
        "Moved in with family in Durham",
    ):
        expect(summary).to_contain_text(shown)
    page.get_by_label("Accept, and allocate a receiving officer").check()
    page.get_by_label("Receiving officer", exact=True).select_option(label=str(dana))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Transfer completed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments to book again or cancel")
    row = page.locator("#appointments-left-behind tbody tr")
    expect(row).to_have_count(1)
    local = timezone.localtime(upcoming.starts_at)
    expect(row).to_contain_text(f"{local:%a} {local.day} {local:%b %Y}")
    expect(row).to_contain_text("14:00")
    expect(row).to_contain_text("Office visit")
    expect(row).to_contain_text("Olivia Officer")
    expect(row.get_by_role("link", name="Book again")).to_be_visible()
    row.get_by_role("link", name="Cancel").click()
    page.get_by_label("Why is the appointment cancelled?").fill("Transferred to County Durham")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Appointment cancelled")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "dana", PASSWORD)
    expect(page.locator("main")).to_contain_text("EXAMPLE, Sam")

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import Page, expect

from cases.contacts import services as contacts
from cases.models import ContactType, Event, Outcome
from cases.reference import ensure_contact_types
from cases.standards import ledger
from regions.performance import rollups
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, PDUFactory, StaffMemberFactory, TeamFactory, book, case_for


def _orders(officer, crns: list[str], seen: int) -> None:
    """Community orders sentenced 5 January 2026; the first `seen` of them seen on the 7th (on time)."""
    events = [case_for(officer, crn=crn) for crn in crns]
    Event.objects.filter(pk__in=[e.pk for e in events]).update(sentence_date=date(2026, 1, 5))
    ledger.refresh_events([e.pk for e in events])
    first = ContactType.objects.get(code="initial_appointment")
    for event in events[:seen]:
        contact = book(officer, event, first, datetime(2026, 1, 7, 10, tzinfo=UTC))
        contacts.record_outcome(contact=contact, user=officer.user, outcome=Outcome.ATTENDED)


@pytest.mark.django_db(transaction=True)
def test_a_director_sorts_the_league_drills_into_the_worst_pdu_and_reaches_a_case(
    page: Page, live_server, director, officer
) -> None:
    ensure_contact_types(ContactType)
    durham = TeamFactory.create(
        code="NE-DUR-T1",
        name="Durham Team 1",
        pdu=PDUFactory.create(code="NE-DUR", name="County Durham", region=officer.region),
    )
    dana = StaffMemberFactory.create(team=durham, name="Dana Durham")
    _orders(officer, ["T000001", "T000002", "T000003"], seen=1)  # Tyneside: 1 of 3
    _orders(dana, ["D100001", "D100002"], seen=2)  # Durham: 2 of 2
    rollups.refresh(rollups.month_starts(date(2026, 1, 1), date(2026, 1, 1)))

    sign_in(page, live_server.url, "director", PASSWORD)
    page.goto(f"{live_server.url}/performance/region/{officer.region.code}/?period=month&to=2026-01")
    league = page.get_by_test_id("league")
    league.get_by_role("link", name="Value").click()  # ascending: the worst first
    expect(league.locator("tbody tr").first).to_have_attribute("data-code", officer.pdu.code)
    expect(league.locator("tbody tr").first).to_contain_text("33.3%")
    league.locator("tbody tr").first.get_by_role("link", name=officer.pdu.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(officer.pdu.name)
    page.get_by_test_id("league").get_by_role("link", name="1 cases behind this number").click()
    expect(page.get_by_test_id("cases")).to_contain_text("Not met")
    page.get_by_test_id("cases").get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("T00000")

"""A national user walks national -> region -> PDU -> team -> officer -> cases over two regions (issue 19): at
each level the units' rows add up to the level's own total, each unit's row is the same number on the page
below, and every number that opens a list (each PDU's, each team's, what no team holds, each officer's) opens
exactly that many cases, the met ones as many as the number met."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from cases.models import ContactType
from cases.reference import ensure_contact_types
from regions.performance import rollups
from tests.browser.test_sign_in import sign_in
from tests.cases.test_performance_fresh import PLAN
from tests.cases.test_performance_levels import MONTHS, PERIOD, build, organisation
from tests.factories import PASSWORD

MEASURE = "initial_contact_order"
TITLE = "Initial contact: orders"


def _number(cell: Locator) -> int:
    return int(cell.inner_text().split()[0])  # a linked number says whose cases it opens, visually hidden


def _counts(row: Locator) -> tuple[int, int]:
    cells = row.locator("td")
    return _number(cells.nth(1)), _number(cells.nth(2))


def _rows(page: Page) -> dict[str, tuple[int, int]]:
    """The league's rows by code ("" for the row of what none of the units holds)."""
    rows = page.get_by_test_id("league").locator("tbody tr")
    return {rows.nth(i).get_attribute("data-code") or "": _counts(rows.nth(i)) for i in range(rows.count())}


def _total(page: Page) -> tuple[int, int]:
    summary = page.get_by_test_id("summary").locator("tbody tr").filter(has_text=TITLE).first
    cells = summary.locator("td")
    return int(cells.nth(1).inner_text()), int(cells.nth(2).inner_text())


def _each_opens_exactly_its_cases(page: Page, rows: dict[str, tuple[int, int]]) -> int:
    """Opens the cases behind each row's number (those counting any) and comes back; how many it opened."""
    opened = 0
    here = page.url
    for code, (met, due) in rows.items():
        if not due:
            continue
        row = page.get_by_test_id("league").locator(f'tbody tr[data-code="{code}"]')
        row.get_by_role("link", name=re.compile("cases behind this number")).click()
        expect(page.get_by_test_id("count")).to_have_text(f"{due} counted, {met} of them met on time.")
        cases = page.get_by_test_id("cases").locator("tbody tr")
        expect(cases).to_have_count(due)  # fewer than a page (50) in this organisation
        states = cases.locator("td:nth-child(4)").all_inner_texts()
        assert states.count("Met") == met, states
        assert set(states) <= {"Met", "Met late", "Not met: missed", "Not met: overdue"}, states  # none not yet due
        page.goto(here)
        opened += 1
    return opened


def _adds_up(page: Page) -> dict[str, tuple[int, int]]:
    rows = _rows(page)
    total = _total(page)
    assert (sum(n for n, _ in rows.values()), sum(d for _, d in rows.values())) == total
    return rows


@pytest.mark.django_db(transaction=True)
def test_a_national_user_walks_every_level_and_the_numbers_agree(page: Page, live_server, national) -> None:
    ensure_contact_types(ContactType)
    org = organisation()
    build(org, PLAN, ContactType.objects.get(code="office_visit"))
    rollups.refresh(MONTHS)
    pdu = org.pdus[0]
    team = pdu.teams.order_by("code").first()
    assert team is not None

    sign_in(page, live_server.url, "national", PASSWORD)
    page.goto(f"{live_server.url}/performance/national/?{PERIOD}&measure={MEASURE}")
    regions = _adds_up(page)
    assert set(regions) == {"N", "S"}
    page.get_by_test_id("league").get_by_role("link", name="North", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North")
    assert _total(page) == regions["N"]
    pdus = _adds_up(page)
    assert _each_opens_exactly_its_cases(page, pdus) == sum(1 for _, due in pdus.values() if due) > 0
    page.get_by_test_id("league").get_by_role("link", name=pdu.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pdu.name)
    assert _total(page) == pdus[pdu.code]
    teams = _adds_up(page)
    assert "" in teams  # unallocated cases and staff without a team: a row of their own
    expect(page.get_by_test_id("rest")).to_contain_text("No team: unallocated cases and staff without a team")
    assert teams[""][1] > 0  # what no team holds counts here, and opens its own list
    assert _each_opens_exactly_its_cases(page, teams) == sum(1 for _, due in teams.values() if due)
    page.get_by_test_id("league").get_by_role("link", name=team.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(team.name)
    assert _total(page) == teams[team.code]
    officers = _adds_up(page)
    assert _each_opens_exactly_its_cases(page, officers) == sum(1 for _, due in officers.values() if due) > 0

"""Keyboard only: book, record an unacceptable absence, warn, then a second failure goes to breach."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cases.models import EnforcementAction
from tests.browser.keyboard import choose_radio, tab_to, type_into
from tests.factories import PASSWORD


def press(target: Locator, key: str = "Enter") -> None:
    tab_to(target)
    target.press(key)


def book_and_fail(page: Page, base: str, days_ago: int, outcome: str) -> None:
    day = timezone.localdate() - timedelta(days=days_ago)
    page.goto(f"{base}/cases/X123456/")
    press(page.get_by_role("link", name="Book an appointment for event 1"))
    type_select = page.get_by_label("Type of appointment")
    tab_to(type_select)
    for _ in range(2):  # Choose a type -> Initial appointment -> Office visit
        page.keyboard.press("ArrowDown")
    expect(type_select).to_have_value(
        str(type_select.locator("option", has_text="Office visit").get_attribute("value"))
    )
    type_into(page.get_by_label("Day", exact=True), str(day.day))
    type_into(page.get_by_label("Month", exact=True), str(day.month))
    type_into(page.get_by_label("Year", exact=True), str(day.year))
    type_into(page.get_by_label("Time"), "10:00")
    press(page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 appointment booked")
    press(page.get_by_role("link", name=f"Record outcome of the office visit on {day.day} {day:%B %Y}"))
    choose_radio(page.locator("main"), "outcome", outcome)
    press(page.get_by_role("button", name="Save"))


@pytest.mark.django_db(transaction=True)
def test_an_officer_warns_then_is_taken_to_breach_using_only_the_keyboard(
    page: Page, live_server, officer, community_order, contact_types
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    type_into(page.get_by_label("Username"), "officer")
    type_into(page.get_by_label("Password"), PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")

    book_and_fail(page, live_server.url, days_ago=16, outcome="Unacceptable absence")
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on a failure to comply")
    choose_radio(page.locator("main"), "kind", "Warning")
    letter_day = timezone.localdate() - timedelta(days=15)  # the day after the absence, before the next failure
    fieldset = page.get_by_role("group", name="Date of the warning letter or of initiating breach")
    type_into(fieldset.get_by_label("Day", exact=True), str(letter_day.day))
    type_into(fieldset.get_by_label("Month", exact=True), str(letter_day.month))
    type_into(fieldset.get_by_label("Year", exact=True), str(letter_day.year))
    press(page.get_by_role("button", name="Record decision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning letter")
    expect(page.locator(".app-letter")).to_contain_text("Dear Sam Example")

    book_and_fail(page, live_server.url, days_ago=2, outcome="Attended but failed to comply")
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on a failure to comply")
    expect(page.get_by_label("Warning", exact=True)).to_have_count(0)
    expect(page.locator("#breach-required")).to_contain_text("must be referred for breach")
    choose_radio(page.locator("main"), "kind", "Breach")
    press(page.get_by_role("button", name="Record decision"))
    expect(page.locator("#event-1")).to_contain_text("In breach")
    assert list(EnforcementAction.objects.order_by("id").values_list("kind", flat=True)) == ["warning", "breach"]

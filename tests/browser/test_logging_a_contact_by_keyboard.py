"""Keyboard only, no clicks: log a telephone call that was not booked, from the case to the contact log."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Contact, Outcome
from tests.browser.keyboard import press_enter_and_wait, tab_to, type_then_tab
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_an_officer_logs_an_unbooked_telephone_call_using_only_the_keyboard(
    page: Page, live_server, officer, community_order, contact_types
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    tab_to(page.get_by_label("Username"))
    type_then_tab(page, "officer")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    tab_to(page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")

    tab_to(page.get_by_role("link", name="EXAMPLE, Sam"))
    press_enter_and_wait(page)
    tab_to(page.get_by_role("link", name="Log a contact for event 1"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a contact: event 1, community order")

    # Tab enters the group of radios at its first; the arrow keys move through it, choosing as they go.
    tab_to(page.get_by_label("Office visit without an appointment"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    telephone = page.get_by_label("Telephone call")
    expect(telephone).to_be_focused()
    expect(telephone).to_be_checked()

    today = timezone.localdate()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Day", exact=True)).to_be_focused()
    type_then_tab(page, str(today.day))
    type_then_tab(page, str(today.month))
    type_then_tab(page, str(today.year))
    expect(page.get_by_label("Time")).to_be_focused()
    page.keyboard.type("09:30")
    expect(page.get_by_label("Officer")).to_have_value(str(officer.pk))  # the responsible officer, chosen first

    tab_to(page.get_by_label("Notes", exact=True))
    page.keyboard.type("Rang to say they start work on Monday")
    tab_to(page.get_by_label("These notes are sensitive"))
    page.keyboard.press("Space")
    tab_to(page.get_by_role("button", name="Save"))
    press_enter_and_wait(page)

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contact logged: telephone call")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    expect(page.locator(".govuk-tag", has_text="Sensitive")).to_be_visible()
    contact = Contact.objects.get(event=community_order)
    assert (contact.type.code, contact.outcome, contact.staff, contact.sensitive) == (
        "telephone",
        Outcome.ATTENDED,
        officer,
        True,
    )
    assert f"{timezone.localtime(contact.starts_at):%H:%M}" == "09:30"

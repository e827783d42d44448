"""Keyboard only, no clicks: sign in, reach the booking form, fail, follow the error summary, then book."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Contact
from tests.browser.keyboard import press_enter_and_wait, tab_to, type_then_tab
from tests.factories import PASSWORD


@pytest.mark.today("2026-11-25")  # a Wednesday: a week on is a working day (a weekend asks to be confirmed)
@pytest.mark.django_db(transaction=True)
def test_an_officer_books_an_appointment_using_only_the_keyboard(
    page: Page, live_server, officer, community_order, contact_types
) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page.get_by_label("Username"))
    type_then_tab(page, "officer")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    tab_to(page.get_by_role("navigation", name="Menu").get_by_role("link", name="My cases"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")

    tab_to(page.get_by_role("link", name="EXAMPLE, Sam"))
    press_enter_and_wait(page)
    tab_to(page.get_by_role("link", name="Book an appointment for event 1"))
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment: event 1, community order")

    # Saved with nothing entered: the error summary takes the focus, and its first link takes it to the field.
    tab_to(page.get_by_role("button", name="Save"))
    press_enter_and_wait(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: Book an appointment"))
    page.keyboard.press("Tab")
    first_error = summary.get_by_role("link", name="Choose the type of appointment")
    expect(first_error).to_be_focused()
    page.keyboard.press("Enter")
    appointment_type = page.get_by_label("Type of appointment")
    expect(appointment_type).to_be_focused()

    # A closed select takes typed letters; Tab then goes through the date and time in the order they are read.
    page.keyboard.type("Office visit")
    expect(appointment_type.locator("option:checked")).to_have_text("Office visit")
    day = timezone.localdate() + timedelta(days=7)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Day", exact=True)).to_be_focused()
    type_then_tab(page, str(day.day))
    expect(page.get_by_label("Month", exact=True)).to_be_focused()
    type_then_tab(page, str(day.month))
    expect(page.get_by_label("Year", exact=True)).to_be_focused()
    type_then_tab(page, str(day.year))
    expect(page.get_by_label("Time")).to_be_focused()
    page.keyboard.type("10:30")
    tab_to(page.get_by_role("button", name="Save"))
    press_enter_and_wait(page)

    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 appointment booked")
    booked = Contact.objects.get(event=community_order, type__code="office_visit")
    assert timezone.localtime(booked.starts_at).date() == day
    assert f"{timezone.localtime(booked.starts_at):%H:%M}" == "10:30"
    assert booked.staff == officer  # "With" was left at its default, the responsible officer

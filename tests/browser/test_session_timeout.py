"""The time-out warning in a real browser, under the real Content-Security-Policy: it opens before the
session ends, "Stay signed in" keeps the session, and waiting signs the person out to the sign-in page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import axe_violations
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_the_warning_keeps_the_session_or_signs_out_when_ignored(page: Page, live_server, officer, settings) -> None:
    # the warning 4 s after the last activity, the end 10 s after that: time enough for the accessibility check on a
    # slow machine (at 8 and 5 the session had ended before "Stay signed in" was pressed)
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_TIMEOUT_WARNING = 14, 10
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server.url, "officer", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")

    dialog = page.get_by_role("dialog", name=re.compile("about to be signed out$"))
    expect(dialog).to_be_visible(timeout=6000)
    expect(dialog).to_be_focused()
    expect(dialog).to_contain_text("we will sign you out in")
    assert axe_violations(page) == []  # the open modal too meets WCAG 2.2 AA
    dialog.get_by_role("button", name="Stay signed in").press("Enter")  # by keyboard
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")

    expect(dialog).to_be_visible(timeout=6000)  # the same page warns again; this time no one answers
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible(timeout=15000)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have been signed out because")
    assert "/sign-in/?next=/cases/" in page.url
    assert refused == []

import re

import pytest
from playwright.sync_api import Page, expect

from probation.roles import Role
from tests.factories import PASSWORD

HOMES = {
    Role.OFFICER: ("/cases/today/", "Today"),
    Role.SPO: ("/team/", "Tyneside Team 1"),
    Role.PDU_HEAD: ("/pdu/", "Tyneside"),
    Role.REGIONAL_DIRECTOR: ("/region/", "North East"),
    Role.NATIONAL: ("/national/", "All regions"),
    Role.ADMIN: ("/admin-home/", "Admin"),
}


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_sees_its_home_page(page: Page, live_server, everyone, role: Role) -> None:
    sign_in(page, live_server.url, everyone[role].user.username, PASSWORD)
    path, heading = HOMES[role]
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name=re.compile(".+")).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_shows_the_error_summary_focused_and_linked_to_the_field(
    page: Page, live_server, officer
) -> None:
    sign_in(page, live_server.url, "officer", "wrong-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(summary).to_be_focused()  # GOV.UK Frontend's JS moved focus: proves the JS is initialised
    summary.get_by_role("link", name="Enter a correct username and password").click()
    expect(page.get_by_label("Username")).to_be_focused()
    expect(page).to_have_title(re.compile("^Error: Sign in - "))


@pytest.mark.django_db(transaction=True)
def test_the_page_is_styled_with_govuk_fonts_and_css(page: Page, live_server) -> None:
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(f"{live_server.url}/sign-in/")
    page.wait_for_load_state("networkidle")
    assert failed == []
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.evaluate("document.fonts.check('bold 16px \"GDS Transport\"')")

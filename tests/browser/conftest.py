"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live_server."""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.probation.hostile_cases import World, make_world

# Two shared cores run the live server, Chromium and axe at once: a slow moment is not a failure. A page that
# never arrives still fails, after 15 s rather than 5.
expect.set_options(timeout=15_000)

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def keyboard_page(browser: Browser) -> Iterator[Page]:
    """One browser context for a module of keyboard tests: each test signs in afresh (the database is emptied
    after each), without opening a new browser."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def world(officer, spo, pdu_head, contact_types) -> World:
    """The cases the hostile-input tests post to (tests/probation/hostile_cases.py), for the keyboard tests."""
    return make_world(officer, spo, pdu_head, contact_types)

"""Every form that records something has a keyboard-only test: the table of every form that takes a POST
(tests/probation/test_hostile_input.py, which fails when a URL is missing from it) against the keyboard tables,
so a new recording form without one fails here."""

from tests.browser import (
    test_recording_contacts_and_enforcement_by_keyboard,
    test_recording_interventions_by_keyboard,
    test_recording_management_and_plans_by_keyboard,
    test_recording_the_case_by_keyboard,
    test_recording_the_person_by_keyboard,
)
from tests.probation.test_hostile_input import FORMS

# Forms that record nothing about a case: signing in and out, staying signed in, marking notifications read
NOT_RECORDING = {"login", "logout", "sign-out-everywhere", "stay-signed-in", "cases:standards"}

# Forms driven by keyboard in tests of their own
OWN_TESTS = {
    "cases:book": "test_booking_by_keyboard.py",
    "cases:log-contact": "test_logging_a_contact_by_keyboard.py",
    "cases:decide": "test_enforcement_by_keyboard.py",
}


def test_every_recording_form_has_a_keyboard_test() -> None:
    tables = (
        test_recording_the_case_by_keyboard,
        test_recording_contacts_and_enforcement_by_keyboard,
        test_recording_management_and_plans_by_keyboard,
        test_recording_interventions_by_keyboard,
        test_recording_the_person_by_keyboard,
    )
    driven = {form.url_name for table in tables for form in table.FORMS} | set(OWN_TESTS)
    recording = {form.url_name for form in FORMS} - NOT_RECORDING
    assert recording - driven == set(), "add a keyboard test for these forms (tests/browser/keyboard.py)"
    assert driven - recording == set(), "a keyboard test names a URL the hostile-input table does not know"

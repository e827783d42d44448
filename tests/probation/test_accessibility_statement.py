"""The accessibility statement: GOV.UK's model statement, public, linked from every page's footer, with the
service owner's contact details from settings."""

from django.test import Client

SECTIONS = [
    "Accessibility statement for Manage people on probation",
    "How accessible this service is",
    "Feedback and contact information",
    "Enforcement procedure",
    "Technical information about this service's accessibility",
    "Compliance status",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_the_statement_is_read_without_signing_in_in_the_model_statements_sections(client: Client, db) -> None:
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    for heading in SECTIONS:
        assert heading in page, heading
    assert "axe-core" in page  # the evidence: automated checks
    assert "every form that records something" in page  # and the keyboard tests (tests/browser/keyboard.py)
    assert "extending the keyboard-only tests" not in page  # done: no longer a plan
    assert "probation-digital@justice.gov.uk" in page  # the default contact


def test_the_service_owners_contact_details_come_from_settings(client: Client, db, settings) -> None:
    settings.SERVICE_OWNER_NAME = "Probation Digital Services"
    settings.SERVICE_OWNER_EMAIL = "access@probation.example"
    settings.SERVICE_OWNER_PHONE = "0300 123 4567"
    page = client.get("/accessibility/").content.decode()
    assert "run by Probation Digital Services" in page
    assert 'href="mailto:access@probation.example"' in page
    assert "call 0300 123 4567" in page


def test_the_footer_links_the_statement_before_and_after_signing_in(client: Client, officer) -> None:
    link = 'href="/accessibility/">Accessibility statement</a>'
    assert link in client.get("/sign-in/").content.decode()
    client.force_login(officer.user)
    assert link in client.get("/cases/").content.decode()
    assert link in client.get("/accessibility/").content.decode()

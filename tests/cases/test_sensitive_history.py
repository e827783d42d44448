"""Notes once sensitive stay hidden (issue 20, item 10): unticking "sensitive" later does not make what was
written while it was ticked readable to those who may not see sensitive notes, on any page."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from cases.contacts import services as contacts
from cases.models import Contact, Outcome
from tests.factories import book

SECRET = "Disclosed a relapse to his sister"


@pytest.fixture
def unticked(officer, community_order, contact_types) -> Contact:
    """A contact recorded with sensitive notes, then amended: "sensitive" unticked, the notes rewritten with the
    old text kept in them (as an officer editing the box does), and once more with new text alone."""
    visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, 5, 10, tzinfo=UTC))
    contacts.record_outcome(contact=visit, user=officer.user, outcome=Outcome.ATTENDED, notes=SECRET, sensitive=True)
    contacts.amend(
        contact=visit,
        user=officer.user,
        reason="Not sensitive after all",
        notes=f"{SECRET}. Seen again",
        sensitive=False,
    )
    return visit


def pages(contact: Contact) -> list[str]:
    return [
        "/cases/X123456/",
        "/cases/X123456/contacts/",
        "/cases/X123456/contacts/?text=relapse",
        f"/cases/X123456/contacts/{contact.pk}/",
        "/cases/X123456/audit/",
    ]


def test_notes_written_while_sensitive_stay_hidden_on_every_page_after_unticking(
    client: Client, colleague, administrator, unticked
) -> None:
    for viewer in [colleague, administrator]:  # neither may see sensitive notes; the administrator sees the audit
        client.force_login(viewer.user)
        for path in pages(unticked):
            response = client.get(path)
            assert response.status_code in (200, 403), path
            page = response.content.decode()
            assert "his sister" not in page, (viewer, path)
    client.force_login(colleague.user)
    log = client.get("/cases/X123456/contacts/").content.decode()
    assert "Sensitive notes: hidden" in log
    assert "0 contacts" in client.get("/cases/X123456/contacts/", {"text": "relapse"}).content.decode()


def test_new_text_alone_after_unticking_still_hides_every_earlier_version(
    client: Client, colleague, officer, unticked
) -> None:
    contacts.amend(contact=unticked, user=officer.user, reason="Rewritten", notes="Attended on time", sensitive=False)
    client.force_login(colleague.user)
    for path in pages(unticked):
        assert "his sister" not in client.get(path).content.decode(), path


def test_those_who_may_see_sensitive_notes_still_read_them(client: Client, officer, unticked) -> None:
    client.force_login(officer.user)
    assert SECRET in client.get("/cases/X123456/contacts/").content.decode()
    assert SECRET in client.get(f"/cases/X123456/contacts/{unticked.pk}/").content.decode()
    assert "1 contact" in client.get("/cases/X123456/contacts/", {"text": "relapse"}).content.decode()

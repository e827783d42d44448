"""Nothing recorded twice, nothing lost: once-only keys on every form that records something, and two
people recording against one case at the same moment."""

import re
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from cases.models import AuditEvent, Contact, ContactType, Person
from cases.reference import ensure_contact_types
from cases.standards import ledger
from probation.models import Submission
from regions.models import WorkloadWeight
from regions.workload_points import ensure_weights
from tests.cases.test_adding_a_person import new_person
from tests.factories import book

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Posts that record nothing new, so a second post is harmless: signing in and out, the session's own
# endpoints, "mark all as read".
WITHOUT_KEY = {"registration/sign_in.html", "base.html", "includes/session_timeout.html", "account.html",
               "cases/standards.html"}  # fmt: skip


def key_of(page: str) -> str:
    found = re.search(r'name="submission" value="([0-9a-f]{32})"', page)
    assert found, "the form carries a once-only key"
    return found[1]


def test_every_form_that_records_something_carries_a_once_only_key() -> None:
    missing = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        name = template.relative_to(TEMPLATES).as_posix()
        for form in re.findall(r'<form method="post".*?</form>', template.read_text(), re.DOTALL):
            if "{% once_only_key %}" not in form and name not in WITHOUT_KEY:
                missing.append(name)
    assert missing == []


def test_a_person_posted_twice_is_added_once_and_both_posts_land_on_their_record(client: Client, officer) -> None:
    client.force_login(officer.user)
    data = new_person() | {"submission": key_of(client.get("/cases/new/").content.decode())}
    first = client.post("/cases/new/", data)
    second = client.post("/cases/new/", data, follow=True)
    assert Person.objects.filter(last_name="Newcomer").count() == 1
    assert second.redirect_chain == [(first["Location"], 302)]
    assert "This was already saved: it has not been saved twice" in second.content.decode()


def test_a_post_with_errors_releases_its_key_for_the_corrected_form(client: Client, officer) -> None:
    client.force_login(officer.user)
    key = key_of(client.get("/cases/new/").content.decode())
    assert client.post("/cases/new/", new_person(first_name="") | {"submission": key}).status_code == 200
    assert not Submission.objects.filter(key=key).exists()
    assert client.post("/cases/new/", new_person() | {"submission": key}).status_code == 302
    assert Person.objects.filter(last_name="Newcomer").count() == 1


def post_together(posts: list[tuple[Client, str, dict]]) -> list[int]:
    """Send the posts at the same moment, each from its own thread and database connection."""
    start, statuses, errors = threading.Barrier(len(posts)), [0] * len(posts), []

    def send(index: int, client: Client, url: str, data: dict) -> None:
        try:
            start.wait()
            statuses[index] = client.post(url, data).status_code
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return statuses


@pytest.fixture
def reference_data(transactional_db) -> None:
    ensure_contact_types(ContactType)
    ensure_weights(WorkloadWeight)


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_is_saved_once(reference_data, officer) -> None:
    client = Client()
    client.force_login(officer.user)
    data = new_person() | {"submission": key_of(client.get("/cases/new/").content.decode())}
    statuses = post_together([(client, "/cases/new/", data), (client, "/cases/new/", data)])
    assert sorted(statuses) == [302, 302]
    assert Person.objects.filter(last_name="Newcomer").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_against_one_case_at_once_lose_nothing(reference_data, officer, spo, community_order):
    visit = ContactType.objects.get(code="office_visit")
    appointments = [book(officer, community_order, visit, datetime(2026, 1, day, 10, tzinfo=UTC)) for day in (5, 6)]
    officer_client, spo_client = Client(), Client()
    officer_client.force_login(officer.user)
    spo_client.force_login(spo.user)
    booking = {"type": visit.pk, "day_1": "12", "day_2": "2026", "at": "10:00", "staff": officer.pk}
    posts = []
    for day in (1, 2, 3, 4, 7):  # weekdays in December 2026 (a weekend booking asks to be confirmed)
        posts.append((officer_client, "/cases/X123456/events/1/appointments/new/", booking | {"day_0": str(day)}))
        posts.append((spo_client, "/cases/X123456/events/1/appointments/new/", booking | {"day_0": str(day + 7)}))
    posts.append((officer_client, f"/cases/X123456/contacts/{appointments[0].pk}/outcome/", {"outcome": "attended"}))
    posts.append((spo_client, f"/cases/X123456/contacts/{appointments[1].pk}/outcome/", {"outcome": "attended"}))

    statuses = post_together(posts)

    assert statuses == [302] * len(posts)
    december = Contact.objects.filter(event=community_order, starts_at__year=2026, starts_at__month=12)
    assert sorted(c.starts_at.day for c in december) == [1, 2, 3, 4, 7, 8, 9, 10, 11, 14]
    assert set(Contact.objects.filter(pk__in=[a.pk for a in appointments]).values_list("outcome", flat=True)) == {
        "attended"
    }
    assert ledger.rebuild(check=True, event_ids=[community_order.pk]) == []


def test_two_people_changing_one_contact_overwrite_nothing(client: Client, officer, spo, community_order) -> None:
    visit = ContactType.objects.get(code="office_visit")
    contact = book(officer, community_order, visit, datetime(2026, 1, 5, 10, tzinfo=UTC))
    url = f"/cases/X123456/contacts/{contact.pk}/change/"
    officer_client, spo_client = Client(), Client()
    officer_client.force_login(officer.user)
    spo_client.force_login(spo.user)
    form = {"day_0": "5", "day_1": "1", "day_2": "2026", "at": "10:00", "outcome": "attended", "version": "1"}
    assert 'name="version" value="1"' in officer_client.get(url).content.decode()
    assert spo_client.get(url).status_code == 200

    first = officer_client.post(url, form | {"notes": "Talked about work", "reason": "Notes added"})
    second = spo_client.post(url, form | {"notes": "Discussed housing", "reason": "My notes"})

    assert first.status_code == 302
    page = second.content.decode()
    assert second.status_code == 200
    assert "Olivia Officer saved this contact at" in page
    assert "Talked about work" in page  # the contact as it is now saved, beside the form
    assert "Discussed housing" in page  # what the SPO typed is kept in the form
    contact.refresh_from_db()
    assert (contact.notes, contact.version) == ("Talked about work", 2)
    assert 'name="version" value="2"' in page  # saving again, having compared, applies it
    again = spo_client.post(url, form | {"notes": "Discussed housing", "reason": "My notes", "version": "2"})
    assert again.status_code == 302
    contact.refresh_from_db()
    assert (contact.notes, contact.version) == ("Discussed housing", 3)


def test_a_refused_post_with_a_key_keeps_its_audit_row_as_one_without_a_key_does(
    client: Client, colleague, community_order, contact_types
) -> None:
    """The colleague holds no event of the case: both posts are refused (403), and each refusal is audited, whether
    or not the form carried a once-only key; the key is not used up."""
    client.force_login(colleague.user)
    url = "/cases/X123456/events/1/contacts/new/"
    data = {"type": str(contact_types["telephone"].pk), "day_0": "25", "day_1": "11", "day_2": "2026", "at": "09:15"}
    key = uuid.uuid4().hex
    assert client.post(url, data).status_code == 403
    assert client.post(url, data | {"submission": key}).status_code == 403
    refusals = AuditEvent.objects.filter(action__endswith="_refused", user=colleague.user)
    assert refusals.count() == 2
    assert not Submission.objects.filter(key=key).exists()

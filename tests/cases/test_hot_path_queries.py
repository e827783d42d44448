"""The officer's hot path (issue 21): logging a contact and booking an appointment, posted as the forms post
them (with their once-only key), run a fixed number of queries whatever the case's history, and still do
everything a change does: the contact and its version, the ledger derived again, the months of performance
counts it changed marked stale, the audit row."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client

from cases.contacts import services as contacts
from cases.models import AuditEvent, Contact, Event, Obligation, Outcome, PerformanceStale
from probation.models import Submission

pytestmark = pytest.mark.today("2026-11-25")
LOG = "/cases/X123456/events/1/contacts/new/"
BOOK = "/cases/X123456/events/1/appointments/new/"

# What the POST runs, as the officer's form posts it (with its once-only key): the session; the user with their
# staff record and roles; the request's transaction (a savepoint here: Django's test wraps each test in a
# transaction; in production its BEGIN, not counted); the once-only key claimed; the case with the rights of the
# user; the event they may change (with its RAR, for a booking); the unit of work's savepoint; the case's lock;
# the contact; its version; the footprint before the ledger moves anything (its facts but the contacts, which the
# change names: cases/stale_counts.py); the ledger's read (the person, their events, every kind of fact, the
# obligations stored: one round trip); the parameters of the rules and the calendar (read once a request; a
# booking reads them earlier, for its warnings); the footprint after, with the months it changed and those of the
# contacts it wrote marked stale; the audit row; the savepoint released; where the key's form went; the request's
# transaction (its COMMIT in production). 18 here, 16 in production. Without a once-only key (as `manage.py bench`
# posts), 14 here: the unit of work is the request's only transaction, so 12 in production.
QUERIES = {True: 18, False: 14}
# A telephone call logged: no rule reads it (derive.as_read_by_rules), so no obligation can move: neither the
# footprint nor the ledger's read nor the rules' parameters, and this month (the call's) marked stale directly.
CALL_QUERIES = {True: 15, False: 11}
# An office visit seen: the ledger's read and the obligations it moved (November's contact met), written in one
# statement.
VISIT_QUERIES = {True: 19, False: 15}
# An appointment booked (next month's: no month counted so far changed, so nothing marked): no footprint and no
# ledger read (its warnings read the rules' parameters).
BOOKING_QUERIES = {True: 15, False: 11}


def with_history(officer, event: Event, contact_types, size: int) -> None:
    """A year of contacts every three days, then an acceptable absence (its oversight clock) this month."""
    start = datetime(2025, 12, 22, 9, tzinfo=UTC)
    Contact.objects.bulk_create(
        Contact(
            event=event,
            type=contact_types["office_visit"],
            starts_at=start + timedelta(hours=i * 72 * 100 / max(size, 1)),
            outcome="attended",
            enforceable=True,
            staff=officer,
            recorded_at=start + timedelta(hours=i * 72 * 100 / max(size, 1) + 2),
        )
        for i in range(size)
    )
    absent = contacts.book(
        event=event,
        user=officer.user,
        type=contact_types["office_visit"],
        starts_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        staff=officer,
    )[0]
    contacts.record_outcome(
        contact=absent, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness"
    )


def signed_in_on_the_form(client: Client, officer, event, contact_types, size: int, url: str) -> None:
    """The case with `size` contacts of history, the officer signed in, the form's lists read into the cache, and
    no month yet marked stale."""
    with_history(officer, event, contact_types, size)
    client.force_login(officer.user)
    client.get(url)
    PerformanceStale.objects.all().delete()


def form_key(client: Client, url: str) -> str:
    """Draws the form (which reads the lists it offers into the cache) and returns its once-only key."""
    key = re.search(r'name="submission" value="([0-9a-f]{32})"', client.get(url).content.decode())
    assert key
    return key[1]


@pytest.mark.parametrize(("size", "once_only"), [(0, True), (400, True), (400, False)])
@pytest.mark.parametrize(
    ("kind", "outcome", "queries"), [("telephone", "", CALL_QUERIES), ("office_visit", "attended", VISIT_QUERIES)]
)
def test_logging_a_contact_runs_a_fixed_number_of_queries_whatever_the_history(
    client: Client, officer, community_order, contact_types, size: int, once_only: bool, kind: str, outcome: str,
    queries: dict[bool, int], django_assert_num_queries,
) -> None:  # fmt: skip
    signed_in_on_the_form(client, officer, community_order, contact_types, size, LOG)
    obligations = Obligation.objects.filter(event=community_order).count()
    data = {
        "type": str(contact_types[kind].pk),
        "outcome": outcome,
        "day_0": "25",
        "day_1": "11",
        "day_2": "2026",
        "at": "09:15",
        "staff": str(officer.pk),
        "notes": "Rang about work",
        "submission": form_key(client, LOG) if once_only else "",
    }
    with django_assert_num_queries(queries[once_only]):
        response = client.post(LOG, data)
    assert response.status_code == 302
    contact = Contact.objects.get(event=community_order, notes="Rang about work")
    assert [v.reason for v in contact.versions.all()] == ["Contact logged"]
    audit = AuditEvent.objects.filter(action="contact.log").get()
    assert (audit.person_id, audit.object_id, audit.user_id) == (
        community_order.person_id,
        str(contact.pk),
        officer.user.pk,
    )
    stale = set(PerformanceStale.objects.values_list("month", flat=True))
    # the month of the contact; and for a first visit, the month of the initial appointment it met (December 2025)
    assert stale == {date(2026, 11, 1)} or (kind, size, stale) == (
        "office_visit",
        0,
        {date(2025, 12, 1), date(2026, 11, 1)},
    )
    assert Obligation.objects.filter(event=community_order).count() == obligations
    if once_only:
        assert Submission.objects.get(key=data["submission"]).location == "/cases/X123456/contacts/"


@pytest.mark.parametrize(("size", "once_only"), [(0, True), (400, True), (400, False)])
def test_booking_an_appointment_runs_a_fixed_number_of_queries_whatever_the_history(
    client: Client, officer, community_order, contact_types, size: int, once_only: bool, django_assert_num_queries
) -> None:
    signed_in_on_the_form(client, officer, community_order, contact_types, size, BOOK)
    data = {
        "type": contact_types["office_visit"].pk,
        "day_0": "1",
        "day_1": "12",
        "day_2": "2026",
        "at": "14:30",
        "staff": officer.pk,
        "submission": form_key(client, BOOK) if once_only else "",
    }
    with django_assert_num_queries(BOOKING_QUERIES[once_only]):
        response = client.post(BOOK, data)
    assert response.status_code == 302
    booked = Contact.objects.get(event=community_order, starts_at=datetime(2026, 12, 1, 14, 30, tzinfo=UTC))
    assert booked.versions.count() == 1
    audit = AuditEvent.objects.filter(action="contact.book").order_by("-id").first()
    assert audit is not None
    assert (audit.object_id, audit.detail) == (str(booked.pk), {"count": 1, "series": ""})
    assert not PerformanceStale.objects.exists()  # next month's appointment: no month counted so far changed

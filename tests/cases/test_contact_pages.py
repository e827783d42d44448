import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import Contact, ContactVersion, EnforcementAction, Outcome, OversightTask
from tests.factories import book, case_for


def bulk_contacts(event, contact_type, n: int) -> None:
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    Contact.objects.bulk_create(
        Contact(
            event=event,
            type=contact_type,
            starts_at=start + timedelta(hours=i),
            outcome="attended",
            enforceable=True,
            notes=f"note {i}",
            recorded_at=start,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("size", [10, 2000])
def test_the_contact_log_runs_a_bounded_number_of_queries(
    client: Client, officer, community_order, contact_types, size: int, django_assert_max_num_queries
) -> None:
    bulk_contacts(community_order, contact_types["office_visit"], size)
    client.force_login(officer.user)
    # 2 the session and user; 2 the person with the user's rights, and the audit row; 2 the page of contacts
    # with their count and the running events (one statement), and the rules; 1 the list of contact types,
    # cached after the first page
    with django_assert_max_num_queries(7):
        response = client.get("/cases/X123456/contacts/")
    assert response.status_code == 200
    assert f"{size} contacts" in response.content.decode()


def test_the_contact_log_filters_by_type_outcome_enforceable_dates_and_words(
    client: Client, officer, community_order, contact_types
) -> None:
    bulk_contacts(community_order, contact_types["office_visit"], 5)
    phone = contacts.book(
        event=community_order,
        user=officer.user,
        type=contact_types["telephone"],
        starts_at=datetime(2025, 12, 30, 10, tzinfo=UTC),
        staff=officer,
        notes="Discussed housing benefit",
    )[0]
    client.force_login(officer.user)
    queries: list[dict[str, str]] = [
        {"type": str(phone.type.pk)},
        {"outcome": "none"},
        {"enforceable": "no"},
        {"text": "housing"},
        {
            "date_from_0": "30",
            "date_from_1": "12",
            "date_from_2": "2025",
            "date_to_0": "30",
            "date_to_1": "12",
            "date_to_2": "2025",
        },
    ]
    for query in queries:
        page = client.get("/cases/X123456/contacts/", query).content.decode()
        assert "1 contact" in page, query


def log_rows(page: str) -> list[str]:
    """The notes of each row of the contact log's table, in order."""
    return re.findall(r'app-notes">(note \d+)', page)


@pytest.mark.parametrize(
    ("asked", "shown", "first"),
    [
        ("2", 2, 69),  # 120 contacts, newest first: the second page begins with the 51st newest
        ("3", 3, 19),
        ("4", 3, 19),  # past the end: the last page
        ("-1", 3, 19),  # below 1: the last page
        ("0", 3, 19),
        ("two", 1, 119),  # not a whole number: the first page
        ("", 1, 119),
    ],
)
def test_the_contact_log_reads_the_page_asked_for_as_numbered_pages_do(
    client: Client, officer, community_order, contact_types, asked: str, shown: int, first: int
) -> None:
    bulk_contacts(community_order, contact_types["office_visit"], 120)
    client.force_login(officer.user)
    page = client.get("/cases/X123456/contacts/", {"page": asked}).content.decode()
    rows = log_rows(page)
    assert rows[0] == f"note {first}"
    assert len(rows) == (20 if shown == 3 else 50)
    assert "120 contacts" in page
    assert f'aria-label="Page {shown}" aria-current="page"' in page


def test_each_persons_log_is_read_with_their_own_count_and_events(
    client: Client, officer, community_order, contact_types
) -> None:
    """The statement is kept after the first read: the second person's values go in its places."""
    other = case_for(officer, crn="X654321")
    bulk_contacts(community_order, contact_types["office_visit"], 3)
    bulk_contacts(other, contact_types["office_visit"], 7)
    client.force_login(officer.user)
    for _ in range(2):
        for crn, count, event in (("X123456", 3, community_order), ("X654321", 7, other)):
            for query in ({}, {"outcome": "attended"}, {"page": "1"}):
                page = client.get(f"/cases/{crn}/contacts/", query).content.decode()
                assert f"{count} contacts" in page
                assert len(log_rows(page)) == count
                assert f"/cases/{crn}/events/{event.ref}/contacts/new/" in page
            page = client.get(f"/cases/{crn}/contacts/", {"outcome": "none"}).content.decode()
            assert "0 contacts" in page
            assert "No contacts match these filters." in page


def test_an_officer_books_a_fortnightly_series_through_the_form(
    client: Client, officer, community_order, contact_types
) -> None:
    client.force_login(officer.user)
    data = {
        "type": contact_types["office_visit"].pk,
        "day_0": "7",
        "day_1": "12",
        "day_2": "2026",
        "at": "14:30",
        "staff": officer.pk,
        "repeat": "fortnightly",
        "count": "4",
        "location": "Tyneside office",
    }
    response = client.post("/cases/X123456/events/1/appointments/new/", data)
    assert response.status_code == 302
    times = [
        timezone.localtime(c.starts_at) for c in Contact.objects.filter(event=community_order).order_by("starts_at")
    ]
    assert [t.strftime("%d %m %H:%M") for t in times] == ["07 12 14:30", "21 12 14:30", "04 01 14:30", "18 01 14:30"]


@pytest.mark.parametrize(("time", "message"), [("25:00", "Enter time as hours and minutes"), ("", "Enter the time")])
def test_a_bad_time_gets_a_govuk_error(
    client: Client, officer, community_order, contact_types, time: str, message: str
) -> None:
    client.force_login(officer.user)
    data = {
        "type": contact_types["office_visit"].pk,
        "day_0": "7",
        "day_1": "12",
        "day_2": "2026",
        "at": time,
        "staff": officer.pk,
    }
    page = client.post("/cases/X123456/events/1/appointments/new/", data).content.decode()
    assert message in page
    assert "govuk-error-summary" in page


@pytest.fixture
def past_visit(officer, community_order, contact_types) -> Contact:
    return book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, 5, 10, tzinfo=UTC))


def test_an_unacceptable_absence_takes_the_officer_to_the_enforcement_decision(
    client: Client, officer, past_visit
) -> None:
    client.force_login(officer.user)
    response = client.post(
        f"/cases/X123456/contacts/{past_visit.pk}/outcome/", {"outcome": "unacceptable_absence", "notes": "No contact"}
    )
    assert response["Location"] == f"/cases/X123456/contacts/{past_visit.pk}/decision/"
    page = client.get(response["Location"]).content.decode()
    assert 'value="warning"' in page
    response = client.post(response["Location"], {"kind": "warning", "on_0": "6", "on_1": "1", "on_2": "2026"})
    warning = EnforcementAction.objects.get(kind="warning")
    assert response["Location"] == f"/cases/X123456/warnings/{warning.pk}/letter/"
    assert "Print this letter" in client.get(response["Location"]).content.decode()


@pytest.mark.today("2026-11-25")  # deciding within the 12 months after the warning of 5 January 2026
def test_after_a_warning_a_second_failure_offers_breach_and_says_why(
    client: Client, officer, community_order, past_visit, contact_types
) -> None:
    failure = contacts.record_outcome(contact=past_visit, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
    enforcement.decide(
        event=community_order, user=officer.user, kind="warning", failure=failure, on=failure.starts_at.date()
    )
    second = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, 19, 10, tzinfo=UTC))
    contacts.record_outcome(contact=second, user=officer.user, outcome=Outcome.FAILED_TO_COMPLY)
    client.force_login(officer.user)
    page = client.get(f"/cases/X123456/contacts/{second.pk}/decision/").content.decode()
    assert 'value="warning"' not in page
    assert 'value="breach"' in page
    assert "must be referred for breach" in page
    forged = client.post(
        f"/cases/X123456/contacts/{second.pk}/decision/", {"kind": "warning", "on_0": "20", "on_1": "1", "on_2": "2026"}
    )
    assert forged.status_code == 200
    assert EnforcementAction.objects.filter(kind="warning").count() == 1


def test_an_acceptable_absence_needs_a_reason_on_the_form(client: Client, officer, past_visit) -> None:
    client.force_login(officer.user)
    page = client.post(
        f"/cases/X123456/contacts/{past_visit.pk}/outcome/", {"outcome": "acceptable_absence"}
    ).content.decode()
    assert "Choose the reason the absence is acceptable" in page


def test_changing_a_contact_keeps_every_version_visible_in_order(client: Client, officer, past_visit) -> None:
    client.force_login(officer.user)
    for n in range(3):
        data = {
            "day_0": "5",
            "day_1": "1",
            "day_2": "2026",
            "at": "10:00",
            "notes": f"Wording {n}",
            "reason": f"Fix {n}",
        }
        assert client.post(f"/cases/X123456/contacts/{past_visit.pk}/change/", data).status_code == 302
    page = client.get(f"/cases/X123456/contacts/{past_visit.pk}/").content.decode()
    versions = page[page.index('id="versions"') :]
    assert versions.index("Wording 0") < versions.index("Wording 1") < versions.index("Wording 2")
    assert ContactVersion.objects.filter(contact=past_visit).count() == 4


def test_a_mistaken_contact_is_marked_not_deleted(client: Client, officer, past_visit) -> None:
    client.force_login(officer.user)
    assert (
        "Enter why this contact was entered in error"
        in client.post(f"/cases/X123456/contacts/{past_visit.pk}/entered-in-error/", {"reason": ""}).content.decode()
    )
    client.post(f"/cases/X123456/contacts/{past_visit.pk}/entered-in-error/", {"reason": "Booked on the wrong case"})
    past_visit.refresh_from_db()
    assert past_visit.entered_in_error
    assert "Entered in error" in client.get("/cases/X123456/contacts/").content.decode()


def test_sensitive_notes_are_hidden_from_those_who_cannot_change_the_case(
    client: Client, officer, colleague, past_visit
) -> None:
    contacts.record_outcome(
        contact=past_visit,
        user=officer.user,
        outcome=Outcome.ATTENDED,
        notes="Disclosed a health condition",
        sensitive=True,
    )
    client.force_login(colleague.user)
    for path in ["/cases/X123456/contacts/", f"/cases/X123456/contacts/{past_visit.pk}/"]:
        page = client.get(path).content.decode()
        assert "Disclosed a health condition" not in page
        assert "Sensitive notes: hidden" in page
    client.force_login(officer.user)
    assert "Disclosed a health condition" in client.get("/cases/X123456/contacts/").content.decode()


def test_outcomes_to_log_lists_past_appointments_without_an_outcome(
    client: Client, officer, past_visit, community_order, contact_types
) -> None:
    book(officer, community_order, contact_types["office_visit"], datetime(2099, 1, 5, 10, tzinfo=UTC))
    client.force_login(officer.user)
    page = client.get("/cases/outcomes/").content.decode()
    assert page.count("Record outcome<span") == 1
    contacts.record_outcome(contact=past_visit, user=officer.user, outcome=Outcome.ATTENDED)
    assert "You have no outcomes to log" in client.get("/cases/outcomes/").content.decode()


def test_the_spo_records_oversight_after_three_acceptable_absences(
    client: Client, officer, spo, community_order, contact_types
) -> None:
    for day in [5, 12, 19]:
        visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, day, 10, tzinfo=UTC))
        contacts.record_outcome(
            contact=visit, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness"
        )
    task = OversightTask.objects.get()
    client.force_login(spo.user)
    assert "Record oversight" in client.get("/cases/oversight/").content.decode()
    assert (
        "Select whether you agree with the officer"
        in client.post(f"/cases/X123456/oversight/{task.pk}/", {"note": ""}).content.decode()
    )
    client.post(
        f"/cases/X123456/oversight/{task.pk}/", {"outcome": "agree", "note": "Reviewed the evidence; no concerns"}
    )
    assert OversightTask.objects.get().closed_by == spo
    assert "No case is waiting for your oversight" in client.get("/cases/oversight/").content.decode()


def test_my_cases_shows_the_next_appointment_and_last_contact(
    client: Client, officer, past_visit, community_order, contact_types
) -> None:
    contacts.record_outcome(contact=past_visit, user=officer.user, outcome=Outcome.ATTENDED)
    book(officer, community_order, contact_types["office_visit"], datetime(2099, 1, 5, 10, tzinfo=UTC))
    client.force_login(officer.user)
    page = client.get("/cases/", {"sort": "next"}).content.decode()
    assert "5 Jan 2099 10:00" in page
    assert "5 Jan 2026" in page


def test_notes_once_sensitive_stay_hidden_in_every_version(client: Client, officer, colleague, past_visit) -> None:
    contacts.record_outcome(
        contact=past_visit, user=officer.user, outcome=Outcome.ATTENDED, notes="Talked about a relapse"
    )
    contacts.amend(
        contact=past_visit, user=officer.user, reason="Sensitive", notes="Talked about a relapse", sensitive=True
    )
    client.force_login(colleague.user)
    page = client.get(f"/cases/X123456/contacts/{past_visit.pk}/").content.decode()
    assert "relapse" not in page
    assert "0 contacts" in client.get("/cases/X123456/contacts/", {"text": "relapse"}).content.decode()


def test_the_ro_of_one_sentence_cannot_change_another_officers_sentence(
    client: Client, officer, colleague, community_order, contact_types
) -> None:
    from tests.factories import AllocationFactory, EventFactory

    other = EventFactory.create(person=community_order.person, ref="2")
    AllocationFactory.create(event=other, staff=colleague)
    client.force_login(officer.user)
    assert client.get("/cases/X123456/events/2/appointments/new/").status_code == 403
    assert client.get("/cases/X123456/events/1/appointments/new/").status_code == 200


def test_an_outcome_already_recorded_is_changed_through_the_amend_page(client: Client, officer, past_visit) -> None:
    contacts.record_outcome(contact=past_visit, user=officer.user, outcome=Outcome.ATTENDED)
    client.force_login(officer.user)
    response = client.post(f"/cases/X123456/contacts/{past_visit.pk}/outcome/", {"outcome": "unacceptable_absence"})
    assert response["Location"] == f"/cases/X123456/contacts/{past_visit.pk}/change/"
    past_visit.refresh_from_db()
    assert past_visit.outcome == "attended"


def test_a_failure_with_a_warning_changes_to_attended_only_by_withdrawing_the_warning(
    officer, community_order, past_visit
) -> None:
    from django.core.exceptions import ValidationError

    failure = contacts.record_outcome(contact=past_visit, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
    enforcement.decide(
        event=community_order, user=officer.user, kind="warning", failure=failure, on=failure.starts_at.date()
    )
    with pytest.raises(ValidationError, match="withdraw the warning to change it"):
        contacts.amend(contact=failure, user=officer.user, reason="Oops", outcome=Outcome.ATTENDED)
    with pytest.raises(ValidationError, match="cannot change while it stands"):
        contacts.mark_entered_in_error(contact=failure, user=officer.user, reason="Wrong case")


@pytest.mark.today("2026-12-26")
def test_evidence_is_due_five_business_days_after_the_appointment_however_late_recorded(officer, past_visit) -> None:
    contact = contacts.record_outcome(contact=past_visit, user=officer.user, outcome=Outcome.AWAITING_EVIDENCE)
    # Recorded on Saturday 26 December 2026 (Boxing Day), long after the visit on Monday 5 January 2026: the
    # deadline counts from the visit, 6, 7, 8, 9, 12 January 2026 (DOMAIN.md, "Evidence for an absence")
    assert contact.evidence_due == date(2026, 1, 12)
    changed = contacts.amend(
        contact=contact,
        user=officer.user,
        reason="Evidence seen",
        outcome=Outcome.ACCEPTABLE_ABSENCE,
        absence_reason="illness",
    )
    assert changed.evidence_due == date(2026, 1, 12)  # kept: the clock it answered
    assert changed.evidence_decided_on == date(2026, 12, 26)


def test_a_contact_and_the_audit_trail_show_when_no_one_is_recorded_as_the_author(
    client: Client, officer, pdu_head, past_visit
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from cases import audit

    Contact.objects.filter(pk=past_visit.pk).update(recorded_by=None)  # as imported or generated contacts are
    audit.record(AnonymousUser(), "case.view", past_visit.event.person)  # a job's read: no user
    client.force_login(officer.user)
    page = client.get(f"/cases/X123456/contacts/{past_visit.pk}/")
    assert page.status_code == 200
    assert "an import or the system" in page.content.decode()
    client.force_login(pdu_head.user)
    trail = client.get("/cases/X123456/audit/")
    assert trail.status_code == 200
    assert "System" in trail.content.decode()


def test_a_booking_posted_twice_is_saved_once(client: Client, officer, community_order, contact_types) -> None:
    import re

    client.force_login(officer.user)
    url = "/cases/X123456/events/1/appointments/new/"
    form = client.get(url).content.decode()
    key = re.search(r'name="submission" value="([0-9a-f]{32})"', form)
    assert key, "the form carries a once-only key"
    post = {
        "type": contact_types["office_visit"].pk,
        "day_0": "7",
        "day_1": "12",
        "day_2": "2026",
        "at": "10:00",
        "staff": officer.pk,
        "submission": key[1],
    }
    first, second = client.post(url, post), client.post(url, post, follow=True)
    assert first.status_code == 302
    assert "already saved" in second.content.decode()
    assert Contact.objects.filter(event=community_order, starts_at__date=date(2026, 12, 7)).count() == 1
    fresh = re.search(r'name="submission" value="([0-9a-f]{32})"', client.get(url).content.decode())
    assert fresh
    assert fresh[1] != key[1]  # each showing of the form has its own key

"""A change that writes only what no rule reads (an appointment booked, a telephone call logged, a contact's
notes corrected) derives no obligation again: its cost does not grow with the sentence's history. What the rules
read is derive.as_read_by_rules; the suite derives the case before and after every such change and fails one that
moved an obligation (settings.CASE_CHANGE_CHECK_SCOPE, tests/conftest.py)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Contact, Event, Obligation, Outcome, PerformanceStale
from cases.standards import derive, ledger
from cases.unit_of_work import case_change

pytestmark = pytest.mark.today("2026-11-25")  # a Wednesday in November 2026


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def derived(officer, community_order: Event, contact_types) -> Obligation:
    """The order's ledger derived, and November's face-to-face contact met on the 3rd, its stored row then made
    wrong: a change that derives the event again puts it right, one that derives nothing leaves it."""
    contacts.log_contact(
        event=community_order, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 3)),
        staff=officer, outcome=Outcome.ATTENDED,
    )  # fmt: skip
    november = Obligation.objects.get(event=community_order, rule="monthly_contact", starts_on=date(2026, 11, 1))
    assert november.met_on == date(2026, 11, 3)
    Obligation.objects.filter(pk=november.pk).update(met_on=None, state="pending")
    return november


def derived_again(november: Obligation) -> bool:
    november.refresh_from_db()
    return november.met_on is not None


@pytest.fixture
def refreshes(monkeypatch) -> list[int]:
    """The people whose ledger a change refreshed."""
    called: list[int] = []
    refresh = ledger.refresh_person

    def spy(person, event_id=None):
        called.append(person if isinstance(person, int) else person.pk)
        return refresh(person, event_id)

    monkeypatch.setattr(ledger, "refresh_person", spy)
    return called


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [("telephone", Outcome.ATTENDED), ("telephone", Outcome.SENT_HOME_SERVICE), ("email_letter", "")],
)
def test_a_call_or_an_email_logged_derives_nothing(
    officer, community_order, contact_types, derived, refreshes, kind: str, outcome: str
) -> None:
    contacts.log_contact(
        event=community_order, user=officer.user, type=contact_types[kind], starts_at=at(date(2026, 11, 3), 14),
        staff=officer, outcome=outcome,
    )  # fmt: skip
    assert refreshes == []
    assert not derived_again(derived)
    ledger.refresh_person(community_order.person_id)  # as the suite's check after the test expects it
    assert derived_again(derived)


def test_appointments_booked_and_a_contacts_notes_corrected_derive_nothing(
    officer, community_order, contact_types, derived, refreshes
) -> None:
    booked = contacts.book(
        event=community_order, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 12, 1)),
        staff=officer, repeat="weekly", count=3,
    )  # fmt: skip
    visit = Contact.objects.get(event=community_order, starts_at=at(date(2026, 11, 3)))
    contacts.amend(contact=visit, user=officer.user, reason="Typing", notes="Discussed work and housing")
    contacts.amend(contact=booked[0], user=officer.user, reason="Room", location="Room 2")
    assert refreshes == []
    assert not derived_again(derived)

    # Its outcome is what the rules read: recorded, the event is derived again
    contacts.amend(contact=visit, user=officer.user, reason="Wrong outcome", outcome=Outcome.SENT_HOME_SERVICE)
    assert derived_again(derived)


def test_a_change_the_rules_read_derives_the_event_again(officer, community_order, contact_types, derived) -> None:
    contacts.log_contact(
        event=community_order, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 4)),
        staff=officer, outcome=Outcome.ATTENDED,
    )  # fmt: skip
    assert derived_again(derived)


def test_a_call_logged_in_an_earlier_month_still_marks_that_month_of_the_counts_stale(
    officer, community_order, contact_types
) -> None:
    PerformanceStale.objects.all().delete()
    contacts.log_contact(
        event=community_order, user=officer.user, type=contact_types["telephone"], starts_at=at(date(2026, 10, 5)),
        staff=officer, outcome=Outcome.ATTENDED,
    )  # fmt: skip
    assert date(2026, 10, 1) in set(PerformanceStale.objects.values_list("month", flat=True))


def test_what_the_rules_read_of_a_contact(officer, community_order, contact_types) -> None:
    def read(kind: str, outcome: str = "", **more: object) -> bool:
        contact = Contact(event=community_order, type=contact_types[kind], starts_at=at(date(2026, 11, 3)),
                          outcome=outcome, **more)  # fmt: skip
        return derive.as_read_by_rules(contact) is not None

    assert not read("office_visit")  # booked: no outcome yet
    assert read("office_visit", Outcome.ATTENDED)
    assert read("video", Outcome.ATTENDED)
    assert read("home_visit", Outcome.SENT_HOME_SERVICE)
    assert not read("telephone", Outcome.ATTENDED)
    assert read("telephone", Outcome.FAILED_TO_COMPLY, enforceable=True)  # a failure, whatever the type
    assert read("office_visit", Outcome.UNACCEPTABLE_ABSENCE)
    assert read("office_visit", Outcome.ACCEPTABLE_ABSENCE)
    assert read("office_visit", Outcome.AWAITING_EVIDENCE)
    assert read("telephone", evidence_due=date(2026, 11, 10))
    assert not read("office_visit", Outcome.ATTENDED, entered_in_error=True)


def log_a_visit_saying_it_moves_nothing(officer, event: Event, contact_types) -> None:
    with case_change(event, officer.user, "contact.log") as change:
        change.within(event)
        change.moves_no_obligation()
        Contact.objects.create(
            event=event, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 3)), staff=officer,
            outcome=Outcome.ATTENDED, recorded_at=timezone.now(),
        )  # fmt: skip
        change.touches(None)


def test_a_change_that_says_it_moves_no_obligation_but_moves_one_fails_in_the_suite(
    officer, community_order, contact_types
) -> None:
    with pytest.raises(AssertionError, match="moves no obligation"):
        log_a_visit_saying_it_moves_nothing(officer, community_order, contact_types)


def absence(officer, event: Event, contact_types, when: datetime) -> Contact:
    return contacts.log_contact(
        event=event, user=officer.user, type=contact_types["office_visit"], starts_at=when, staff=officer,
        outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness",
    )  # fmt: skip


def test_a_contact_the_rules_read_moved_within_its_day_derives_the_event_again(
    officer, community_order, contact_types
) -> None:
    """Acceptable absences on Monday 16 November, and on Tuesday the 17th at 10:00 and at 14:00: the third (14:00)
    starts the SPO's oversight clock. Moved to 16:00, the 10:00 absence reads the same to the rules but for its
    place in time: it is the third now, and the clock is its."""
    absence(officer, community_order, contact_types, at(date(2026, 11, 16)))
    moved = absence(officer, community_order, contact_types, at(date(2026, 11, 17), 10))
    third = absence(officer, community_order, contact_types, at(date(2026, 11, 17), 14))
    clock = Obligation.objects.get(event=community_order, rule="acceptable_absence_oversight")
    assert clock.subject == f"contact:{third.pk}"
    contacts.amend(contact=moved, user=officer.user, reason="Wrong time", starts_at=at(date(2026, 11, 17), 16))
    clock = Obligation.objects.get(event=community_order, rule="acceptable_absence_oversight")
    assert clock.subject == f"contact:{moved.pk}"


def test_an_absences_notes_corrected_keeps_its_evidence_clock_met(officer, community_order, contact_types) -> None:
    contact = contacts.log_contact(
        event=community_order, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 20)),
        staff=officer, outcome=Outcome.AWAITING_EVIDENCE,
    )  # fmt: skip
    contacts.record_outcome(
        contact=contact, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness"
    )
    clock = Obligation.objects.get(event=community_order, rule="absence_evidence")
    assert (clock.met_on, clock.state) == (date(2026, 11, 25), "met")
    contact.refresh_from_db()
    contacts.amend(contact=contact, user=officer.user, reason="Typing", notes="GP letter seen")
    contact.refresh_from_db()
    assert (contact.evidence_due, contact.evidence_decided_on) == (clock.due_on, date(2026, 11, 25))
    assert Obligation.objects.get(event=community_order, rule="absence_evidence").met_on == date(2026, 11, 25)

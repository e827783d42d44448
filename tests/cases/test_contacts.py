"""Booking, outcomes, amendments and entered-in-error: nothing recorded is ever lost."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from cases.contacts import services as contacts
from cases.models import AuditEvent, Contact, ContactVersion, Outcome
from tests.factories import book


def at(day: str, time: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}:00+00:00").astimezone(UTC)


@pytest.fixture
def office_visit(officer, community_order, contact_types) -> Contact:
    return book(officer, community_order, contact_types["office_visit"], at("2025-12-19"))


def test_a_booked_appointment_is_enforceable_by_its_type_and_has_a_first_version(office_visit) -> None:
    assert office_visit.enforceable is True
    assert office_visit.is_booked
    assert list(office_visit.versions.values_list("number", flat=True)) == [1]


def test_a_monthly_series_falls_back_to_the_last_day_of_short_months(officer, community_order, contact_types) -> None:
    booked = contacts.book(
        event=community_order,
        user=officer.user,
        type=contact_types["office_visit"],
        starts_at=at("2026-01-31", "09:30"),
        staff=officer,
        repeat="monthly",
        count=3,
    )
    days = [c.starts_at.astimezone(UTC).date() for c in booked]
    assert days == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert len({c.series for c in booked}) == 1


def test_a_weekly_series_keeps_the_local_time_across_the_clocks_changing(
    officer, community_order, contact_types
) -> None:
    from django.utils import timezone

    booked = contacts.book(
        event=community_order,
        user=officer.user,
        type=contact_types["office_visit"],
        starts_at=timezone.make_aware(datetime(2026, 3, 23, 10, 0)),
        staff=officer,
        repeat="weekly",
        count=2,
    )
    # 23 March 2026 is GMT, 30 March is BST: the appointment stays at 10:00 local time
    assert [timezone.localtime(c.starts_at).hour for c in booked] == [10, 10]


def test_five_business_days_from_friday_19_december_2025_skip_christmas() -> None:
    from cases.standards.calendar import add_business_days

    # 22, 23, 24, (25 and 26 are bank holidays), 29, 30 December
    assert add_business_days(date(2025, 12, 19), 5) == date(2025, 12, 30)


@pytest.mark.today("2026-12-22")
def test_awaiting_evidence_gives_five_business_days_from_the_appointment_however_late(officer, office_visit) -> None:
    contact = contacts.record_outcome(contact=office_visit, user=officer.user, outcome=Outcome.AWAITING_EVIDENCE)
    # Recorded on Tuesday 22 December 2026, a year after the visit of Friday 19 December 2025: the deadline still
    # counts from the visit, 22, 23, 24, (25, 26 bank holidays), 29, 30 December 2025 (DOMAIN.md): long passed
    assert contact.evidence_due == date(2025, 12, 30)


def test_an_outcome_cannot_be_recorded_before_the_appointment(officer, community_order, contact_types) -> None:
    future = book(officer, community_order, contact_types["office_visit"], at("2099-01-01"))
    with pytest.raises(ValidationError, match="before the appointment has happened"):
        contacts.record_outcome(contact=future, user=officer.user, outcome=Outcome.ATTENDED)


def test_an_acceptable_absence_needs_a_reason(officer, office_visit) -> None:
    with pytest.raises(ValidationError, match="Select the reason"):
        contacts.record_outcome(contact=office_visit, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE)


def test_amending_a_contact_three_times_leaves_four_versions_in_order(officer, office_visit) -> None:
    contacts.record_outcome(
        contact=office_visit, user=officer.user, outcome=Outcome.ATTENDED, notes="Seen in the office"
    )
    for n in range(1, 4):
        contacts.amend(
            contact=office_visit, user=officer.user, reason=f"Correction {n}", notes=f"Version {n + 2} notes"
        )
    versions = list(ContactVersion.objects.filter(contact=office_visit).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3, 4, 5][: len(versions)]
    assert [v.data["notes"] for v in versions] == [
        "",
        "Seen in the office",
        "Version 3 notes",
        "Version 4 notes",
        "Version 5 notes",
    ][: len(versions)]
    office_visit.refresh_from_db()
    assert office_visit.version == versions[-1].number
    assert AuditEvent.objects.filter(action="contact.amend").count() == 3


def test_three_amendments_of_a_recorded_contact_give_four_versions(officer, community_order, contact_types) -> None:
    contact = book(officer, community_order, contact_types["telephone"], at("2026-01-05"))
    for n in range(3):
        contacts.amend(contact=contact, user=officer.user, reason="Typo", notes=f"take {n}")
    assert list(contact.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]
    assert contact.versions.get(number=1).data["notes"] == ""


def test_an_amendment_needs_a_reason(officer, office_visit) -> None:
    with pytest.raises(ValidationError, match="reason for the amendment"):
        contacts.amend(contact=office_visit, user=officer.user, reason=" ", notes="x")


def test_a_contact_entered_in_error_is_kept_but_no_longer_counts(officer, office_visit) -> None:
    contacts.record_outcome(contact=office_visit, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
    assert Contact.objects.failures().count() == 1
    contacts.mark_entered_in_error(contact=office_visit, user=officer.user, reason="Wrong person's diary")
    assert Contact.objects.failures().count() == 0
    assert Contact.objects.filter(pk=office_visit.pk).exists()
    with pytest.raises(ValidationError):
        contacts.amend(contact=office_visit, user=officer.user, reason="Again", notes="x")


def test_booking_on_an_ended_sentence_is_refused(officer, community_order, contact_types) -> None:
    community_order.terminated_on, community_order.termination_reason = date(2026, 6, 1), "completed"
    community_order.save()
    with pytest.raises(ValidationError, match="has ended"):
        book(officer, community_order, contact_types["office_visit"], at("2026-06-02"))

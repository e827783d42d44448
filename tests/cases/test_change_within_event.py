"""A change that writes the facts of one event (a contact, its outcome) derives that event's obligations alone:
derivation is per event, so a case's earlier sentences are not read again for each contact on its current one.
The suite checks every such change (settings.CASE_CHANGE_CHECK_SCOPE, tests/conftest.py)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Contact, Event, Obligation
from cases.standards import ledger
from cases.unit_of_work import case_change
from tests.factories import AllocationFactory, EventFactory, case_for


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def earlier_order(officer, community_order, contact_types) -> Event:
    """Sam's earlier community order, 10 January 2024 to 30 June 2025, seen in March 2024 (ledger derived)."""
    earlier = EventFactory.create(
        person=community_order.person,
        ref="0",
        sentence_date=date(2024, 1, 10),
        terminated_on=date(2025, 6, 30),
        termination_reason="completed",
    )
    AllocationFactory.create(event=earlier, staff=officer, from_date=date(2024, 1, 10), to_date=date(2025, 6, 30))
    Contact.objects.create(
        event=earlier, type=contact_types["office_visit"], starts_at=at(date(2024, 3, 5)), staff=officer,
        outcome="attended", recorded_at=at(date(2024, 3, 5), 11),
    )  # fmt: skip
    ledger.refresh_person(community_order.person_id)
    return earlier


def log(officer, event: Event, contact_types, day: date) -> Contact:
    return contacts.log_contact(
        event=event, user=officer.user, type=contact_types["office_visit"], starts_at=at(day), staff=officer,
        outcome="attended",
    )  # fmt: skip


def test_logging_a_contact_derives_its_event_and_leaves_the_earlier_sentence_unread(
    officer, community_order, earlier_order, contact_types
) -> None:
    march = Obligation.objects.get(event=earlier_order, rule="monthly_contact", starts_on=date(2024, 3, 1))
    assert march.met_on == date(2024, 3, 5)
    # The earlier sentence's stored row is made wrong: a refresh of the whole case would put it right.
    Obligation.objects.filter(pk=march.pk).update(met_on=None, state="missed")

    log(officer, community_order, contact_types, date(2026, 11, 24))

    march.refresh_from_db()
    assert (march.met_on, march.state) == (None, "missed")  # not read, not written
    seen = Obligation.objects.get(event=community_order, rule="monthly_contact", starts_on=date(2026, 11, 1))
    assert seen.met_on == date(2026, 11, 24)
    assert ledger.rebuild(check=True, event_ids=[community_order.pk]) == []  # the event's rows: as derived in full

    ledger.refresh_person(community_order.person_id)  # the whole case (as a rebuild would) puts it right
    march.refresh_from_db()
    assert (march.met_on, march.state) == (date(2024, 3, 5), "met")


def test_a_back_dated_outcome_amended_and_entered_in_error_keeps_the_event_as_derived_in_full(
    officer, community_order, earlier_order, contact_types
) -> None:
    contact = log(officer, community_order, contact_types, date(2026, 1, 30))  # back-dated, a month end
    contacts.amend(contact=contact, user=officer.user, reason="Wrong day", starts_at=at(date(2026, 2, 2)))
    contact.refresh_from_db()
    contacts.mark_entered_in_error(contact=contact, user=officer.user, reason="Not this person")

    assert ledger.rebuild(check=True, event_ids=[community_order.pk, earlier_order.pk]) == []
    january = Obligation.objects.get(event=community_order, rule="monthly_contact", starts_on=date(2026, 1, 1))
    assert (january.met_on, january.state) == (None, "missed")


def test_the_suite_fails_a_change_that_said_one_event_and_moved_another(
    officer, community_order, earlier_order, contact_types
) -> None:
    def said_one_wrote_another() -> None:
        with case_change(community_order, officer.user, "test") as change:
            change.within(community_order)
            Contact.objects.create(
                event=earlier_order, type=contact_types["office_visit"], starts_at=at(date(2024, 4, 8)),
                staff=officer, outcome="attended", recorded_at=at(date(2024, 4, 8)),
            )  # fmt: skip
            change.touches(community_order)

    said = rf"said it changed event {community_order.pk} only, but moved \[{earlier_order.pk}\]"
    with pytest.raises(AssertionError, match=said):
        said_one_wrote_another()


def test_a_change_cannot_say_it_is_within_another_case(officer, community_order) -> None:
    other = case_for(officer, crn="X999999")
    with (
        pytest.raises(ValueError, match="is not of the case changed"),
        case_change(community_order, officer.user, "test") as change,
    ):
        change.within(other)

"""The case's footprint (cases/stale_counts.py): PostgreSQL's, a month's facts as the hash of its rows, marks the
same months as the ORM's (the sets of rows the SQLite quick-start compares), for a change to each kind of fact."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F

from cases import stale_counts
from cases.contacts import services as contacts
from cases.models import Allocation, Contact, ContactType, Event, Obligation, Outcome, PerformanceStale
from cases.standards import ledger
from cases.unit_of_work import case_change

pytestmark = pytest.mark.today("2026-11-25")


def _changed(person_id: int, change: Callable[[], object]) -> tuple[set[date], set[date]]:
    before_sql, before_orm = stale_counts.footprint(person_id), stale_counts._footprint_orm(person_id)
    change()
    after_sql, after_orm = stale_counts.footprint(person_id), stale_counts._footprint_orm(person_id)
    return stale_counts.changed_months(before_sql, after_sql), stale_counts.changed_months(before_orm, after_orm)


def test_both_footprints_see_the_same_months_change(community_order: Event, officer, contact_types) -> None:
    event, person_id = community_order, community_order.person_id
    visits = [
        Contact.objects.create(
            event=event,
            type=contact_types["office_visit"],
            starts_at=datetime(2026, month, 10, 10, tzinfo=UTC),
            staff=officer,
            outcome="attended",
            recorded_at=datetime(2026, month, 10, 12, tzinfo=UTC),
        )
        for month in (3, 6, 9)
    ]
    ledger.refresh_person(person_id)
    allocation = Allocation.objects.filter(event=event).get()
    obligation = Obligation.objects.filter(person_id=person_id, due_on__gte=date(2026, 1, 1)).order_by("due_on")[0]
    changes: dict[str, Callable[[], object]] = {
        "a contact's outcome": lambda: Contact.objects.filter(pk=visits[0].pk).update(outcome="unacceptable_absence"),
        "a contact moved a month": lambda: Contact.objects.filter(pk=visits[1].pk).update(
            starts_at=datetime(2026, 7, 10, 10, tzinfo=UTC)
        ),
        "a contact's version": lambda: Contact.objects.filter(pk=visits[2].pk).update(version=F("version") + 1),
        "a contact entered in error": lambda: Contact.objects.filter(pk=visits[2].pk).update(
            entered_in_error=True, error_reason="Wrong case"
        ),
        "an obligation met": lambda: Obligation.objects.filter(pk=obligation.pk).update(met_on=obligation.due_on),
        "an allocation's stamp": lambda: Allocation.objects.filter(pk=allocation.pk).update(
            recorded_at=datetime(2026, 11, 2, 9, tzinfo=UTC)
        ),
        "the sentence ended": lambda: Event.objects.filter(pk=event.pk).update(
            terminated_on=date(2026, 10, 31), termination_reason="completed"
        ),
        "nothing": lambda: None,
    }
    for name, change in changes.items():
        sql, orm = _changed(person_id, change)
        assert sql == orm, name
        assert bool(sql) == (name != "nothing"), (name, sql)
    ledger.refresh_person(person_id)  # the facts changed behind the ledger's back: derived again


def _marked_against_whole(person_id: int, change: Callable[[], object]) -> tuple[set[date], set[date]]:
    """The months a service marked, and those whose whole footprint (the case's contacts too) it changed."""
    PerformanceStale.objects.all().delete()
    before = stale_counts.footprint(person_id)
    change()
    whole = stale_counts.changed_months(before, stale_counts.footprint(person_id))
    return set(PerformanceStale.objects.values_list("month", flat=True)), whole


def test_a_change_writing_only_contacts_marks_the_months_their_comparison_would(
    community_order: Event, officer, contact_types
) -> None:
    """Logging, booking, an outcome, an amendment, a cancellation leave the contacts out of the footprint and name
    the days of those they write: the months marked are those the whole footprint shows changed, whatever month
    the contact was or is in (one back-dated a month; moved across a month end in England, 1 October at 00:30 is 30
    September in UTC; booked weekly into next month, which is not counted yet; entered in error)."""
    event, user, person_id = community_order, officer.user, community_order.person_id
    visit, call = contact_types["office_visit"], contact_types["telephone"]

    def log(starts_at: datetime, type=visit) -> Contact:
        return contacts.log_contact(event=event, user=user, type=type, starts_at=starts_at, staff=officer,
                                    outcome=Outcome.ATTENDED)  # fmt: skip

    september = log(datetime(2026, 9, 30, 23, 30, tzinfo=UTC))  # 00:30 on 1 October in England
    booked: list[Contact] = []
    calls: list[Contact] = []
    changes: dict[str, Callable[[], object]] = {
        "an office visit today": lambda: log(datetime(2026, 11, 25, 9, tzinfo=UTC)),
        "a call back-dated to October": lambda: calls.append(log(datetime(2026, 10, 2, 9, tzinfo=UTC), call)),
        "the call moved to September (no rule reads it)": lambda: contacts.amend(
            contact=calls[0], user=user, reason="Wrong month", starts_at=datetime(2026, 9, 15, 9, tzinfo=UTC)
        ),
        "a visit moved from 1 October to 30 September": lambda: contacts.amend(
            contact=september, user=user, reason="Wrong day", starts_at=datetime(2026, 9, 30, 22, 30, tzinfo=UTC)
        ),
        "a visit moved from September to August": lambda: contacts.amend(
            contact=september, user=user, reason="Wrong month", starts_at=datetime(2026, 8, 31, 9, tzinfo=UTC)
        ),
        "appointments booked weekly into December": lambda: booked.extend(
            contacts.book(
                event=event,
                user=user,
                type=visit,
                starts_at=datetime(2026, 11, 25, 14, tzinfo=UTC),
                staff=officer,
                repeat="weekly",
                count=3,
            )
        ),
        "an outcome at an appointment this morning": lambda: contacts.record_outcome(
            contact=contacts.book(
                event=event, user=user, type=visit, staff=officer, starts_at=datetime(2026, 11, 25, 8, tzinfo=UTC)
            )[0],
            user=user,
            outcome=Outcome.UNACCEPTABLE_ABSENCE,
        ),
        "an appointment cancelled": lambda: contacts.cancel_appointment(contact=booked[0], user=user, reason="Moved"),
        "a visit entered in error": lambda: contacts.mark_entered_in_error(
            contact=september, user=user, reason="Wrong person"
        ),
    }
    for name, change in changes.items():
        marked, whole = _marked_against_whole(person_id, change)
        assert marked == whole, name
        assert marked, name


def test_the_suite_finds_a_change_that_writes_a_contact_it_did_not_name(community_order: Event, officer) -> None:
    """The check behind `contacts_only` (settings.CASE_CHANGE_CHECK_SCOPE): a contact written and not named is a
    month left unmarked, and fails the change."""

    def a_call_not_named() -> None:
        with case_change(community_order, officer.user, "contact.log", contacts_only=True) as change:
            change.within(community_order)
            change.moves_no_obligation()
            Contact.objects.create(
                event=community_order,
                type=ContactType.objects.get(code="telephone"),
                starts_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
                staff=officer,
                outcome="attended",
                recorded_at=datetime(2026, 11, 25, 9, tzinfo=UTC),
            )

    with pytest.raises(AssertionError, match=r"named, but changed \[datetime.date\(2026, 11, 1\)\]"):
        a_call_not_named()
    assert not Contact.objects.filter(event=community_order).exists()  # the change did not happen


def test_the_quick_start_marks_the_same_months_without_the_contacts(community_order: Event, officer) -> None:
    """SQLite (the quick-start) compares the footprint without the contacts through the ORM and marks the named
    months as PostgreSQL's one statement does."""
    person_id = community_order.person_id
    ledger.refresh_person(person_id)
    obligation = Obligation.objects.filter(person_id=person_id, due_on__gte=date(2026, 1, 1)).order_by("due_on")[0]
    named = {date(2026, 3, 10), date(2026, 11, 24), date(2027, 1, 5), date(2025, 6, 1)}  # two outside the window
    results = []
    for vendor in ("postgresql", "sqlite"):
        Obligation.objects.filter(pk=obligation.pk).update(met_on=None)
        PerformanceStale.objects.all().delete()
        with mock.patch.object(stale_counts, "connection", SimpleNamespace(vendor=vendor, cursor=connection.cursor)):
            before = stale_counts.footprint(person_id, contacts=False)
            Obligation.objects.filter(pk=obligation.pk).update(met_on=obligation.due_on)
            results.append(stale_counts.mark_changed(person_id, before, named))
        assert set(PerformanceStale.objects.values_list("month", flat=True)) == results[-1]
    assert results[0] == results[1] == {date(2026, 3, 1), date(2026, 11, 1), obligation.due_on.replace(day=1)}
    ledger.refresh_person(person_id)  # the obligation changed behind the ledger's back: derived again

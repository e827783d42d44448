"""The case's footprint (cases/stale_counts.py): PostgreSQL's, a month's facts as the hash of its rows, marks the
same months as the ORM's (the sets of rows the SQLite quick-start compares), for a change to each kind of fact."""

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.db.models import F

from cases import stale_counts
from cases.models import Allocation, Contact, Event, Obligation
from cases.standards import ledger

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

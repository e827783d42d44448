"""The one way a case changes. Every service that writes case facts does it inside `case_change()`:

    with case_change(event.person_id, user, "contact.book") as change:
        ...write the facts...
        change.touches(contact, count=1)        # named in the audit row

On entry: a transaction, and the case's lock taken before anything is written. On leaving the block
without an error, in this order and in the same transaction: the person's National Standards obligations
are derived again from the facts just written (only one event's, for a change that says every fact it wrote is
of that event: `change.within(event)`), the months of performance counts the change made out of date
are marked stale (cases/stale_counts.py; a change that writes only contacts, `contacts_only=True`, names the
moments of those it writes, `change.contact_at`, and its footprint leaves the case's contacts out), the audit
event is written, the request is marked as one that changed something (its user reads from the primary for a
few seconds: probation/db_router.py), and any job the change asked for is queued to run once the transaction
commits. Nothing of this happens as a side effect elsewhere: the audit writer only writes audit rows, and no
write refreshes the ledger from inside another call.

The lock is FOR NO KEY UPDATE on the person row: two people recording against one case at the same moment
queue (milliseconds) instead of deadlocking, and the ledger each refreshes sees the other's facts. It does
not conflict with the key-share locks that inserts referencing the person take.

A change made inside another change to the same case (a programme session books and records a contact) is
audited as itself, but the case is locked and its ledger derived once, by the outer change.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models, transaction
from django.utils import timezone

from cases import audit, stale_counts
from cases.models import Event, Person
from cases.standards import ledger
from probation import db_router


class CaseChange:
    """What one change did, for its audit row and the work that follows it."""

    def __init__(self, user: User | AnonymousUser, action: str, person_id: int | None) -> None:
        self.user = user
        self.action = action
        self.person_id = person_id
        self.obj: models.Model | None = None
        self.detail: dict[str, Any] = {}
        self.jobs: list[Callable[[], None]] = []
        self.event_id: int | None = None  # the one event whose facts it writes, if it said so (`within`)
        self.derives = True  # whether what it writes can move an obligation (`moves_no_obligation`)
        self.seen_since: date | None = None  # the rules read what it writes as seen contacts from this day on
        self.contact_days: set[date] = set()  # the days of the contacts it writes, before and after (`contact_at`)

    def touches(self, obj: models.Model | None, **detail: Any) -> None:
        """The record the change is about (named in the audit row), and what the audit row should say of it."""
        self.obj = obj
        self.detail.update(detail)

    def note(self, **detail: Any) -> None:
        self.detail.update(detail)

    def becomes(self, action: str) -> None:
        """The action, once the change knows which it was (a first allocation or a reallocation)."""
        self.action = action

    def of_new_case(self, person: Person) -> None:
        """A change that creates the case: it is this person's from now on (nobody else can see them yet)."""
        self.person_id = person.pk
        lock_case(person.pk)
        _changing.set((*_changing.get(), person.pk))  # changes nested in this one are part of it

    def within(self, event: Event) -> None:
        """Every fact this change writes is of this one event (a contact, its outcome): only that event's
        obligations are derived again. Derivation is per event (cases/standards/derive.py), so the case's other
        sentences' cannot move; their facts are not read again (a case with years of earlier sentences). Said by
        an inner change, it has no effect: the outer change refreshes the case. The test suite checks it
        (settings.CASE_CHANGE_CHECK_SCOPE): a change that said so and moved another event's obligations fails."""
        if event.person_id != self.person_id:
            raise ValueError(f"{self.action}: event {event.pk} is not of the case changed")
        self.event_id = event.pk

    def moves_no_obligation(self) -> None:
        """What this change writes reads the same to the rules after it as before (derive.as_read_by_rules: an
        appointment booked, a telephone call logged, a contact's notes corrected): no obligation can move, so
        none is derived again, and the cost of a change no longer grows with the sentence's history. The case's
        footprint in the performance counts is still compared. Said by an inner change, it has no effect. The
        test suite checks it (settings.CASE_CHANGE_CHECK_SCOPE): the case's obligations derived before and after
        such a change must be the same."""
        self.derives = False

    def seen_from(self, day: date) -> None:
        """Every contact this change writes, the rules read, before it and after, as no more than one at which the
        person was seen (derive.seen_only: an office visit logged, its outcome recorded, its time corrected), and
        none before this day: only the clocks of seeing the person are derived again, from the month of the day
        on (ledger.refresh_seen), so the cost does not grow with the sentence's history. With `within` only (a
        change to one event); said more than once, from the earliest day. Said by an inner change, it has no
        effect. The test suite checks it (settings.CASE_CHANGE_CHECK_SCOPE): after such a change the event's
        obligations are what its whole history derives."""
        self.seen_since = day if self.seen_since is None else min(self.seen_since, day)

    def contact_at(self, starts_at: datetime) -> None:
        """A contact this change writes starts (before the change, or after it) at this moment: in a change that
        writes only contacts (`case_change(..., contacts_only=True)`) its month is marked stale, in place of
        comparing the case's contacts before and after (cases/stale_counts.py). Name every contact written, and
        both its moments if it moves. Said by an inner change, it has no effect: name them in the outer one. The
        test suite checks it (settings.CASE_CHANGE_CHECK_SCOPE): every month the whole footprint shows changed
        was marked."""
        self.contact_days.add(timezone.localtime(starts_at).date())

    def after_commit(self, job: Callable[[], None]) -> None:
        self.jobs.append(job)


_changing: ContextVar[tuple[int, ...]] = ContextVar("cases_changing", default=())


# The case's lock, written out: the ORM built and compiled this one-row statement afresh on every change.
LOCK_SQL = f"SELECT 1 FROM {Person._meta.db_table} WHERE id = %s FOR NO KEY UPDATE"  # noqa: S608 - our own table


def lock_case(person_id: int) -> None:
    if connection.vendor != "postgresql":  # SQLite (the quick-start) locks the whole database on a write
        return
    with connection.cursor() as cursor:
        cursor.execute(LOCK_SQL, [person_id])


def person_id_of(case: Person | Event | int | None) -> int | None:
    if isinstance(case, Person):
        return case.pk
    if isinstance(case, Event):
        return case.person_id
    return case


@contextmanager
def case_change(
    case: Person | Event | int | None, user: User | AnonymousUser, action: str, contacts_only: bool = False
) -> Iterator[CaseChange]:
    """One change to one case (a Person, one of their events, or the person's id; None for a change that
    creates the case and names it with `of_new_case`). `contacts_only`: every fact it writes is a contact (and
    what the ledger derives from them), each named with `change.contact_at`."""
    outer = _changing.get()
    with transaction.atomic():
        change = CaseChange(user, action, person_id_of(case))
        inner = change.person_id is not None and change.person_id in outer
        outermost = change.person_id is not None and not inner
        if outermost and change.person_id:
            lock_case(change.person_id)
        # A change that writes only contacts writes no other fact the counts read until its obligations are derived
        # again, at the end: its footprint (without the contacts) is taken then, and not at all if none can move.
        before = (
            stale_counts.footprint(change.person_id) if outermost and change.person_id and not contacts_only else {}
        )
        checking = outermost and settings.CASE_CHANGE_CHECK_SCOPE
        derived_before = ledger.derived_by_event(change.person_id) if checking and change.person_id else {}
        whole_before = (
            stale_counts.footprint(change.person_id) if checking and contacts_only and change.person_id else {}
        )
        token = _changing.set((*outer, change.person_id or 0))
        try:
            yield change
        finally:
            _changing.reset(token)
        if change.person_id is None:
            raise ValueError(f"{action}: a case change must say which case it changed")
        if not inner:
            if checking and (change.event_id is not None or not change.derives):
                _check_scope(change, derived_before)
            if contacts_only and change.derives:
                before = stale_counts.footprint(change.person_id, contacts=False)
            if change.derives and change.seen_since is not None and change.event_id is not None:
                ledger.refresh_seen(change.person_id, change.event_id, change.seen_since)
                if checking:
                    _check_seen(change)
            elif change.derives:
                ledger.refresh_person(change.person_id, change.event_id)
            if contacts_only and not change.derives:  # nothing but the contacts named changed
                marked = stale_counts.mark_months_of(change.contact_days)
            else:
                named = change.contact_days if contacts_only else None
                marked = stale_counts.mark_changed(change.person_id, before, named)
            if checking and contacts_only:
                _check_contacts_named(change, whole_before, marked)
        audit.record(change.user, change.action, change.person_id, change.obj, **change.detail)
        db_router.wrote()  # the request's user reads from the primary for a while (read-your-writes)
        for job in change.jobs:
            transaction.on_commit(job)


def _check_scope(change: CaseChange, before: dict[int, dict[Any, Any]]) -> None:
    """A change that said it wrote the facts of one event (`within`) derives the same obligations as before for
    every other event of the case; one that said it moves no obligation, for every event (the test suite's check:
    settings.CASE_CHANGE_CHECK_SCOPE)."""
    assert change.person_id is not None
    after = ledger.derived_by_event(change.person_id)
    free = change.event_id if change.derives else None  # the event whose obligations may move
    moved = sorted(e for e in set(before) | set(after) if e != free and before.get(e) != after.get(e))
    if moved and not change.derives:
        raise AssertionError(f"{change.action} said it moves no obligation, but moved those of events {moved}")
    if moved:
        raise AssertionError(f"{change.action} said it changed event {change.event_id} only, but moved {moved}")


def _check_contacts_named(change: CaseChange, whole_before: stale_counts.Footprint, marked: set[date]) -> None:
    """After a change that said it writes only contacts, every month whose whole footprint (its contacts too)
    differs was marked: it named every contact it wrote (`contact_at`) and wrote nothing else the counts read (the
    test suite's check: settings.CASE_CHANGE_CHECK_SCOPE)."""
    assert change.person_id is not None
    whole_after = stale_counts.footprint(change.person_id)
    missed = sorted(stale_counts.changed_months(whole_before, whole_after) - marked)
    if missed:
        raise AssertionError(f"{change.action} said it writes only the contacts it named, but changed {missed}")


def _check_seen(change: CaseChange) -> None:
    """After a change that said it wrote only seen contacts (`seen_from`), its event's stored obligations are what
    its whole history derives (the test suite's check: settings.CASE_CHANGE_CHECK_SCOPE)."""
    assert change.event_id is not None
    differences = ledger.rebuild(check=True, event_ids=[change.event_id])
    if differences:
        raise AssertionError(f"{change.action} said it wrote seen contacts from {change.seen_since}: {differences}")

"""One change to a case at a time. Every service that changes a case takes this lock first, before it
writes anything: two people recording against one case at the same moment then queue (milliseconds)
instead of deadlocking, and the National Standards ledger each refreshes sees the other's facts.

FOR NO KEY UPDATE on the person row: it does not conflict with the key-share locks that inserts
referencing the person take, so a writer that has not taken it yet cannot deadlock against one that has."""

from cases.models import Person


def lock_case(*, person_id: int | None = None, event_id: int | None = None, contact_id: int | None = None) -> None:
    people = Person.objects.select_for_update(no_key=True, of=("self",))
    if person_id is not None:
        people = people.filter(pk=person_id)
    elif event_id is not None:
        people = people.filter(events=event_id)
    elif contact_id is not None:
        people = people.filter(events__contacts=contact_id)
    else:
        raise ValueError("Say which case to lock")
    list(people.values_list("pk", flat=True))

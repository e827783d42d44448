"""The database refuses a case record that breaks its invariants, whatever code wrote it."""

from datetime import date

import pytest
from django.db import DataError, IntegrityError, transaction

from cases.models import Allocation, Event, Person, Requirement
from tests.factories import AllocationFactory, EventFactory, PersonFactory, RequirementFactory


@pytest.mark.django_db
@pytest.mark.parametrize("crn", ["x123456", "X12345", "X1234567", "12345678", "XX12345"])
def test_a_crn_must_be_a_letter_and_six_digits(crn: str) -> None:
    with pytest.raises((IntegrityError, DataError)):
        PersonFactory.create(crn=crn)


@pytest.mark.django_db
def test_a_crn_is_unique() -> None:
    PersonFactory.create(crn="X000001")
    with pytest.raises(IntegrityError):
        PersonFactory.create(crn="X000001")


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "allowed"), [(39, False), (40, True), (300, True), (301, False), (None, False)])
def test_unpaid_work_is_40_to_300_hours(hours: int | None, allowed: bool) -> None:
    event = EventFactory.create()
    if allowed:
        RequirementFactory.create(event=event, hours=hours)
        assert Requirement.objects.filter(event=event, hours=hours).exists()
    else:
        with pytest.raises(IntegrityError):
            RequirementFactory.create(event=event, hours=hours)


@pytest.mark.django_db
def test_rar_needs_days_and_a_programme_needs_a_name() -> None:
    event = EventFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory.create(event=event, type=Requirement.Type.RAR, hours=None, days=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory.create(event=event, type=Requirement.Type.ACCREDITED_PROGRAMME, hours=None, programme="")


@pytest.mark.django_db
def test_an_event_has_only_one_active_responsible_officer() -> None:
    allocation = AllocationFactory.create()
    with pytest.raises(IntegrityError):
        AllocationFactory.create(event=allocation.event)


@pytest.mark.django_db
def test_a_past_allocation_may_sit_beside_the_current_one() -> None:
    first = AllocationFactory.create(to_date=date(2026, 1, 4))
    AllocationFactory.create(event=first.event, from_date=date(2026, 1, 5))
    assert Allocation.objects.filter(event=first.event).count() == 2


@pytest.mark.django_db
def test_an_allocation_cannot_end_before_it_starts() -> None:
    with pytest.raises(IntegrityError):
        AllocationFactory.create(from_date=date(2026, 1, 5), to_date=date(2026, 1, 4))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"type": Event.Type.LICENCE, "release_date": None},
        {"type": Event.Type.LICENCE, "sentence_date": date(2026, 1, 10), "release_date": date(2026, 1, 9)},
        {"type": Event.Type.COMMUNITY_ORDER, "release_date": date(2026, 1, 9)},
        {"terminated_on": date(2025, 12, 18)},
        {"terminated_on": date(2026, 3, 1), "termination_reason": ""},
        {"termination_reason": Event.TerminationReason.COMPLETED},
        {"expected_end_date": date(2025, 12, 18)},
        {"length_months": 0},
    ],
)
def test_event_dates_and_termination_must_be_consistent(fields: dict[str, object]) -> None:
    with pytest.raises(IntegrityError):
        EventFactory.create(**fields)


@pytest.mark.django_db
def test_a_licence_released_on_the_day_of_sentence_is_allowed() -> None:
    event = EventFactory.create(type=Event.Type.LICENCE, release_date=date(2025, 12, 19))
    assert event.supervision_starts_on == date(2025, 12, 19)


@pytest.mark.django_db
def test_event_refs_are_unique_per_person_not_overall() -> None:
    person = PersonFactory.create()
    EventFactory.create(person=person, ref="1")
    EventFactory.create(ref="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory.create(person=person, ref="1")
    assert Person.objects.count() == 2

"""read_together_kept (probation/read_together_kept.py) keeps a statement compiled once and puts each id in
it: the rows are those the querysets give compiled afresh, for any person; a shape that depends on the id, or
an id that is not a whole number, is compiled on each read as read_together() would. A list of whole numbers
(a caseload's event ids, one array parameter: probation/among.py) is a value too."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, Q, QuerySet

from cases.models import Allocation, Contact, ContactVersion, Event, Person
from cases.standards import ledger
from probation import read_together_kept as kept_module
from probation.among import Among
from probation.read_together import read_together
from tests.factories import case_for
from tests.probation.test_read_together import as_read


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    """Each test compiles its shapes itself (and leaves none compiled against its own objects)."""
    kept, routed_by = dict(kept_module._kept), dict(kept_module._routed_by)
    kept_module._kept.clear()
    kept_module._routed_by.clear()
    yield
    kept_module._kept.clear()
    kept_module._kept.update(kept)
    kept_module._routed_by.clear()
    kept_module._routed_by.update(routed_by)


@pytest.fixture
def two_people(officer, community_order: Event, contact_types) -> list[Event]:
    other = case_for(officer, crn="X654321", first_name="Alex", last_name="Other")
    for event, hours in ((community_order, (9, 11)), (other, (10,))):
        for hour in hours:
            Contact.objects.create(
                event=event,
                type=contact_types["office_visit"],
                starts_at=datetime(2026, 1, 5, hour, tzinfo=UTC),
                recorded_at=datetime(2026, 1, 5, hour, tzinfo=UTC),
            )
    return [community_order, other]


def read_afresh(querysets: dict[str, QuerySet[Any]]) -> dict[str, list[object]]:
    return {name: as_read(list(qs)) for name, qs in querysets.items()}


def test_the_kept_statement_reads_each_persons_rows_as_compiling_afresh_does(
    two_people: list[Event], django_assert_num_queries
) -> None:
    shape = ("test", "refresh")
    for event in two_people:
        expected = read_afresh(ledger._person_querysets(event.person_id))
        with django_assert_num_queries(1):
            found = kept_module.read_together_kept(shape, ledger._person_querysets, event.person_id)
        assert {name: as_read(rows) for name, rows in found.items()} == expected
        assert found["person"][0].pk == event.person_id
        assert len(found["contacts"]) == (2 if event == two_people[0] else 1)
    assert isinstance(kept_module._kept[(shape, (int,), "default")], kept_module.Kept)  # kept from the second read


def test_the_refresh_keeps_its_statement_from_its_second_read(two_people: list[Event]) -> None:
    ledger.refresh_person(two_people[0].person)
    assert kept_module._kept == {}  # the first read compiled as it is
    ledger.refresh_person(two_people[1].person)
    assert [type(kept) for kept in kept_module._kept.values()] == [kept_module.Kept]


def ordered_by_the_id(person_id: int) -> dict[str, QuerySet[Any]]:
    """A shape that depends on the id: its SQL differs for odd and even ids."""
    return {"events": Event.objects.filter(person_id=person_id).order_by("ref" if person_id % 2 else "-ref")}


def next_one_too(person_id: int) -> dict[str, QuerySet[Any]]:
    """A parameter other than the id that varies with it."""
    return {"people": Person.objects.filter(pk__in=[person_id, person_id + 1])}


@pytest.mark.parametrize("build", [ordered_by_the_id, next_one_too])
def test_a_shape_that_varies_with_the_id_is_compiled_on_each_read(two_people: list[Event], build) -> None:
    for event in two_people:
        found = kept_module.read_together_kept(("test", build.__name__), build, event.person_id)
        assert {name: as_read(rows) for name, rows in found.items()} == read_afresh(build(event.person_id))
    assert kept_module._kept[(("test", build.__name__), (int,), "default")] is kept_module.UNKEPT


def test_a_value_that_is_neither_a_whole_number_nor_a_text_is_compiled_as_it_is(two_people: list[Event]) -> None:
    person_id = float(two_people[1].person_id)
    found = kept_module.read_together_kept(("test", "float"), ledger._person_querysets, person_id)  # type: ignore[arg-type]
    assert [person.pk for person in found["person"]] == [two_people[1].person_id]
    assert kept_module._kept == {}


def by_id_and_crn(person_id: int, crn: str) -> dict[str, QuerySet[Any]]:
    return {
        "person": Person.objects.filter(pk=person_id, crn=crn),
        "events": Event.objects.filter(person__crn=crn).order_by("ref"),
    }


def test_several_values_each_go_in_their_places(two_people: list[Event]) -> None:
    for event in two_people:
        person = event.person
        for crn in (person.crn, "X000000"):
            found = kept_module.read_together_kept(("test", "two"), by_id_and_crn, person.pk, crn)
            assert {name: as_read(rows) for name, rows in found.items()} == read_afresh(by_id_and_crn(person.pk, crn))
            assert len(found["events"]) == (crn == person.crn)
    assert isinstance(kept_module._kept[(("test", "two"), (int, str), "default")], kept_module.Kept)


def test_a_shape_that_cannot_be_built_with_a_sentinel_is_compiled_on_each_read(two_people: list[Event]) -> None:
    def build(person_id: int) -> dict[str, QuerySet[Any]]:
        if person_id < 0:
            raise LookupError("no such person")
        return {"person": Person.objects.filter(pk=person_id)}

    assert read_together(build(two_people[0].person_id)).keys() == {"person"}
    for event in two_people:
        found = kept_module.read_together_kept(("test", "fails"), build, event.person_id)
        assert [person.pk for person in found["person"]] == [event.person_id]
    assert kept_module._kept[(("test", "fails"), (int,), "default")] is kept_module.UNKEPT


def test_a_select_related_statement_is_kept_and_its_values_put_in(
    officer, colleague, community_order: Event, django_assert_num_queries
) -> None:
    def allocations(event_id: int) -> dict[str, Any]:
        return {"allocations": Allocation.objects.filter(event_id=event_id).select_related("staff__team")}

    other = case_for(colleague, crn="K200002")
    for event in (community_order, other, community_order):
        with django_assert_num_queries(1):
            rows = kept_module.read_together_kept(("test.allocations",), allocations, event.pk)["allocations"]
        assert [(a.event_id, a.staff.name, a.staff.team.name) for a in rows] == [
            (a.event_id, a.staff.name, a.staff.team.name) for a in allocations(event.pk)["allocations"]
        ]
    assert isinstance(kept_module._kept[(("test.allocations",), (int,), "default")], kept_module.Kept)


def contacts_between(event_id: int, since: date, until: datetime) -> dict[str, QuerySet[Any]]:
    return {
        "contacts": Contact.objects.filter(event_id=event_id, recorded_at__date__gte=since, starts_at__lt=until)
        .select_related("type")
        .order_by("starts_at")
    }


def test_days_and_moments_each_go_in_their_places(two_people: list[Event]) -> None:
    event = two_people[0]
    for since, until in (
        (date(2026, 1, 5), datetime(2026, 1, 5, 10, tzinfo=UTC)),
        (date(2026, 1, 6), datetime(2026, 1, 5, 12, tzinfo=UTC)),
        (date(2026, 1, 1), datetime(2026, 1, 5, 12, tzinfo=UTC)),
    ):
        found = kept_module.read_together_kept(("test", "between"), contacts_between, event.pk, since, until)
        expected = list(contacts_between(event.pk, since, until)["contacts"])
        assert [(c.pk, c.type.code) for c in found["contacts"]] == [(c.pk, c.type.code) for c in expected]
    assert [
        len(kept_module.read_together_kept(("test", "between"), contacts_between, event.pk, day, until)["contacts"])
        for day, until in (
            (date(2026, 1, 5), datetime(2026, 1, 5, 10, tzinfo=UTC)),
            (date(2026, 1, 1), datetime(2026, 1, 5, 12, tzinfo=UTC)),
        )
    ] == [1, 2]
    assert isinstance(kept_module._kept[(("test", "between"), (int, date, datetime), "default")], kept_module.Kept)


def sentenced_since(person_id: int, since: date) -> dict[str, QuerySet[Any]]:
    return {"events": Event.objects.filter(person_id=person_id, sentence_date__gte=since).order_by("ref")}


def test_a_date_goes_in_its_place_and_a_moment_where_a_day_is_asked_is_compiled_as_it_is(
    two_people: list[Event],
) -> None:
    for event in two_people:
        for since, found_it in ((event.sentence_date, True), (event.sentence_date + timedelta(days=1), False)):
            found = kept_module.read_together_kept(("test", "since"), sentenced_since, event.person_id, since)
            assert as_read(found["events"]) == as_read(list(sentenced_since(event.person_id, since)["events"]))
            assert [e.pk for e in found["events"]] == ([event.pk] if found_it else [])
    assert isinstance(kept_module._kept[(("test", "since"), (int, date), "default")], kept_module.Kept)
    moment = datetime.combine(two_people[0].sentence_date, datetime.min.time(), tzinfo=UTC)
    for _ in range(2):  # the first read of a shape is compiled as it is; the second tries to keep it
        found = kept_module.read_together_kept(("test", "moment"), sentenced_since, two_people[0].person_id, moment)
        assert [e.pk for e in found["events"]] == [two_people[0].pk]
    # Django turns the moment into its day for the date column: the sentinels do not survive, so nothing is kept
    assert kept_module._kept[(("test", "moment"), (int, datetime), "default")] is kept_module.UNKEPT


def contacts_of(event_ids: list[int]) -> dict[str, QuerySet[Any]]:
    """A caseload's contacts: its event ids as one array parameter (probation/among.py)."""
    return {"contacts": Contact.objects.filter(Among(F("event_id"), event_ids)).order_by("starts_at", "id")}


def test_a_list_of_whole_numbers_goes_in_its_place_as_one_array(
    two_people: list[Event], django_assert_num_queries
) -> None:
    shape = ("test", "among")
    first, second = (event.pk for event in two_people)
    for ids in ([first, second], [second], [], [first], [second, first, -5]):
        with django_assert_num_queries(1):
            found = kept_module.read_together_kept(shape, contacts_of, ids)
        assert as_read(found["contacts"]) == as_read(list(contacts_of(ids)["contacts"]))
        assert len(found["contacts"]) == 2 * (first in ids) + (second in ids)
    assert isinstance(kept_module._kept[(shape, (list,), "default")], kept_module.Kept)


def test_an_empty_list_is_read_and_kept_too(two_people: list[Event]) -> None:
    for _ in range(3):
        assert kept_module.read_together_kept(("test", "none"), contacts_of, []) == {"contacts": []}
    assert isinstance(kept_module._kept[(("test", "none"), (list,), "default")], kept_module.Kept)
    assert len(kept_module.read_together_kept(("test", "none"), contacts_of, [two_people[1].pk])["contacts"]) == 1


def each_a_parameter(event_ids: list[int]) -> dict[str, QuerySet[Any]]:
    """`__in`: a parameter an id, so the statement's text depends on how many there are."""
    return {"contacts": Contact.objects.filter(event_id__in=event_ids).order_by("starts_at", "id")}


def test_a_list_written_a_parameter_an_element_is_compiled_on_each_read(two_people: list[Event]) -> None:
    ids = [event.pk for event in two_people]
    for given in (ids, ids[:1], ids):
        found = kept_module.read_together_kept(("test", "in"), each_a_parameter, given)
        assert as_read(found["contacts"]) == as_read(list(each_a_parameter(given)["contacts"]))
    assert kept_module._kept[(("test", "in"), (list,), "default")] is kept_module.UNKEPT


@pytest.mark.parametrize("kind", [bool, str, float, tuple])
def test_a_list_of_anything_but_whole_numbers_is_compiled_as_it_is(two_people: list[Event], kind: type) -> None:
    pk = two_people[0].pk
    ids = (pk,) if kind is tuple else [kind(pk)]
    for _ in range(2):
        found = kept_module.read_together_kept(("test", "odd"), contacts_of, ids)  # type: ignore[arg-type]
        assert as_read(found["contacts"]) == as_read(list(contacts_of(ids)["contacts"]))  # type: ignore[arg-type]
    assert kept_module._kept == {}


def test_the_list_and_other_values_each_go_in_their_places(two_people: list[Event]) -> None:
    def contacts_before(event_ids: list[int], until: datetime, staff_id: int) -> dict[str, QuerySet[Any]]:
        mine = Q(Among(F("event_id"), event_ids)) | Q(staff_id=staff_id)
        return {"contacts": Contact.objects.filter(mine, starts_at__lt=until).order_by("starts_at", "id")}

    ids = [event.pk for event in two_people]
    for given, hour in ((ids, 10), (ids[1:], 12), (ids[:1], 12), ([], 12)):
        until = datetime(2026, 1, 5, hour, tzinfo=UTC)
        found = kept_module.read_together_kept(("test", "mixed"), contacts_before, given, until, 0)
        assert as_read(found["contacts"]) == as_read(list(contacts_before(given, until, 0)["contacts"]))
    assert isinstance(kept_module._kept[(("test", "mixed"), (list, datetime, int), "default")], kept_module.Kept)


def test_elsewhere_than_postgresql_a_list_is_read_as_the_in_list_and_not_kept(
    two_people: list[Event], monkeypatch
) -> None:
    """The SQLite quick-start: Among writes an `IN` list (a parameter an id), read on its own each time."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    ids = [event.pk for event in two_people]
    for given in (ids, [], ids[1:]):
        found = kept_module.read_together_kept(("test", "sqlite"), contacts_of, given)
        assert len(found["contacts"]) == 2 * (ids[0] in given) + (ids[1] in given)
    assert kept_module._kept[(("test", "sqlite"), (list,), "default")] is kept_module.UNKEPT


def by_how_many(event_ids: list[int]) -> dict[str, QuerySet[Any]]:
    """A shape that depends on how many ids there are: one case's contacts newest first, a caseload's oldest."""
    order = ("starts_at", "id") if len(event_ids) > 1 else ("-starts_at", "-id")
    return {"contacts": Contact.objects.filter(Among(F("event_id"), event_ids)).order_by(*order)}


def test_a_shape_that_varies_with_the_lists_length_is_compiled_on_each_read(two_people: list[Event]) -> None:
    ids = [event.pk for event in two_people]
    for given in (ids, ids[:1], ids, ids[:1]):
        found = kept_module.read_together_kept(("test", "how many"), by_how_many, given)
        assert as_read(found["contacts"]) == as_read(list(by_how_many(given)["contacts"]))
    assert kept_module._kept[(("test", "how many"), (list,), "default")] is kept_module.UNKEPT


def sensitive_versions(person_id: int) -> dict[str, QuerySet[Any]]:
    """A JSON lookup (`data__sensitive=True`): psycopg's Jsonb wrapper of `true` is a parameter of its own in
    each compilation, equal only to itself."""
    return {"versions": ContactVersion.objects.filter(contact__event__person_id=person_id, data__sensitive=True)}


def holding_the_id(person_id: int) -> dict[str, QuerySet[Any]]:
    """A JSON value that holds the id: it varies with it, and is not a value put in its place."""
    return {"versions": ContactVersion.objects.filter(data__contains={"person": person_id})}


def test_a_json_value_the_same_in_each_compilation_is_kept(two_people: list[Event]) -> None:
    for event in two_people:
        contact = Contact.objects.filter(event=event).first()
        assert contact is not None
        ContactVersion.objects.create(contact=contact, number=1, data={"sensitive": event == two_people[0]})
    for event in two_people:
        found = kept_module.read_together_kept(("test", "json"), sensitive_versions, event.person_id)
        assert as_read(found["versions"]) == read_afresh(sensitive_versions(event.person_id))["versions"]
        assert len(found["versions"]) == (event == two_people[0])
    assert isinstance(kept_module._kept[(("test", "json"), (int,), "default")], kept_module.Kept)


def test_a_json_value_that_holds_a_value_is_compiled_on_each_read(two_people: list[Event]) -> None:
    for event in two_people:
        contact = Contact.objects.filter(event=event).first()
        assert contact is not None
        ContactVersion.objects.create(contact=contact, number=1, data={"person": event.person_id})
    for event in two_people:
        found = kept_module.read_together_kept(("test", "json id"), holding_the_id, event.person_id)
        assert [version.data for version in found["versions"]] == [{"person": event.person_id}]
    assert kept_module._kept[(("test", "json id"), (int,), "default")] is kept_module.UNKEPT

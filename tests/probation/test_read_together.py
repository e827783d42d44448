"""Several querysets read in one round trip (probation/read_together.py) come back exactly as the ORM reads
them one by one: the same rows, in the same order, with the same Python values (decimals, times with their
zone, dates, nulls, JSON, annotations, values())."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Model
from django.db.models.functions import TruncDate

from cases.models import Alias, Allocation, AuditEvent, Contact, ContactVersion, Event, Person
from cases.standards import derive
from interventions.models import UpwSession
from probation.read_together import keep_as_prefetched, read_together
from tests.factories import case_for


def fields(row: object, names: list[str]) -> tuple[object, ...]:
    return tuple(typed(getattr(row, name)) for name in names)


def typed(value: object) -> object:
    """A value with its type, and its text (a decimal's places), so 6.5 and Decimal("6.50") differ."""
    return (type(value).__name__, str(value))


def as_read(rows: list[Any]) -> list[object]:
    """Each row as comparable values: every concrete field and annotation of an instance, a dict as it is."""
    out: list[object] = []
    for row in rows:
        if isinstance(row, Model):
            names = [f.attname for f in row._meta.concrete_fields if f.attname in row.__dict__]
            extra = sorted(k for k in row.__dict__ if k.endswith("_team_id") or k.startswith("type_"))
            out.append(fields(row, names + extra))
        elif isinstance(row, tuple):
            out.append(tuple(typed(value) for value in row))
        else:
            out.append({name: typed(value) for name, value in row.items()})
    return out


def test_rows_come_back_as_the_orm_reads_them_in_one_query(
    officer, community_order: Event, contact_types, django_assert_num_queries
) -> None:
    requirement = community_order.requirements.get(type="unpaid_work")
    UpwSession.objects.create(
        requirement=requirement, date=date(2026, 1, 5), status="attended", work_hours=Decimal("6.5")
    )
    UpwSession.objects.create(requirement=requirement, date=date(2026, 1, 3), status="absent")
    for hour in (11, 9, 10):
        Contact.objects.create(
            event=community_order,
            type=contact_types["office_visit"],
            starts_at=datetime(2026, 3, 29, hour, 30, 15, 123456, tzinfo=UTC),  # across the clocks going forward
            recorded_at=datetime(2026, 3, 30, hour, tzinfo=UTC),
        )
    AuditEvent.objects.create(action="test", person=community_order.person, detail={"a": [1, "two", None], "b": 1.5})
    querysets = {
        "allocations": Allocation.objects.filter(event=community_order).annotate(staff_team_id=F("staff__team_id")),
        "sessions": UpwSession.objects.filter(requirement=requirement).order_by("date"),
        "contacts": Contact.objects.filter(event=community_order)
        .annotate(**derive.CONTACT_DAYS)
        .values(*derive.CONTACT_FIELDS, "starts_at"),
        "contact rows": Contact.objects.filter(event=community_order)
        .annotate(**derive.CONTACT_DAYS)
        .values_list(*derive.CONTACT_FIELDS),
        "one value a row": Contact.objects.filter(event=community_order).values_list("starts_at").order_by("-id"),
        "hours and details": UpwSession.objects.filter(requirement=requirement).values_list("work_hours", "status"),
        "documents": AuditEvent.objects.filter(person=community_order.person).values_list("detail", "person__crn"),
        "some of a contact": Contact.objects.filter(event=community_order).only("starts_at", "evidence_due"),
        "audit": AuditEvent.objects.filter(person=community_order.person),
        "nothing": ContactVersion.objects.filter(contact__in=[]),
        "events": Event.objects.filter(pk=community_order.pk),
    }
    expected = {name: as_read(list(qs)) for name, qs in querysets.items()}
    with django_assert_num_queries(1):
        found = read_together(querysets)
    assert {name: as_read(rows) for name, rows in found.items()} == expected
    assert [row["starts_at"].hour for row in found["contacts"]] == [11, 10, 9]  # the model's order, newest first
    assert found["sessions"][1].work_hours == Decimal("6.50")
    assert found["audit"][0].detail == {"a": [1, "two", None], "b": 1.5}
    assert isinstance(found["audit"][0].detail["b"], float)
    assert (Decimal("6.50"), "attended") in found["hours and details"]
    assert found["documents"] == [({"a": [1, "two", None], "b": 1.5}, community_order.person.crn)]


def test_values_list_of_every_field_comes_back_as_the_orm_reads_it(community_order: Event) -> None:
    every_field = Event.objects.filter(pk=community_order.pk).values_list()
    assert read_together({"events": every_field})["events"] == list(every_field)


def test_values_list_with_annotations_comes_back_in_the_order_named(community_order: Event, contact_types) -> None:
    for hour in (22, 23):  # 23:30 UTC in summer is the next day in London: the annotation's day, not UTC's
        Contact.objects.create(
            event=community_order,
            type=contact_types["office_visit"],
            starts_at=datetime(2026, 6, 30, hour, 30, tzinfo=UTC),
            recorded_at=datetime(2026, 7, 1, hour, tzinfo=UTC),
        )
    contacts = Contact.objects.filter(event=community_order).annotate(
        day=TruncDate("starts_at"), crn=F("event__person__crn")
    )
    querysets = {
        "annotation between fields": contacts.values_list("id", "day", "outcome").order_by("id"),
        "annotations first": contacts.values_list("crn", "day", "starts_at").order_by("id"),
        "annotations not named": Event.objects.annotate(crn=F("person__crn")).values_list("ref"),
    }
    expected = {name: list(qs) for name, qs in querysets.items()}
    assert read_together(querysets) == expected
    assert [day for _, day, _ in expected["annotation between fields"]] == [date(2026, 6, 30), date(2026, 7, 1)]


def test_rows_kept_as_prefetched_are_read_without_a_query_in_their_order(officer, django_assert_num_queries) -> None:
    person = case_for(officer, crn="K100001").person
    for name in ("Bea", "Ann", "Cat"):
        Alias.objects.create(person=person, first_name=name, last_name="Smith")
    ordered = Alias.objects.filter(person=person).order_by("-first_name")
    fresh = Person.objects.get(pk=person.pk)
    keep_as_prefetched(fresh, read_together({"aliases": ordered}))
    with django_assert_num_queries(0):
        names = [alias.first_name for alias in fresh.aliases.all()]
        owners = {alias.person.crn for alias in fresh.aliases.all()}
    assert names == ["Cat", "Bea", "Ann"]
    assert owners == {"K100001"}
    fresh.aliases.create(first_name="Dee", last_name="Smith")  # a change drops what was kept, as after prefetching
    assert fresh.aliases.count() == 4


def with_related(rows: list[Any], paths: list[str]) -> list[object]:
    """Each row as read, and each related instance select_related() read with it (None where there is none)."""
    out: list[object] = []
    for row in rows:
        related = []
        for path in paths:
            instance: Any = row
            for name in path.split("__"):
                instance = getattr(instance, name) if instance is not None else None
            related.append(as_read([instance]) if instance is not None else None)
        out.append((as_read([row]), related))
    return out


def test_rows_with_related_rows_come_back_as_the_orm_reads_them(
    officer, colleague, community_order: Event, contact_types, django_assert_num_queries
) -> None:
    officer_sees = Contact.objects.create(
        event=community_order,
        type=contact_types["office_visit"],
        starts_at=datetime(2026, 3, 29, 9, 30, tzinfo=UTC),
        staff=officer,
        recorded_by=officer.user,
        recorded_at=datetime(2026, 3, 29, 10, tzinfo=UTC),
        notes="Seen",
    )
    Contact.objects.create(  # no staff, nobody recorded it: the related rows are None
        event=community_order,
        type=contact_types["telephone"],
        starts_at=datetime(2026, 3, 30, 9, tzinfo=UTC),
        recorded_at=datetime(2026, 3, 30, 10, tzinfo=UTC),
    )
    Allocation.objects.filter(event=community_order).update(to_date=date(2026, 3, 31))
    Allocation.objects.create(event=community_order, staff=colleague, from_date=date(2026, 4, 1))
    paths = {
        "contacts": ["type", "staff", "staff__team", "event", "recorded_by"],
        "allocations": ["staff", "staff__team", "staff__user"],
        "events": ["person", "pdu"],
    }
    querysets = {
        "contacts": Contact.objects.filter(event=community_order)
        .select_related("type", "staff__team", "event", "recorded_by")
        .annotate(type_name=F("type__name"))
        .order_by("starts_at"),
        "allocations": Allocation.objects.filter(event=community_order)
        .select_related("staff__team", "staff__user")
        .order_by("-from_date"),
        "events": Event.objects.filter(pk=community_order.pk).select_related("person", "pdu"),
        "none": Contact.objects.filter(pk__in=[]).select_related("type"),
    }
    expected = {name: with_related(list(qs), paths.get(name, [])) for name, qs in querysets.items()}
    with django_assert_num_queries(1):
        found = read_together(querysets)
    with django_assert_num_queries(0):  # the related rows came with them
        assert {name: with_related(rows, paths.get(name, [])) for name, rows in found.items()} == expected
    assert found["contacts"][0].pk == officer_sees.pk
    assert found["contacts"][0].type_name == "Office visit"
    assert found["contacts"][1].staff is None
    assert found["allocations"][0].staff == colleague

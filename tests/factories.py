"""Factories for the people and places the tests talk about."""

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group, User

from cases.models import Allocation, Contact, Event, Person, Registration, Requirement
from probation.roles import Role
from regions.models import PDU, Region, StaffMember, Team

PASSWORD = "correct-horse-battery"


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class PDUFactory(factory.django.DjangoModelFactory[PDU]):
    class Meta:
        model = PDU
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"PDU-{n:03d}")
    name = factory.Sequence(lambda n: f"PDU {n}")
    region = factory.SubFactory(RegionFactory)


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"TEAM-{n:03d}")
    name = factory.Sequence(lambda n: f"Team {n}")
    pdu = factory.SubFactory(PDUFactory)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create and extracted:
            # get_or_create: transactional tests flush the groups the migration made
            obj.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in extracted])
        if create:
            obj.save()


class StaffMemberFactory(factory.django.DjangoModelFactory[StaffMember]):
    class Meta:
        model = StaffMember

    code = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Faker("name", locale="en_GB")
    grade = StaffMember.Grade.PO
    contracted_hours = Decimal("37")
    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    crn = factory.Sequence(lambda n: f"X{n:06d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(1990, 4, 1)
    pdu = factory.SubFactory(PDUFactory)
    rosh = "medium"
    tier = "B2"


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    person = factory.SubFactory(PersonFactory)
    ref = "1"
    type = Event.Type.COMMUNITY_ORDER
    pdu = factory.LazyAttribute(lambda event: event.person.pdu)
    sentence_date = date(2025, 12, 19)
    length_months = 12


class AllocationFactory(factory.django.DjangoModelFactory[Allocation]):
    class Meta:
        model = Allocation

    event = factory.SubFactory(EventFactory)
    staff = factory.SubFactory(StaffMemberFactory)
    from_date = factory.LazyAttribute(lambda allocation: allocation.event.sentence_date)
    reason = "Initial allocation"


class RequirementFactory(factory.django.DjangoModelFactory[Requirement]):
    class Meta:
        model = Requirement

    event = factory.SubFactory(EventFactory)
    type = Requirement.Type.UNPAID_WORK
    hours = 120


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    person = factory.SubFactory(PersonFactory)
    type = Registration.Type.DOMESTIC_ABUSE
    from_date = date(2025, 11, 1)
    review_due = date(2026, 5, 1)


def case_for(officer: StaffMember, **person_fields: object) -> Event:
    """An active community order in the officer's PDU with the officer as its RO."""
    event = EventFactory.create(person__pdu=officer.pdu, **{f"person__{k}": v for k, v in person_fields.items()})
    AllocationFactory.create(event=event, staff=officer)
    return event


def book(officer: StaffMember, event: Event, contact_type: Any, starts_at: Any) -> Contact:
    """One appointment with the officer, booked through the service as the pages do."""
    from cases.contacts import services as contacts

    assert officer.user is not None
    return contacts.book(event=event, user=officer.user, type=contact_type, starts_at=starts_at, staff=officer)[0]

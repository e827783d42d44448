"""Factories for the people and places the tests talk about."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

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

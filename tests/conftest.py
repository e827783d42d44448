import os
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import AccessRule, ContactType, Event, Person, Registration, Requirement
from cases.reference import ensure_contact_types
from probation.roles import Role
from regions.models import StaffMember, Team
from tests.factories import (
    RegistrationFactory,
    RequirementFactory,
    StaffMemberFactory,
    TeamFactory,
    UserFactory,
    case_for,
)

# Every test runs on a pinned clock: the suite gives the same result whatever the day it runs. The default is
# an ordinary Wednesday; `make test-dates` runs the suite again on awkward days (a Saturday, Christmas Day, a
# month end) through PROBATION_TEST_TODAY. A test whose facts need one particular day says so with
# @pytest.mark.today("YYYY-MM-DD"), which wins over both.
DEFAULT_TODAY = "2026-11-25"
LONDON = ZoneInfo("Europe/London")


def pinned_today(item: pytest.Item) -> date:
    marker = item.get_closest_marker("today")
    chosen = marker.args[0] if marker else os.environ.get("PROBATION_TEST_TODAY") or DEFAULT_TODAY
    return date.fromisoformat(chosen)


@pytest.fixture(autouse=True)
def pinned_clock(request: pytest.FixtureRequest) -> Iterator[date]:
    """The clock starts at 10:00 London time on the pinned day and ticks on from there."""
    today = pinned_today(request.node)
    with time_machine.travel(datetime(today.year, today.month, today.day, 10, tzinfo=LONDON), tick=True):
        yield today


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.CASE_CHANGE_CHECK_SCOPE = True  # every change that says it wrote one event's facts is checked


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries: Any, settings: Any) -> Any:
    """Counting queries: the scope check's own reads (two derivations of the case) are not the code's."""
    settings.CASE_CHANGE_CHECK_SCOPE = False
    return django_assert_num_queries


@pytest.fixture
def django_assert_max_num_queries(django_assert_max_num_queries: Any, settings: Any) -> Any:
    settings.CASE_CHANGE_CHECK_SCOPE = False
    return django_assert_max_num_queries


def uses_database(item: pytest.Item) -> bool:
    return bool(
        {"db", "transactional_db"} & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db")
    )


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected what will not run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The suite runs on PostgreSQL: without DATABASE_URL, settings fall back to the SQLite quick-start, whose
    branches (no covering indexes, no row locks, another SQL dialect) would quietly pass for PostgreSQL's. The
    quick-start has a test of its own (marked `embedded`), which runs in subprocesses and may run anywhere."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    needing_postgres = [item for item in items if not item.get_closest_marker("embedded")]
    if needing_postgres:
        raise pytest.UsageError(
            f"The tests run on PostgreSQL, but the default database is SQLite ({settings.DATABASES['default']['NAME']})"
            f" and {len(needing_postgres)} selected test(s) need PostgreSQL. Run `make test`, or set DATABASE_URL,"
            " e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/probation CELERY_BROKER_URL=redis://127.0.0.1:6379/15"
            " STATIC_MANIFEST=false .venv/bin/pytest ..."
        )


@pytest.fixture(scope="session", autouse=True)
def documents_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Documents a test uploads (or a letter it makes) go to a directory of the run's own, never var/documents."""
    from django.conf import settings
    from django.core.signals import setting_changed

    settings.STORAGES["documents"]["OPTIONS"]["location"] = str(tmp_path_factory.mktemp("documents"))
    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)  # storages made anew


@pytest.fixture(scope="session", autouse=True)
def business_day_calendar(request: pytest.FixtureRequest, django_db_blocker):
    """Load the business-day calendar once for the run, so no test's query count depends on being first."""
    from datetime import date, timedelta

    from cases.standards import calendar

    if not any(uses_database(item) for item in request.session.items):
        return  # no test database is set up for a run that needs none (the embedded smoke test alone)
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        calendar.add_business_days(date.today() + timedelta(days=800), 1)
        return calendar._calendar(date.today())


@pytest.fixture(autouse=True)
def calendar_without_database(request: pytest.FixtureRequest, business_day_calendar) -> None:
    """A test without the database does its business-day arithmetic on the calendar the run loaded: whatever
    ran before it in its worker (a request asks for the copy in memory to be checked against the table at its
    next use, a query such a test may not make)."""
    from cases.standards import calendar

    if business_day_calendar is not None and not uses_database(request.node):
        calendar._cache, calendar._check = business_day_calendar, False


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """After every test that used the database, the obligations the services kept for each sentence are exactly
    what `standards_rebuild --check` derives from its facts. Sentences set up only by factories, which have no
    obligations at all, are not checked; nor are tests that failed already."""
    result = yield
    if uses_database(item):
        from django.db import DatabaseError

        from cases.models import Obligation
        from cases.standards import ledger

        try:
            touched = sorted(set(Obligation.objects.values_list("event_id", flat=True)))
        except DatabaseError:  # the test deliberately broke its transaction (a constraint test): nothing to check
            return result
        differences = ledger.rebuild(check=True, event_ids=touched) if touched else []
        assert [str(d) for d in differences] == [], "the ledger differs from what the facts derive"
    return result


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with nothing cached (probation/reference.py): a list cached in an earlier test, whose
    rows its rollback removed without a signal, is not offered in the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Every test user's password is hashed cheaply: production uses Argon2id (probation/passwords.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(
        code="NE-TYN-T1",
        name="Tyneside Team 1",
        pdu__code="NE-TYN",
        pdu__name="Tyneside",
        pdu__region__code="NE",
        pdu__region__name="North East",
    )


@pytest.fixture
def officer(team: Team) -> StaffMember:
    return StaffMemberFactory.create(
        team=team, user__username="officer", user__roles=[Role.OFFICER], name="Olivia Officer"
    )


@pytest.fixture
def spo(team: Team) -> StaffMember:
    return StaffMemberFactory.create(
        team=team, grade=StaffMember.Grade.SPO, user__username="spo", user__roles=[Role.SPO]
    )


@pytest.fixture
def pdu_head(team: Team) -> StaffMember:
    return StaffMemberFactory.create(
        team=None,
        pdu=team.pdu,
        grade=StaffMember.Grade.HEAD_OF_PDU,
        user__username="pdu_head",
        user__roles=[Role.PDU_HEAD],
    )


@pytest.fixture
def director(team: Team) -> StaffMember:
    return StaffMemberFactory.create(
        team=None,
        region=team.pdu.region,
        grade=StaffMember.Grade.REGIONAL_DIRECTOR,
        user__username="director",
        user__roles=[Role.REGIONAL_DIRECTOR],
    )


@pytest.fixture
def national(db: None) -> StaffMember:
    return StaffMemberFactory.create(
        team=None, grade=StaffMember.Grade.NATIONAL, user__username="national", user__roles=[Role.NATIONAL]
    )


@pytest.fixture
def administrator(db: None) -> StaffMember:
    return StaffMemberFactory.create(
        team=None, grade=StaffMember.Grade.ADMIN, user__username="admin", user__roles=[Role.ADMIN], user__is_staff=True
    )


@pytest.fixture
def everyone(officer, spo, pdu_head, director, national, administrator) -> dict[Role, StaffMember]:
    return {
        Role.OFFICER: officer,
        Role.SPO: spo,
        Role.PDU_HEAD: pdu_head,
        Role.REGIONAL_DIRECTOR: director,
        Role.NATIONAL: national,
        Role.ADMIN: administrator,
    }


@pytest.fixture
def user_without_role(db: None):
    return UserFactory.create(username="nobody")


@pytest.fixture
def colleague(team: Team) -> StaffMember:
    """Another officer in the same team."""
    return StaffMemberFactory.create(
        team=team, user__username="colleague", user__roles=[Role.OFFICER], name="Colin Colleague"
    )


@pytest.fixture
def community_order(officer: StaffMember) -> Event:
    """Sam Example's community order, sentenced Friday 19 December 2025, with the officer as RO."""
    event = case_for(officer, crn="X123456", first_name="Sam", last_name="Example")
    RequirementFactory.create(event=event, type=Requirement.Type.UNPAID_WORK, hours=120)
    RequirementFactory.create(event=event, type=Requirement.Type.RAR, hours=None, days=20)
    RegistrationFactory.create(person=event.person, type=Registration.Type.DOMESTIC_ABUSE)
    return event


@pytest.fixture
def excluded_case(colleague: StaffMember, officer: StaffMember) -> Person:
    """The colleague's case, from which the officer is excluded."""
    person = case_for(colleague, crn="E000001", first_name="Erin", last_name="Excluded").person
    person.access_contact = "the SPO of Tyneside Team 1"
    person.save()
    AccessRule.objects.create(person=person, staff=officer, kind=AccessRule.Kind.EXCLUSION)
    return person


@pytest.fixture
def restricted_case(colleague: StaffMember) -> Person:
    """The colleague's case, restricted to the colleague alone."""
    person = case_for(colleague, crn="R000001", first_name="Rhys", last_name="Restricted").person
    AccessRule.objects.create(person=person, staff=colleague, kind=AccessRule.Kind.RESTRICTION)
    return person


@pytest.fixture
def contact_types(db: None) -> dict[str, ContactType]:
    ensure_contact_types(ContactType)  # transactional tests flush the migration's rows
    return {t.code: t for t in ContactType.objects.all()}

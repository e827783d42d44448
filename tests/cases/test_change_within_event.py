"""A change that writes the facts of one event (a contact, its outcome) derives that event's obligations alone:
derivation is per event, so a case's earlier sentences are not read again for each contact on its current one.
The suite checks every such change (settings.CASE_CHANGE_CHECK_SCOPE, tests/conftest.py)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import Contact, Event, Obligation, PerformanceStale, Requirement
from cases.standards import ledger
from cases.unit_of_work import case_change
from interventions.upw import services as upw
from tests.factories import AllocationFactory, EventFactory, TeamFactory, case_for

pytestmark = pytest.mark.today("2026-11-25")  # the facts below are dated from a Wednesday in November 2026


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def earlier_order(officer, community_order, contact_types) -> Event:
    """Sam's earlier community order, 10 January 2024 to 30 June 2025, seen in March 2024 (ledger derived)."""
    earlier = EventFactory.create(
        person=community_order.person,
        ref="0",
        sentence_date=date(2024, 1, 10),
        terminated_on=date(2025, 6, 30),
        termination_reason="completed",
    )
    AllocationFactory.create(event=earlier, staff=officer, from_date=date(2024, 1, 10), to_date=date(2025, 6, 30))
    Contact.objects.create(
        event=earlier, type=contact_types["office_visit"], starts_at=at(date(2024, 3, 5)), staff=officer,
        outcome="attended", recorded_at=at(date(2024, 3, 5), 11),
    )  # fmt: skip
    ledger.refresh_person(community_order.person_id)
    return earlier


def log(officer, event: Event, contact_types, day: date) -> Contact:
    return contacts.log_contact(
        event=event, user=officer.user, type=contact_types["office_visit"], starts_at=at(day), staff=officer,
        outcome="attended",
    )  # fmt: skip


def test_logging_a_contact_derives_its_event_and_leaves_the_earlier_sentence_unread(
    officer, community_order, earlier_order, contact_types
) -> None:
    march = Obligation.objects.get(event=earlier_order, rule="monthly_contact", starts_on=date(2024, 3, 1))
    assert march.met_on == date(2024, 3, 5)
    # The earlier sentence's stored row is made wrong: a refresh of the whole case would put it right.
    Obligation.objects.filter(pk=march.pk).update(met_on=None, state="missed")

    log(officer, community_order, contact_types, date(2026, 11, 24))

    march.refresh_from_db()
    assert (march.met_on, march.state) == (None, "missed")  # not read, not written
    seen = Obligation.objects.get(event=community_order, rule="monthly_contact", starts_on=date(2026, 11, 1))
    assert seen.met_on == date(2026, 11, 24)
    assert ledger.rebuild(check=True, event_ids=[community_order.pk]) == []  # the event's rows: as derived in full

    ledger.refresh_person(community_order.person_id)  # the whole case (as a rebuild would) puts it right
    march.refresh_from_db()
    assert (march.met_on, march.state) == (date(2024, 3, 5), "met")


def test_a_back_dated_outcome_amended_and_entered_in_error_keeps_the_event_as_derived_in_full(
    officer, community_order, earlier_order, contact_types
) -> None:
    contact = log(officer, community_order, contact_types, date(2026, 1, 30))  # back-dated, a month end
    contacts.amend(contact=contact, user=officer.user, reason="Wrong day", starts_at=at(date(2026, 2, 2)))
    contact.refresh_from_db()
    contacts.mark_entered_in_error(contact=contact, user=officer.user, reason="Not this person")

    assert ledger.rebuild(check=True, event_ids=[community_order.pk, earlier_order.pk]) == []
    january = Obligation.objects.get(event=community_order, rule="monthly_contact", starts_on=date(2026, 1, 1))
    assert (january.met_on, january.state) == (None, "missed")


def test_the_suite_fails_a_change_that_said_one_event_and_moved_another(
    officer, community_order, earlier_order, contact_types
) -> None:
    def said_one_wrote_another() -> None:
        with case_change(community_order, officer.user, "test") as change:
            change.within(community_order)
            Contact.objects.create(
                event=earlier_order, type=contact_types["office_visit"], starts_at=at(date(2024, 4, 8)),
                staff=officer, outcome="attended", recorded_at=at(date(2024, 4, 8)),
            )  # fmt: skip
            change.touches(community_order)

    said = rf"said it changed event {community_order.pk} only, but moved \[{earlier_order.pk}\]"
    with pytest.raises(AssertionError, match=said):
        said_one_wrote_another()


def test_a_change_cannot_say_it_is_within_another_case(officer, community_order) -> None:
    other = case_for(officer, crn="X999999")
    with (
        pytest.raises(ValueError, match="is not of the case changed"),
        case_change(community_order, officer.user, "test") as change,
    ):
        change.within(other)


# An officer who moves team takes their obligations with them -----------------------------------------------------


@pytest.fixture
def admin_client(client, administrator):
    administrator.user.is_superuser = True  # as the demo's administrator is
    administrator.user.save()
    client.force_login(administrator.user)
    return client


def test_an_officer_moved_to_another_team_in_admin_takes_every_sentence_s_obligations(
    admin_client, officer, community_order, earlier_order, contact_types
) -> None:
    log(officer, community_order, contact_types, date(2026, 11, 24))
    old_team, new_team = officer.team, TeamFactory.create(pdu=officer.pdu, code="T999", name="North Shields 2")
    assert Obligation.objects.filter(officer=officer, team=old_team).count() > 0
    PerformanceStale.objects.all().delete()

    response = admin_client.post(
        f"/admin/regions/staffmember/{officer.pk}/change/",
        {
            "code": officer.code, "name": officer.name, "user": officer.user_id, "grade": officer.grade,
            "contracted_hours": str(officer.contracted_hours), "team": new_team.pk, "pdu": officer.pdu_id,
            "region": officer.region_id or "", "active": "on",
        },
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Obligation.objects.filter(officer=officer, team=old_team).exists()
    on_earlier = Obligation.objects.filter(event=earlier_order, officer=officer)
    assert set(on_earlier.values_list("team_id", flat=True)) == {new_team.pk}
    # the rows moved are counted in these months of the recount window, now stale (no earlier: March 2024 is out)
    assert set(PerformanceStale.objects.values_list("month", flat=True)) == {
        date(2025, m, 1) for m in range(11, 13)
    } | {date(2026, m, 1) for m in range(1, 12)}
    assert ledger.rebuild(check=True) == []  # as a rebuild would have it


# Every change that says it is within one sentence, on a person with an earlier one ------------------------------


def _book(officer, event, contact_types, day: date) -> Contact:
    return contacts.book(
        event=event, user=officer.user, type=contact_types["office_visit"], starts_at=at(day), staff=officer
    )[0]


def _absent(officer, event, contact_types) -> Contact:
    booked = _book(officer, event, contact_types, date(2026, 11, 23))
    return contacts.record_outcome(contact=booked, user=officer.user, outcome="unacceptable_absence")


def _each_change(name: str, officer, event: Event, contact_types) -> None:
    if name == "book":
        _book(officer, event, contact_types, date(2026, 12, 2))
    elif name == "outcome":
        _absent(officer, event, contact_types)
    elif name == "amend":
        seen = log(officer, event, contact_types, date(2026, 11, 20))
        contacts.amend(contact=seen, user=officer.user, reason="Earlier", starts_at=at(date(2026, 10, 30)))
    elif name == "cancel":
        contacts.cancel_appointment(
            contact=_book(officer, event, contact_types, date(2026, 12, 2)), user=officer.user, reason="Moved"
        )
    elif name == "decide":
        failure = _absent(officer, event, contact_types)
        enforcement.decide(event=event, user=officer.user, kind="warning", failure=failure, on=date(2026, 11, 24))
    elif name == "upw":
        requirement = event.requirements.get(type=Requirement.Type.UNPAID_WORK)
        upw.log_session(
            requirement=requirement, user=officer.user, day=date(2026, 11, 21), status="attended",
            work_hours=Decimal("6"),
        )  # fmt: skip


@pytest.mark.parametrize("name", ["book", "outcome", "amend", "cancel", "decide", "upw"])
def test_each_change_within_one_sentence_leaves_the_earlier_one_and_derives_its_own(
    name, officer, community_order, earlier_order, contact_types
) -> None:
    earlier = set(Obligation.objects.filter(event=earlier_order).values_list("pk", "updated_at"))
    before = Obligation.objects.filter(event=community_order).count()

    _each_change(name, officer, community_order, contact_types)  # the scope check (conftest) runs on each

    assert set(Obligation.objects.filter(event=earlier_order).values_list("pk", "updated_at")) == earlier
    assert Obligation.objects.filter(event=community_order).count() >= before > 0
    assert ledger.rebuild(check=True, event_ids=[community_order.pk, earlier_order.pk]) == []


def test_a_contact_cannot_be_moved_to_another_sentence(officer, community_order, earlier_order, contact_types) -> None:
    seen = log(officer, community_order, contact_types, date(2026, 11, 20))
    with pytest.raises(ValueError, match="stays on its sentence"):
        contacts.amend(contact=seen, user=officer.user, reason="Other order", event=earlier_order)

from datetime import date, datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Contact, Requirement
from cases.standards import ledger
from interventions.rar import selectors as rar
from tests.factories import book


@pytest.fixture
def rar_days(community_order, contact_types) -> Requirement:
    """Sam Example's 20 RAR days (order sentenced 19 December 2025)."""
    return Requirement.objects.get(event=community_order, type="rar")


def activity(officer, event, day: date, outcome: str = "attended", hour: int = 10, mark: bool = True) -> Contact:
    starts = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    contact = contacts.book(
        event=event,
        user=officer.user,
        type=contacts.ContactType.objects.get(code="office_visit"),
        starts_at=starts,
        staff=officer,
        rar=mark,
    )[0]
    if outcome:
        contacts.record_outcome(contact=contact, user=officer.user, outcome=outcome)
    return contact


def test_a_day_counts_once_and_only_for_an_attended_rar_activity(officer, community_order, rar_days) -> None:
    activity(officer, community_order, date(2026, 1, 5), hour=10)
    activity(officer, community_order, date(2026, 1, 5), hour=14)  # the same day again
    activity(officer, community_order, date(2026, 1, 6), outcome="failed_to_comply")
    activity(officer, community_order, date(2026, 1, 7), mark=False)  # not a RAR activity
    activity(officer, community_order, date(2026, 1, 8), outcome="")  # booked, not yet happened
    wrong = activity(officer, community_order, date(2026, 1, 9))
    contacts.mark_entered_in_error(contact=wrong, user=officer.user, reason="Wrong person")
    activity(officer, community_order, date(2026, 1, 12))
    assert rar.days_used(community_order) == [date(2026, 1, 5), date(2026, 1, 12)]
    summary = rar.summary(rar_days, rar.days_used(community_order), today=date(2026, 1, 13))
    assert (summary.used, summary.remaining) == (2, 18)


@pytest.mark.parametrize(
    ("today", "used_today", "days_left"),
    [
        # Order ends Thursday 31 December 2026. Christmas Day is a Friday and Boxing Day a Saturday, so the
        # bank holidays are Friday 25 and Monday 28 (substitute): Mon 21 to Thu 31 has 7 working days.
        (date(2026, 12, 21), False, 7),
        (date(2026, 12, 21), True, 6),  # today already used
        (date(2026, 12, 25), False, 3),  # a bank holiday today
        (date(2026, 12, 31), False, 1),  # the last day
        (date(2026, 12, 31), True, 0),
    ],
)
def test_working_days_left_skip_weekends_and_bank_holidays(today, used_today, days_left) -> None:
    assert rar.working_days_left(today, date(2026, 12, 31), used_today) == days_left


def test_the_warning_shows_only_when_the_remaining_days_cannot_fit(community_order, rar_days) -> None:
    community_order.expected_end_date = date(2026, 12, 31)
    community_order.save()
    rar_days.refresh_from_db()
    used = [date(2026, 1, 5) + timedelta(days=i) for i in range(13)]  # 13 used: 7 remain
    assert not rar.summary(rar_days, used, today=date(2026, 12, 21)).cannot_fit  # 7 days, 7 left: exactly fits
    late = rar.summary(rar_days, used, today=date(2026, 12, 22))  # 6 left
    assert (late.remaining, late.days_left, late.cannot_fit) == (7, 6, True)
    done = rar.summary(rar_days, [*used, *(date(2026, 2, 2) + timedelta(days=i) for i in range(7))], date(2026, 12, 30))
    assert (done.remaining, done.cannot_fit) == (0, False)


def test_no_warning_once_the_order_is_terminated(community_order, rar_days) -> None:
    community_order.expected_end_date = date(2026, 12, 31)
    community_order.terminated_on, community_order.termination_reason = date(2026, 12, 1), "revoked"
    community_order.save()
    rar_days.refresh_from_db()
    summary = rar.summary(rar_days, [], today=date(2026, 12, 22))
    assert (summary.ends_on, summary.days_left, summary.cannot_fit) == (date(2026, 12, 1), None, False)


@pytest.mark.parametrize("size", [1, 40])
def test_the_rar_page_counts_days_in_a_bounded_number_of_queries(
    client: Client, officer, community_order, rar_days, contact_types, size: int, django_assert_max_num_queries
) -> None:
    for i in range(size):  # one activity a day for the first days, then several on the same days
        day = datetime(2026, 1, 5 + min(i, 9), 10 + i % 3)
        book(officer, community_order, contact_types["office_visit"], timezone.make_aware(day))
    Contact.objects.filter(event=community_order).update(rar=True, outcome="attended")
    ledger.refresh_events([community_order.pk])  # written behind the services' back: bring the ledger along
    client.force_login(officer.user)
    with django_assert_max_num_queries(14):
        page = client.get(f"/interventions/X123456/rar/{rar_days.pk}/").content.decode()
    used = min(size, 10)
    assert f'id="rar-used">{used}</dd>' in page
    assert f'id="rar-remaining">{20 - used}</dd>' in page


@pytest.mark.today("2026-11-25")
def test_booking_can_mark_a_rar_activity(client: Client, officer, community_order, rar_days, contact_types) -> None:
    client.force_login(officer.user)
    form = client.get("/cases/X123456/events/1/appointments/new/?rar=1").content.decode()
    assert 'name="rar"' in form
    assert "checked" in form.split('name="rar"')[1].split(">")[0]
    day = date(2026, 11, 30)  # the Monday after: a weekend booking would ask to be confirmed first
    response = client.post(
        "/cases/X123456/events/1/appointments/new/",
        {
            "type": contact_types["office_visit"].pk,
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "at": "10:00",
            "staff": officer.pk,
            "rar": "on",
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get(event=community_order).rar is True

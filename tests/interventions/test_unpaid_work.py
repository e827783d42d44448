from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases.models import Contact, Requirement
from interventions.models import UpwSession
from interventions.upw import services as upw


@pytest.fixture
def order(community_order, contact_types) -> Requirement:
    """Sam Example's 120 hours of unpaid work (sentenced 19 December 2025)."""
    return Requirement.objects.get(event=community_order, type="unpaid_work")


def session(
    order, officer, day: date, work_hours: str = "0", ete_hours: str = "0", travel_hours: str = "0"
) -> UpwSession:
    return upw.log_session(
        requirement=order,
        user=officer.user,
        day=day,
        status="attended",
        project="Allotments",
        work_hours=Decimal(work_hours),
        ete_hours=Decimal(ete_hours),
        travel_hours=Decimal(travel_hours),
    )


def test_ete_can_be_exactly_20_percent_and_no_more(order, officer) -> None:
    session(order, officer, date(2026, 1, 5), ete_hours="7")
    session(order, officer, date(2026, 1, 12), ete_hours="7")
    session(order, officer, date(2026, 1, 19), ete_hours="7")
    session(order, officer, date(2026, 1, 26), ete_hours="3")  # 24 of 120: exactly 20%
    with pytest.raises(
        ValidationError, match=r"ETE can be at most 20% of the 120 hours ordered \(24 hours\): 0 hours are left"
    ):
        session(order, officer, date(2026, 2, 2), ete_hours="0.25")
    assert UpwSession.objects.count() == 4


def test_hours_beyond_the_order_and_beyond_28_a_week_are_refused(order, officer) -> None:
    session(order, officer, date(2026, 1, 5), work_hours="12")
    session(order, officer, date(2026, 1, 6), work_hours="12")
    with pytest.raises(ValidationError, match="at most 28"):
        session(order, officer, date(2026, 1, 7), work_hours="4.5")
    for week in range(1, 5):
        session(order, officer, date(2026, 1, 5) + timedelta(weeks=week), work_hours="12")
        session(order, officer, date(2026, 1, 6) + timedelta(weeks=week), work_hours="12")
    with pytest.raises(ValidationError, match="The 120 hours were completed"):
        session(order, officer, date(2026, 2, 17), work_hours="1")


def test_the_order_completes_on_the_session_that_reaches_the_hours(order, officer) -> None:
    for week in range(5):
        session(order, officer, date(2026, 1, 5) + timedelta(weeks=week), work_hours="12", travel_hours="1")
        session(order, officer, date(2026, 1, 6) + timedelta(weeks=week), work_hours="11")
    sessions = list(UpwSession.objects.filter(requirement=order))
    result = upw.summary(order, sessions, today=date(2026, 3, 1))
    assert (result.credited, result.remaining, result.completed_on) == (Decimal("120"), Decimal("0"), date(2026, 2, 3))
    assert not result.at_risk


def test_the_projection_warns_when_the_recent_rate_misses_the_12_month_limit(order, officer) -> None:
    sessions = [UpwSession(requirement=order, date=date(2026, 11, 2), status="attended", work_hours=Decimal("7"))]
    # 7 hours in 4 weeks is 1.75 a week: 113 hours remain, about 452 days from 25 November 2026
    late = upw.summary(order, sessions, today=date(2026, 11, 25))
    assert late.deadline == date(2026, 12, 19)
    assert late.at_risk
    sessions = [
        UpwSession(
            requirement=order, date=date(2025, 12, 29) + timedelta(days=d), status="attended", work_hours=Decimal("7")
        )
        for d in range(0, 28, 2)
    ]
    on_time = upw.summary(order, sessions, today=date(2026, 1, 25))
    assert on_time.projected_completion is not None
    assert on_time.projected_completion <= on_time.deadline
    assert not on_time.at_risk


def test_a_session_goes_on_the_contact_record_and_a_stand_down_needs_a_reason(order, officer) -> None:
    session(order, officer, date(2026, 1, 5), work_hours="6")
    contact = Contact.objects.get(type__code="upw_session")
    assert (contact.outcome, contact.enforceable) == ("attended", True)
    with pytest.raises(ValidationError, match="stood down"):
        upw.log_session(requirement=order, user=officer.user, day=date(2026, 1, 12), status="stood_down")
    upw.log_session(
        requirement=order, user=officer.user, day=date(2026, 1, 12), status="stood_down", stand_down_reason="Snow"
    )
    assert upw.summary(order, list(UpwSession.objects.all())).stand_downs == 1
    assert Contact.objects.count() == 1  # a stand-down is not the person's absence


@pytest.mark.parametrize("size", [2, 60])
def test_the_unpaid_work_page_runs_a_bounded_number_of_queries(
    client: Client, officer, order, size: int, django_assert_max_num_queries
) -> None:
    UpwSession.objects.bulk_create(
        UpwSession(
            requirement=order, date=date(2026, 1, 1) + timedelta(days=i), status="attended", work_hours=Decimal("1")
        )
        for i in range(size)
    )
    client.force_login(officer.user)
    with django_assert_max_num_queries(14):
        response = client.get(f"/interventions/X123456/unpaid-work/{order.pk}/")
    assert response.status_code == 200
    assert f"{120 - size}" in response.content.decode()


def test_logging_a_session_through_the_page_updates_hours_remaining(client: Client, officer, order) -> None:
    client.force_login(officer.user)
    day = timezone.localdate() - timedelta(days=1)
    data = {
        "day_0": str(day.day),
        "day_1": str(day.month),
        "day_2": str(day.year),
        "status": "attended",
        "placement": "group",
        "work_hours": "5",
        "ete_hours": "2",
    }
    assert client.post(f"/interventions/X123456/unpaid-work/{order.pk}/", data).status_code == 302
    page = client.get(f"/interventions/X123456/unpaid-work/{order.pk}/").content.decode()
    assert '<dd class="govuk-summary-list__value" id="hours-remaining">113</dd>' in page
    bad = client.post(f"/interventions/X123456/unpaid-work/{order.pk}/", data | {"work_hours": "lots"}).content.decode()
    assert "Hours worked must be a number" in bad


def test_the_six_month_review_is_recorded_and_shown(client: Client, officer, order) -> None:
    client.force_login(officer.user)
    url = f"/interventions/X123456/unpaid-work/{order.pk}/"
    page = client.get(url).content.decode()
    assert "Due by 19 June 2026 if the hours are not done" in page
    day = timezone.localdate()
    empty = client.post(
        url, {"form": "review", "review-on_0": day.day, "review-on_1": day.month, "review-on_2": day.year}
    )
    assert "Enter what the review found" in empty.content.decode()
    data = {
        "form": "review",
        "review-on_0": "22",
        "review-on_1": "6",
        "review-on_2": "2026",
        "review-notes": "Childcare",
    }
    assert client.post(url, data).status_code == 302
    assert "Reviewed 22 June 2026" in client.get(url).content.decode()
    with pytest.raises(ValidationError):
        upw.record_review(requirement=order, user=officer.user, on=date(2025, 12, 18), notes="Before the sentence")


def test_a_completed_order_takes_no_more_sessions_and_a_new_one_is_not_at_risk(order, officer) -> None:
    fresh = upw.summary(order, [], today=date(2026, 1, 10))
    assert fresh.at_risk is False  # the first session is not due until 19 January
    assert upw.summary(order, [], today=date(2026, 1, 20)).at_risk is True
    for week in range(5):
        session(order, officer, date(2026, 1, 5) + timedelta(weeks=week), work_hours="12")
        session(order, officer, date(2026, 1, 6) + timedelta(weeks=week), work_hours="12")
    with pytest.raises(ValidationError, match="The 120 hours were completed on 3 February 2026"):
        upw.log_session(requirement=order, user=officer.user, day=date(2026, 2, 9), status="absent")

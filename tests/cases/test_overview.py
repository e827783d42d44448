from datetime import date

import pytest
from django.test import Client

from cases.models import Registration, Requirement
from tests.factories import AllocationFactory, EventFactory, RegistrationFactory, RequirementFactory, book, case_for


def test_the_overview_shows_ro_requirements_flags_and_dates(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/X123456/").content.decode()
    for text in [
        "Sam Example",
        officer.name,
        "Unpaid work: 120 hours",
        "RAR: 20 days",
        "Domestic abuse perpetrator",
        "19 December 2025",
    ]:
        assert text in page, text


@pytest.mark.today("2026-11-25")
def test_an_overdue_registration_review_is_highlighted(client: Client, officer, community_order) -> None:
    RegistrationFactory.create(
        person=community_order.person,
        type=Registration.Type.SELF_HARM,
        from_date=date(2019, 1, 1),
        review_due=date(2020, 1, 1),
    )
    client.force_login(officer.user)
    page = client.get("/cases/X123456/").content.decode()
    assert page.count("Review overdue") == 2  # this one (1 January 2020) and the domestic abuse flag's (1 May 2026)


@pytest.mark.parametrize("size", [5, 200])
def test_the_overview_runs_a_bounded_number_of_queries(
    client: Client, officer, size: int, django_assert_max_num_queries
) -> None:
    for n in range(size):
        case_for(officer, last_name=f"Other{n}")
    person = case_for(officer, crn="X999999").person
    for ref in range(2, 2 + size // 5):
        event = EventFactory.create(person=person, ref=str(ref))
        AllocationFactory.create(event=event, staff=officer)
        RequirementFactory.create(event=event, type=Requirement.Type.UNPAID_WORK, hours=60)
        RegistrationFactory.create(person=person)
    client.force_login(officer.user)
    # constant: the same at 5 and 200 cases (2: pending transfer, recall; 4: phones, the latest RoSH assessment,
    # the predictor scores and the adjustments agreed; 4: the facts recorded late, and the working calendar once a
    # process)
    with django_assert_max_num_queries(35):
        response = client.get("/cases/X999999/")
    assert response.status_code == 200


def test_an_unknown_crn_is_not_found(client: Client, officer) -> None:
    client.force_login(officer.user)
    assert client.get("/cases/Z999999/").status_code == 404


def test_any_staff_member_may_read_an_unrestricted_case_anywhere(client: Client, national, community_order) -> None:
    client.force_login(national.user)
    assert client.get("/cases/X123456/").status_code == 200


@pytest.mark.today("2026-11-25")
def test_the_overview_says_what_is_due_next(client: Client, officer, community_order, contact_types) -> None:
    from datetime import UTC, datetime

    from cases.contacts import services as contacts

    visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, 5, 10, tzinfo=UTC))
    contacts.record_outcome(contact=visit, user=officer.user, outcome="awaiting_evidence")
    book(officer, community_order, contact_types["home_visit"], datetime(2099, 3, 2, 14, tzinfo=UTC))
    client.force_login(officer.user)
    page = client.get("/cases/X123456/").content.decode()
    due = page[page.index('id="due-next"') :]
    assert "home visit, Monday 2 March 2099, 14:00" in due
    # recorded on Wednesday 25 November 2026, counted from the appointment: 6, 7, 8, 9, 12 January
    assert "Evidence for the absence on 5 January 2026 is due by 12 January 2026" in due
    assert "Overdue: decide now" in due  # its deadline, from the appointment, passed long ago

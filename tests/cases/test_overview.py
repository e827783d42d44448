from datetime import UTC, date, datetime

import pytest
from django.test import Client

from cases.models import (
    Address,
    Alias,
    AuditEvent,
    Contact,
    EnforcementAction,
    Person,
    Phone,
    PlanReview,
    Registration,
    Requirement,
    SentencePlan,
    Transfer,
)
from tests.factories import (
    AllocationFactory,
    EventFactory,
    PDUFactory,
    RegistrationFactory,
    RequirementFactory,
    book,
    case_for,
)


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


def give_a_rich_history(person: Person, officer, contact_types, events: int) -> None:
    """`events` more sentences for the person, each with its RO, requirements, a flag, a booked appointment, an
    absence awaiting evidence, a failure with its warning, a rejected and a pending transfer and a reviewed
    plan; and as many phones, addresses and aliases: a query per row of any of them would show."""
    other_pdu = PDUFactory.create(code="OTHER")
    moment = datetime(2026, 1, 5, 10, tzinfo=UTC)
    for n in range(events):
        event = EventFactory.create(person=person, ref=str(n + 2))
        AllocationFactory.create(event=event, staff=officer)
        RequirementFactory.create(event=event, type=Requirement.Type.UNPAID_WORK, hours=60)
        RegistrationFactory.create(person=person)
        Phone.objects.create(person=person, number=f"07700 900{n:03d}")
        Address.objects.create(
            person=person, lines=f"{n} Old Road", from_date=date(2020, 1, 1), to_date=date(2021, 1, 1)
        )
        Alias.objects.create(person=person, first_name="Al", last_name=f"Ias{n}")
        made = {"event": event, "staff": officer, "recorded_at": moment}
        Contact.objects.create(
            type=contact_types["office_visit"], starts_at=datetime(2099, 3, 2, 14, tzinfo=UTC), **made
        )
        Contact.objects.create(
            type=contact_types["office_visit"],
            starts_at=moment,
            outcome="awaiting_evidence",
            evidence_due=date(2026, 1, 12),
            **made,
        )
        failure = Contact.objects.create(type=contact_types["office_visit"], starts_at=moment, outcome="failed", **made)
        EnforcementAction.objects.create(event=event, kind="warning", failure=failure, on=date(2026, 1, 6))
        common = {
            "event": event,
            "from_pdu": event.pdu,
            "to_pdu": other_pdu,
            "reason": "Moved",
            "requested_on": date(2026, 2, 1),
        }
        Transfer.objects.create(status="rejected", decided_on=date(2026, 2, 2), rejection_reason="No", **common)
        Transfer.objects.create(**common)
        plan = SentencePlan.objects.create(event=event, status="completed", completed_on=date(2026, 1, 20))
        PlanReview.objects.create(plan=plan, reviewed_on=date(2026, 6, 1), summary="Going well")


@pytest.mark.today("2026-11-25")
@pytest.mark.parametrize("size", [5, 200])
def test_the_overview_runs_a_bounded_number_of_queries(
    client: Client, officer, contact_types, size: int, django_assert_max_num_queries
) -> None:
    for n in range(size):
        case_for(officer, last_name=f"Other{n}")
    person = case_for(officer, crn="X999999").person
    give_a_rich_history(person, officer, contact_types, events=size // 5)
    client.force_login(officer.user)
    # constant: the same at 1 and 40 sentences. 2 the session and user; 2 the person with the user's rights, and
    # the audit row; 1 everything else the page shows (cases.record.selectors.overview_of: the events with their
    # referrals, requirements, allocations, transfers, enforcement and plan reviews; the flags, aliases, addresses,
    # phones, RoSH history and predictors; the latest RoSH assessment and the adjustments; the failures to comply
    # and what is coming; the National Standards items open and missed, and the oversight closed); 1 the rules
    # (and the working calendar, once a process)
    with django_assert_max_num_queries(7):
        response = client.get("/cases/X999999/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-pending="transfer"') == size // 5
    assert page.count("Evidence for the absence on 5 January 2026") == size // 5
    assert f"Ias{size // 5 - 1}" in page
    assert AuditEvent.objects.filter(person=person, action="case.view").count() == 1


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

"""The rest of the National Standards rules at their edges, recorded through the services the pages use."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from cases.allocation import services as allocation
from cases.contacts import services as contacts
from cases.custody import services as custody
from cases.enforcement import services as enforcement
from cases.models import ContactType, Event, Obligation, OversightTask
from cases.record import services
from cases.standards import ledger
from tests.factories import PersonFactory


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def appointment(officer, event, day: date, code: str, outcome: str, **fields: Any):
    contact = contacts.book(
        event=event, user=officer.user, type=ContactType.objects.get(code=code), starts_at=at(day), staff=officer
    )[0]
    return contacts.record_outcome(contact=contact, user=officer.user, outcome=outcome, **fields)


def one(event: Event, rule: str) -> Obligation:
    return Obligation.objects.get(event=event, rule=rule)


def sentence(officer, day: date, **fields: Any) -> Event:
    person = PersonFactory.create(pdu=officer.pdu)
    fields.setdefault("requirements", [{"type": "curfew"}])  # an order has at least one requirement
    return services.event_record(person=person, user=officer.user, type="community_order", sentence_date=day, **fields)


def test_ro_allocation_within_five_business_days(officer, contact_types) -> None:
    event = sentence(officer, date(2026, 8, 25), length_months=12)  # over the late August bank holiday (31st)
    assert (one(event, "ro_allocation").due_on, one(event, "ro_allocation").state) == (date(2026, 9, 2), "overdue")
    allocation.allocate(event=event, staff=officer, user=officer.user, from_date=date(2026, 9, 2), reason="New")
    row = one(event, "ro_allocation")
    assert (row.met_on, row.state, row.officer) == (date(2026, 9, 2), "met", officer)  # on the last day


def test_home_visits_for_a_domestic_abuse_flag_then_every_three_months(officer, community_order, contact_types) -> None:
    appointment(officer, community_order, date(2026, 1, 5), "home_visit", "attended")  # flag from 1 Nov 2025
    visits = list(Obligation.objects.filter(event=community_order, rule="home_visit").order_by("starts_on"))
    assert [(v.starts_on, v.due_on, v.met_on, v.state) for v in visits] == [
        (date(2025, 12, 19), date(2026, 1, 7), date(2026, 1, 5), "met"),  # 10 business days over Christmas, New Year
        (date(2026, 1, 5), date(2026, 4, 5), None, "overdue"),
    ]


@pytest.mark.today("2026-11-25")
def test_evidence_for_an_absence_is_met_when_decided(officer, community_order, contact_types) -> None:
    absence = appointment(officer, community_order, date(2026, 11, 23), "office_visit", "awaiting_evidence")
    # recorded on Wednesday 25 November, two days after: the deadline still counts from the appointment (Monday 23
    # November), however late it is recorded: 24, 25, 26, 27, 30 November (DOMAIN.md, "Evidence for an absence")
    assert absence.evidence_due == date(2026, 11, 30)
    row = one(community_order, "absence_evidence")
    assert (row.starts_on, row.due_on, row.state) == (date(2026, 11, 23), date(2026, 11, 30), "pending")
    contacts.amend(
        contact=absence, user=officer.user, reason="Sick note", outcome="acceptable_absence", absence_reason="illness"
    )
    row = one(community_order, "absence_evidence")
    assert (row.met_on, row.state) == (date(2026, 11, 25), "met")


def test_the_third_acceptable_absence_needs_spo_oversight(officer, spo, community_order, contact_types) -> None:
    for day in (date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16)):
        appointment(officer, community_order, day, "office_visit", "acceptable_absence", absence_reason="illness")
    task = OversightTask.objects.get(event=community_order)
    row = one(community_order, "acceptable_absence_oversight")
    # the clock starts on the day of the third absence, however late it was recorded (here: months later)
    assert (row.starts_on, row.due_on, row.state) == (date(2026, 2, 16), date(2026, 2, 23), "overdue")
    assert task.opened_on == row.starts_on
    enforcement.oversight_record(task=task, user=spo.user, by=spo, note="Discussed; GP letter seen", outcome="agree")
    assert one(community_order, "acceptable_absence_oversight").state == "met_late"


def test_a_breach_initiated_on_the_eleventh_business_day_is_late(officer, community_order, contact_types) -> None:
    first = appointment(officer, community_order, date(2026, 3, 2), "office_visit", "unacceptable_absence")
    enforcement.decide(event=community_order, user=officer.user, kind="warning", failure=first, on=date(2026, 3, 3))
    second = appointment(officer, community_order, date(2026, 3, 9), "office_visit", "unacceptable_absence")
    enforcement.decide(
        event=community_order,
        user=officer.user,
        kind="breach",
        failure=second,
        on=date(2026, 3, 24),
        aware_on=date(2026, 3, 9),
    )
    row = one(community_order, "breach")
    assert (row.starts_on, row.due_on, row.met_on, row.state) == (
        date(2026, 3, 9), date(2026, 3, 23), date(2026, 3, 24), "met_late",
    )  # fmt: skip
    decisions = Obligation.objects.filter(event=community_order, rule="enforcement_decision").order_by("starts_on")
    assert [(d.due_on, d.state) for d in decisions] == [(date(2026, 3, 4), "met"), (date(2026, 3, 11), "met_late")]


def test_pre_release_handover_for_standard_and_parole_cases(officer, contact_types) -> None:
    person = PersonFactory.create(pdu=officer.pdu)
    standard = services.event_record(
        person=person,
        user=officer.user,
        type="custody",
        sentence_date=date(2025, 6, 1),
        custody={"expected_release_date": date(2027, 3, 31), "parole": False},
    )
    row = one(standard, "pre_release_handover")
    assert (row.starts_on, row.due_on) == (date(2026, 7, 16), date(2026, 8, 13))  # 8.5 months before release
    allocation.allocate(event=standard, staff=officer, user=officer.user, from_date=date(2026, 7, 1), reason="COM")
    custody.record_meeting(event=standard, user=officer.user, on=date(2026, 8, 13))
    assert one(standard, "pre_release_handover").state == "met"
    parole = services.event_record(
        person=person,
        user=officer.user,
        type="custody",
        sentence_date=date(2025, 6, 1),
        custody={
            "expected_release_date": date(2028, 6, 1),
            "parole": True,
            "parole_eligibility_date": date(2027, 2, 28),
        },
    )
    assert one(parole, "pre_release_handover").starts_on == date(2026, 2, 28)  # 12 months before eligibility
    assert not Obligation.objects.filter(event=parole, rule="initial_appointment").exists()  # in custody


def test_no_upw_review_once_the_hours_are_done_first(officer, community_order, contact_types) -> None:
    from decimal import Decimal

    from cases.models import Requirement
    from interventions.upw import services as upw

    work = Requirement.objects.get(event=community_order, type="unpaid_work")
    for week in range(5):
        for day in (5, 6):
            upw.log_session(
                requirement=work,
                user=officer.user,
                day=date(2026, 1, day) + timedelta(weeks=week),
                status="attended",
                work_hours=Decimal("12"),
            )
    review = Obligation.objects.get(event=community_order, rule="upw_review")
    completion = Obligation.objects.get(event=community_order, rule="upw_completion")
    assert (review.void_on, review.state) == (date(2026, 2, 3), "not_applicable")
    assert (completion.met_on, completion.state) == (date(2026, 2, 3), "met")
    ledger.sweep()
    assert Obligation.objects.get(event=community_order, rule="upw_review").state == "not_applicable"

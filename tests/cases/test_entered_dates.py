"""Dates people enter (DOMAIN.md): every entered date is refused in the future and before what it depends on,
at its edges (the day before refused, the day itself accepted, tomorrow refused, today accepted), by the
service whatever calls it; a fact recorded more than 2 business days after it happened is recorded late."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.utils import timezone

from cases import entered_dates
from cases.allocation import services as allocation
from cases.contacts import services as contacts
from cases.custody import services as custody
from cases.ending import services as ending
from cases.enforcement import services as enforcement
from cases.models import Contact, EnforcementAction, Event, Objective, Outcome, Registration, Requirement
from cases.plans import services as plans
from cases.record import services as record
from cases.standards import ledger
from cases.transfers import services as transfers
from interventions.models import Service
from interventions.programmes import services as programmes
from interventions.referrals import services as referrals
from interventions.upw import services as upw
from probation.roles import Role
from regions.performance import counting, rollups
from tests.factories import (
    EventFactory,
    PDUFactory,
    PersonFactory,
    RegistrationFactory,
    RequirementFactory,
    StaffMemberFactory,
    TeamFactory,
    book,
)

TODAY = date(2026, 11, 25)  # Wednesday, the pinned day
pytestmark = pytest.mark.today("2026-11-25")

Kind = EnforcementAction.Kind


class Rollback(Exception):
    pass


def accepted(call: Callable[[], Any]) -> None:
    """The call succeeds; what it wrote is rolled back, so the next edge starts from the same facts."""
    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        pass


def refused(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert message in " ".join(m for ms in error.value.message_dict.values() for m in ms)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def failure(officer, event: Event, contact_types, day: date) -> Contact:
    contact = book(officer, event, contact_types["office_visit"], at(day))
    return contacts.record_outcome(contact=contact, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)


def licence(event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(type=Event.Type.LICENCE, release_date=date(2026, 1, 5))
    event.refresh_from_db()
    return event


def recall(officer, spo, event: Event, recommended: date, decided: datetime | None = None) -> EnforcementAction:
    action = enforcement.recall_recommend(
        event=licence(event), user=officer.user, recall_type="standard", rationale="R"
    )
    EnforcementAction.objects.filter(pk=action.pk).update(on=recommended)
    action.refresh_from_db()
    if decided is not None:
        enforcement.recall_decide(
            action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=decided
        )
    return action


def durham(team) -> tuple[Any, Any]:
    other = TeamFactory.create(pdu=PDUFactory.create(region=team.pdu.region))
    spo = StaffMemberFactory.create(team=other, grade="SPO", user__roles=[Role.SPO])
    return other.pdu, spo


# Each case: what it is, and a setup giving (the call for an entered date, the date it depends on, the words).
Setup = Callable[..., tuple[Callable[[date], Any], date, str]]


def warning(officer, spo, team, event, contact_types):
    failed = failure(officer, event, contact_types, date(2026, 11, 2))

    def call(on: date) -> Any:
        return enforcement.decide(event=event, user=officer.user, kind=Kind.WARNING, failure=failed, on=on)

    return (
        call,
        date(2026, 11, 2),
        "The date of the warning must be on or after 2 November 2026, the date of the failure",
    )


def breach_aware(officer, spo, team, event, contact_types):
    failed = failure(officer, event, contact_types, date(2026, 11, 2))

    def call(on: date) -> Any:
        return enforcement.decide(
            event=event, user=officer.user, kind=Kind.BREACH, failure=failed, on=TODAY, aware_on=on
        )

    return call, date(2026, 11, 2), "The date you became aware of the failure must be on or after 2 November 2026"


def breach_initiated(officer, spo, team, event, contact_types):
    failed = failure(officer, event, contact_types, date(2026, 11, 2))

    def call(on: date) -> Any:
        aware = date(2026, 11, 10)
        return enforcement.decide(
            event=event, user=officer.user, kind=Kind.BREACH, failure=failed, on=on, aware_on=aware
        )

    return call, date(2026, 11, 10), "must be on or after 10 November 2026, when you became aware of the failure"


def breach_outcome(officer, spo, team, event, contact_types):
    breach = EnforcementAction.objects.create(
        event=event, kind=Kind.BREACH, on=date(2026, 11, 10), aware_on=date(2026, 11, 9)
    )

    def call(on: date) -> Any:
        return enforcement.breach_resolved(action=breach, user=officer.user, on=on, court_outcome="Fine")

    return call, date(2026, 11, 10), "The date of the court's decision must be on or after 10 November 2026"


def recall_decided(officer, spo, team, event, contact_types):
    action = recall(officer, spo, event, recommended=date(2026, 11, 20))

    def call(on: date) -> Any:
        return enforcement.recall_decide(
            action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=at(on)
        )

    return call, date(2026, 11, 20), "must be on or after 20 November 2026, when the recall was recommended"


def recall_returned(officer, spo, team, event, contact_types):
    action = recall(officer, spo, event, recommended=date(2026, 11, 18), decided=at(date(2026, 11, 19)))
    enforcement.recall_requested(action=action, user=spo.user, requested_at=at(date(2026, 11, 20)))

    def call(on: date) -> Any:
        return enforcement.recall_return(action=action, user=officer.user, returned_on=on)

    return call, date(2026, 11, 20), "must be on or after 20 November 2026, when the recall request was sent"


def recall_reviewed(officer, spo, team, event, contact_types):
    action = recall(officer, spo, event, recommended=date(2026, 11, 18), decided=at(date(2026, 11, 18)))
    enforcement.recall_requested(action=action, user=spo.user, requested_at=at(date(2026, 11, 19)))

    def call(on: date) -> Any:
        return enforcement.recall_return(
            action=action, user=officer.user, returned_on=date(2026, 11, 20), review_completed_on=on
        )

    return call, date(2026, 11, 20), "must be on or after 20 November 2026, when they were returned to custody"


def plan_completed(officer, spo, team, event, contact_types):
    plan = plans.plan_for(event, officer.user)
    fields = {"area": "ete", "description": "Work"}
    plans.objective_save(plan=plan, user=officer.user, expected_version=1, objective=None, fields=fields)
    Objective.objects.update(created_at=at(date(2026, 3, 3)))

    def call(on: date) -> Any:
        return plans.complete(plan=plan, user=officer.user, expected_version=2, on=on)

    return (
        call,
        date(2026, 3, 3),
        "The date the plan was completed must be on or after 3 March 2026, when its first objective was recorded",
    )


def plan_reviewed(officer, spo, team, event, contact_types):
    plan = plans.plan_for(event, officer.user)
    fields = {"area": "ete", "description": "Work"}
    plans.objective_save(plan=plan, user=officer.user, expected_version=1, objective=None, fields=fields)
    Objective.objects.update(created_at=at(date(2026, 6, 1)))
    plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 6, 1))

    def call(on: date) -> Any:
        return plans.review(
            plan=plan, user=officer.user, expected_version=3, reviewed_on=on, summary="On track", progress={}
        )

    return call, date(2026, 6, 1), "The date of the review must be on or after 1 June 2026, when the plan was completed"


def transfer_requested(officer, spo, team, event, contact_types):
    pdu, _ = durham(team)

    def call(on: date) -> Any:
        return transfers.request(event=event, user=officer.user, to_pdu=pdu, reason="Moved", on=on)

    return call, date(2025, 12, 19), "The date of the request must be on or after 19 December 2025, the sentence date"


def transfer_accepted(officer, spo, team, event, contact_types):
    pdu, receiving_spo = durham(team)
    receiving = StaffMemberFactory.create(team=receiving_spo.team)
    transfer = transfers.request(event=event, user=officer.user, to_pdu=pdu, reason="Moved", on=date(2026, 11, 2))

    def call(on: date) -> Any:
        return transfers.accept(transfer=transfer, user=receiving_spo.user, by=receiving_spo, officer=receiving, on=on)

    return call, date(2026, 11, 2), "must be on or after 2 November 2026, when the transfer was requested"


def transfer_rejected(officer, spo, team, event, contact_types):
    pdu, receiving_spo = durham(team)
    transfer = transfers.request(event=event, user=officer.user, to_pdu=pdu, reason="Moved", on=date(2026, 11, 2))

    def call(on: date) -> Any:
        return transfers.reject(transfer=transfer, user=receiving_spo.user, by=receiving_spo, reason="No", on=on)

    return call, date(2026, 11, 2), "must be on or after 2 November 2026, when the transfer was requested"


def _custody(officer) -> Event:
    person = PersonFactory.create(pdu=officer.pdu)
    return record.event_record(
        person=person,
        user=officer.user,
        type=Event.Type.CUSTODY,
        sentence_date=date(2026, 6, 1),
        length_months=24,
        custody={"expected_release_date": date(2027, 6, 1), "parole": False},
    )


def handover_meeting(officer, spo, team, event, contact_types):
    held = _custody(officer)

    def call(on: date) -> Any:
        return custody.record_meeting(event=held, user=officer.user, on=on)

    return call, date(2026, 6, 1), "The date of the meeting must be on or after 1 June 2026, the sentence date"


def released(officer, spo, team, event, contact_types):
    held = _custody(officer)

    def call(on: date) -> Any:
        return custody.release(event=held, user=officer.user, released_on=on, licence_type="licence", conditions=[])

    return call, date(2026, 6, 1), "The release date must be on or after 1 June 2026, the sentence date"


def release_recorded(officer, spo, team, event, contact_types):
    person = PersonFactory.create(pdu=officer.pdu)

    def call(on: date) -> Any:
        return record.event_record(
            person=person,
            user=officer.user,
            type=Event.Type.LICENCE,
            sentence_date=date(2026, 2, 2),
            release_date=on,
            length_months=12,
            requirements=[{"type": Requirement.Type.LICENCE_CONDITION, "description": "Reside at approved premises"}],
        )

    return call, date(2026, 2, 2), "The release date must be on or after 2 February 2026, the sentence date"


def ended_early(officer, spo, team, event, contact_types):
    def call(on: date) -> Any:
        return ending.event_end(event, officer.user, on, Event.TerminationReason.EARLY_REVOCATION)

    return (
        call,
        date(2025, 12, 19),
        "The date the sentence ended must be on or after 19 December 2025, the sentence date",
    )


def ended_licence(officer, spo, team, event, contact_types):
    licence(event)

    def call(on: date) -> Any:
        return ending.event_end(event, officer.user, on, Event.TerminationReason.RECALLED)

    return call, date(2026, 1, 5), "must be on or after 5 January 2026, when they were released"


def contact_logged(officer, spo, team, event, contact_types):
    def call(on: date) -> Any:
        return contacts.log_contact(
            event=event, user=officer.user, type=contact_types["telephone"], starts_at=at(on), staff=officer
        )

    return call, date(2025, 12, 19), "The date of the contact must be on or after 19 December 2025, the sentence date"


def allocated(officer, spo, team, event, contact_types):
    unallocated = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 10, 1))

    def call(on: date) -> Any:
        return allocation.allocate(event=unallocated, staff=officer, user=spo.user, from_date=on, reason="New case")

    return call, date(2026, 10, 1), "The date must be on or after 1 October 2026, the sentence date"


def flag_ended(officer, spo, team, event, contact_types):
    flag = RegistrationFactory.create(
        person=event.person, type=Registration.Type.CHILD_PROTECTION, from_date=date(2026, 4, 1)
    )

    def call(on: date) -> Any:
        return record.registration_review(registration=flag, user=officer.user, next_review=None, ended_on=on)

    return call, date(2026, 4, 1), "The end date must be on or after 1 April 2026, when the flag started"


def referred(officer, spo, team, event, contact_types):
    service = Service.objects.create(name="Housing advice", provider="Shelter", area="accommodation")

    def call(on: date) -> Any:
        return referrals.refer(event=event, user=officer.user, service=service, reason="Needs a home", on=on)

    return call, date(2025, 12, 19), "The date of referral must be on or after 19 December 2025, the sentence date"


def referral_updated(officer, spo, team, event, contact_types):
    service = Service.objects.create(name="Housing advice", provider="Shelter", area="accommodation")
    referral = referrals.refer(event=event, user=officer.user, service=service, reason="Home", on=date(2026, 11, 2))

    def call(on: date) -> Any:
        return referrals.update(referral=referral, user=officer.user, status="accepted", on=on)

    return call, date(2026, 11, 2), "must be on or after 2 November 2026, when the last change happened"


def upw_session(officer, spo, team, event, contact_types):
    unpaid_work = event.requirements.get(type=Requirement.Type.UNPAID_WORK)

    def call(on: date) -> Any:
        return upw.log_session(
            requirement=unpaid_work, user=officer.user, day=on, status="attended", work_hours=Decimal("6")
        )

    return call, date(2025, 12, 19), "The session date must be on or after 19 December 2025, the sentence date"


def _programme(event: Event) -> Requirement:
    return RequirementFactory.create(event=event, type="accredited_programme", hours=None, programme="TSP")


def programme_step(officer, spo, team, event, contact_types):
    tsp = _programme(event)
    programmes.advance(requirement=tsp, user=officer.user, step="referred", on=date(2026, 1, 6))

    def call(on: date) -> Any:
        return programmes.advance(requirement=tsp, user=officer.user, step="eligible", on=on)

    return call, date(2026, 1, 6), "The date must be on or after 6 January 2026, the date of its last step"


def programme_session(officer, spo, team, event, contact_types):
    tsp = _programme(event)
    programmes.advance(requirement=tsp, user=officer.user, step="referred", on=date(2026, 1, 6))
    programmes.advance(requirement=tsp, user=officer.user, step="eligible", on=date(2026, 1, 20))
    programmes.advance(requirement=tsp, user=officer.user, step="started", on=date(2026, 3, 2))

    def call(on: date) -> Any:
        return programmes.log_session(requirement=tsp, user=officer.user, day=on, attendance="attended")

    return (
        call,
        date(2026, 3, 2),
        "The date of the session must be on or after 2 March 2026, when the programme started",
    )


def upw_review(officer, spo, team, event, contact_types):
    unpaid_work = event.requirements.get(type=Requirement.Type.UNPAID_WORK)

    def call(on: date) -> Any:
        return upw.record_review(requirement=unpaid_work, user=officer.user, on=on, notes="Hours behind")

    return call, date(2025, 12, 19), "The date of the review must be on or after 19 December 2025, the sentence date"


def contact_moved(officer, spo, team, event, contact_types):
    logged = contacts.log_contact(
        event=event, user=officer.user, type=contact_types["telephone"], starts_at=at(TODAY), staff=officer
    )

    def call(on: date) -> Any:
        return contacts.amend(contact=logged, user=officer.user, reason="Wrong day", starts_at=at(on))

    return call, date(2025, 12, 19), "The date of the contact must be on or after 19 December 2025, the sentence date"


CASES: dict[str, Setup] = {
    "warning (not before the failure)": warning,
    "breach: aware (not before the failure)": breach_aware,
    "breach: initiated (not before aware)": breach_initiated,
    "breach outcome (not before the breach)": breach_outcome,
    "recall decided (not before recommended)": recall_decided,
    "return to custody (not before the request)": recall_returned,
    "recall review (not before the return)": recall_reviewed,
    "plan completed (not before its first objective)": plan_completed,
    "plan reviewed (not before completion)": plan_reviewed,
    "transfer requested (not before the sentence)": transfer_requested,
    "transfer accepted (not before requested)": transfer_accepted,
    "transfer rejected (not before requested)": transfer_rejected,
    "handover meeting (not before the sentence)": handover_meeting,
    "release from custody (not before the sentence)": released,
    "release on licence recorded (not before the sentence)": release_recorded,
    "early end of an order (not before the sentence)": ended_early,
    "early end of a licence (not before release)": ended_licence,
    "contact logged (not before the sentence)": contact_logged,
    "allocation (not before the sentence)": allocated,
    "flag ended (not before it started)": flag_ended,
    "referral (not before the sentence)": referred,
    "referral update (not before its last change)": referral_updated,
    "Unpaid Work session (not before the sentence)": upw_session,
    "Unpaid Work review (not before the sentence)": upw_review,
    "programme step (not before the last step)": programme_step,
    "programme session (not before the start)": programme_session,
    "contact changed to another day (not before the sentence)": contact_moved,
}


@pytest.mark.parametrize("setup", CASES.values(), ids=CASES.keys())
def test_each_entered_date_is_refused_before_its_dependency_and_in_the_future(
    setup: Setup, officer, spo, team, community_order, contact_types
) -> None:
    call, dependency, message = setup(officer, spo, team, community_order, contact_types)
    refused(lambda: call(dependency - timedelta(days=1)), message)
    accepted(lambda: call(dependency))
    refused(lambda: call(TODAY + timedelta(days=1)), "or in the past")
    accepted(lambda: call(TODAY))


def test_the_recall_request_is_refused_before_the_decision_to_the_minute_and_in_the_future(
    officer, spo, community_order
) -> None:
    decided = at(date(2026, 11, 20), 9)
    action = recall(officer, spo, community_order, recommended=date(2026, 11, 20), decided=decided)

    def call(when: datetime) -> Any:
        return enforcement.recall_requested(action=action, user=spo.user, requested_at=when)

    refused(lambda: call(decided - timedelta(minutes=1)), "must be at or after 09:00 on 20 November 2026")
    accepted(lambda: call(decided))
    refused(lambda: call(timezone.now() + timedelta(minutes=5)), "must be now or in the past")
    accepted(lambda: call(timezone.now() - timedelta(minutes=1)))


def test_sentence_risk_and_flag_dates_are_not_in_the_future(officer, community_order) -> None:
    person = community_order.person
    tomorrow = TODAY + timedelta(days=1)
    refused(
        lambda: record.event_record(
            person=person,
            user=officer.user,
            type=Event.Type.COMMUNITY_ORDER,
            sentence_date=tomorrow,
            requirements=[{"type": Requirement.Type.CURFEW}],
        ),
        "The sentence date must be today or in the past",
    )
    refused(
        lambda: record.risk_level_record(person=person, user=officer.user, rosh="low", tier="B2", assessed_on=tomorrow),
        "The date of assessment must be today or in the past",
    )
    refused(
        lambda: record.registration_add(
            person=person,
            user=officer.user,
            type=Registration.Type.MAPPA,
            from_date=tomorrow,
            mappa_level=1,
            mappa_category=1,
        ),
        "The start date must be today or in the past",
    )


def test_the_plan_page_names_the_limit_in_a_govuk_error(client: Client, officer, community_order) -> None:
    plan_completed(officer, None, None, community_order, None)
    client.force_login(officer.user)
    url = "/cases/X123456/events/1/plan/complete/"
    page = client.post(url, {"version": "2", "on_0": "2", "on_1": "3", "on_2": "2026"}).content.decode()
    assert "govuk-error-summary" in page
    assert (
        "The date the plan was completed must be on or after 3 March 2026, when its first objective was recorded"
        in page
    )
    assert client.post(url, {"version": "2", "on_0": "3", "on_1": "3", "on_2": "2026"}).status_code == 302


def test_the_transfer_decision_page_names_the_request_date(client: Client, officer, team, community_order) -> None:
    pdu, receiving_spo = durham(team)
    receiving = StaffMemberFactory.create(team=receiving_spo.team)
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=pdu, reason="Moved", on=date(2026, 11, 2)
    )
    client.force_login(receiving_spo.user)
    url = f"/cases/transfers/{transfer.pk}/"
    data = {"decision": "accept", "officer": receiving.pk, "on_0": "1", "on_1": "11", "on_2": "2026"}
    page = client.post(url, data).content.decode()
    assert "must be on or after 2 November 2026, when the transfer was requested" in page
    assert client.post(url, data | {"on_0": "2"}).status_code == 302


# Recorded late: more than 2 business days after it happened (England and Wales bank holidays excluded).


@pytest.mark.parametrize(
    ("happened", "recorded", "late"),
    [
        (date(2026, 11, 2), date(2026, 11, 4), False),  # Monday, recorded Wednesday: 2 business days
        (date(2026, 11, 2), date(2026, 11, 5), True),  # Thursday: 3
        (date(2026, 11, 6), date(2026, 11, 10), False),  # Friday, recorded Tuesday over the weekend: 2
        (date(2026, 11, 6), date(2026, 11, 11), True),  # Wednesday: 3
        (date(2026, 11, 7), date(2026, 11, 10), False),  # a Saturday visit recorded Tuesday: 2
        (date(2026, 12, 24), date(2026, 12, 30), False),  # Christmas Day and Boxing Day (Monday 28th) do not count
        (date(2026, 12, 24), date(2026, 12, 31), True),
        (date(2026, 11, 2), date(2026, 11, 2), False),
    ],
)
def test_recorded_late_counts_business_days(db: None, happened: date, recorded: date, late: bool) -> None:
    assert entered_dates.recorded_late(happened, at(recorded, 17)) is late


def _telephone(officer, event: Event, contact_types, happened: date, recorded: date) -> Contact:
    contact = contacts.log_contact(
        event=event, user=officer.user, type=contact_types["telephone"], starts_at=at(happened, 11), staff=officer
    )
    Contact.objects.filter(pk=contact.pk).update(recorded_at=at(recorded, 16))
    return contact


def test_the_contact_log_and_the_contact_tag_a_contact_recorded_late(
    client: Client, officer, community_order, contact_types, django_assert_max_num_queries
) -> None:
    on_time = _telephone(officer, community_order, contact_types, date(2026, 11, 2), date(2026, 11, 4))
    late = _telephone(officer, community_order, contact_types, date(2026, 11, 3), date(2026, 11, 6))
    for day in range(9, 14):
        _telephone(officer, community_order, contact_types, date(2026, 11, day), date(2026, 11, 20))
    client.force_login(officer.user)
    with django_assert_max_num_queries(25):
        page = client.get("/cases/X123456/contacts/").content.decode()
    assert page.count("Recorded late</strong>") == 1 + 5
    assert "Recorded late" not in client.get(f"/cases/X123456/contacts/{on_time.pk}/").content.decode()
    detail = client.get(f"/cases/X123456/contacts/{late.pk}/").content.decode()
    assert "Recorded late</strong>" in detail
    assert "recorded 6 November 2026, more than 2 working days after the contact" in detail


def test_beside_the_timeliness_measures_the_share_met_by_facts_recorded_late(
    client: Client, officer, national, community_order, contact_types
) -> None:
    """Two orders sentenced Monday 2 November 2026, both seen on the 4th (on time): one recorded that day, one on
    the 9th (3 business days on); a breach initiated on the 10th and recorded on the 16th."""
    second = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 11, 2))
    Event.objects.filter(pk=community_order.pk).update(sentence_date=date(2026, 11, 2))
    for event, recorded in [(community_order, date(2026, 11, 4)), (second, date(2026, 11, 9))]:
        event.refresh_from_db()
        seen = book(officer, event, contact_types["initial_appointment"], at(date(2026, 11, 4), 10))
        contacts.record_outcome(contact=seen, user=officer.user, outcome=Outcome.ATTENDED)
        Contact.objects.filter(pk=seen.pk).update(recorded_at=at(recorded, 16))
    failed = failure(officer, community_order, contact_types, date(2026, 11, 9))
    breach = enforcement.decide(
        event=community_order, user=officer.user, kind=Kind.BREACH, failure=failed, on=date(2026, 11, 10)
    )
    EnforcementAction.objects.filter(pk=breach.pk).update(recorded_at=at(date(2026, 11, 16)))
    ledger.refresh_events([community_order.pk, second.pk])  # the stamps were set above, not by a service
    counted: dict[str, tuple[int, int]] = {}
    for measure, _pdu, _team, numerator, denominator in counting.count(date(2026, 11, 1), date(2026, 11, 30)):
        n, d = counted.get(measure, (0, 0))
        counted[measure] = (n + numerator, d + denominator)
    assert counted["initial_contact_order"] == (2, 2)
    assert counted["initial_contact_order.recorded_late"] == (1, 2)
    assert counted["breach_timeliness.recorded_late"] == (1, 1)
    assert counted["recording_lag"][0] >= 1
    rollups.refresh([date(2026, 11, 1)])
    client.force_login(national.user)
    region = officer.pdu.region.code
    query = "period=custom&from=2026-11&to=2026-11"
    page = client.get(f"/performance/region/{region}/?{query}&measure=initial_contact_order").content.decode()
    assert "Met by facts recorded late" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-testid="met-late">50.0%<br>' in page
    assert "1 of 2" in page
    assert (
        'data-testid="met-late"'
        not in client.get(f"/performance/region/{region}/?{query}&measure=appointments_attended").content.decode()
    )


# Release (licence) forms and orders' requirements.


def test_the_release_form_offers_licence_conditions_not_unpaid_work_or_rar(
    client: Client, officer, community_order
) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/X123456/releases/new/").content.decode()
    assert 'name="licence_conditions"' in page
    for field in ["unpaid_work_hours", "rar_days", "programme", "other_requirements"]:
        assert f'name="{field}"' not in page


def test_an_order_is_recorded_with_at_least_one_requirement(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    url = "/cases/X123456/sentences/new/"
    page = client.get(url).content.decode()
    assert 'name="licence_conditions"' not in page
    data = {
        "type": "community_order",
        "sentence_date_0": "20",
        "sentence_date_1": "11",
        "sentence_date_2": "2026",
        "length_months": "12",
    }
    refused_page = client.post(url, data).content.decode()
    assert "A community order or suspended sentence order has at least one requirement" in refused_page
    assert Event.objects.count() == 1
    assert client.post(url, data | {"other_requirements": ["curfew"]}).status_code == 302
    assert list(Event.objects.latest("id").requirements.values_list("type", flat=True)) == ["curfew"]


def test_the_services_refuse_an_order_without_requirements_and_a_licence_with_unpaid_work(
    officer, community_order
) -> None:
    person = community_order.person
    refused(
        lambda: record.event_record(
            person=person, user=officer.user, type=Event.Type.SUSPENDED_SENTENCE_ORDER, sentence_date=TODAY
        ),
        "at least one requirement",
    )
    refused(
        lambda: record.event_record(
            person=person,
            user=officer.user,
            type=Event.Type.LICENCE,
            sentence_date=date(2026, 1, 5),
            release_date=TODAY,
            requirements=[{"type": Requirement.Type.UNPAID_WORK, "hours": 100}],
        ),
        "licence conditions, not Unpaid Work",
    )


@pytest.mark.today("2026-11-25")
def test_a_correction_or_a_later_evidence_decision_does_not_make_a_contact_recorded_late(
    officer, community_order, contact_types, time_machine
) -> None:
    """A contact is recorded when its outcome is first recorded: correcting it weeks later, or deciding on the
    evidence for an absence, is a new version of it, not a late record of it (the recording-lag measure counts
    the first)."""
    time_machine.move_to(at(date(2026, 11, 2), 17), tick=False)
    office = contact_types["office_visit"]
    visit = contacts.book(
        event=community_order, user=officer.user, type=office, starts_at=at(date(2026, 11, 2), 10), staff=officer
    )[0]
    absent = contacts.record_outcome(contact=visit, user=officer.user, outcome=Outcome.AWAITING_EVIDENCE)
    first_recorded = absent.recorded_at
    time_machine.move_to(at(date(2026, 11, 20), 12), tick=False)
    decided = contacts.record_outcome(
        contact=absent, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness"
    )
    corrected = contacts.amend(contact=decided, user=officer.user, reason="Spelling", notes="GP letter seen")
    assert corrected.recorded_at == first_recorded
    assert not entered_dates.recorded_late(date(2026, 11, 2), corrected.recorded_at)
    assert [v.changed_at.date() for v in corrected.versions.order_by("number")][-1] == date(2026, 11, 20)
    late = counting.count(date(2026, 11, 1), date(2026, 11, 30))
    assert [(n, d) for measure, *_, n, d in late if measure == "recording_lag"] == [(0, 1)]

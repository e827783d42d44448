"""The ledger keeps, on each met obligation, how late the fact that met it was recorded (cases/standards/
meeting_facts.py), so the share recorded late beside a timeliness measure is a filter on the ledger and the
frequent recount counts it in the same pass as the measure (issue 19, at national scale). The migration that
filled the rows already there (SQL) and the ledger (Python) give every obligation the same lag."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.allocation import services as allocation
from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import (
    Contact,
    EnforcementAction,
    Event,
    Obligation,
    Outcome,
    PerformanceRollup,
    PerformanceStale,
    Requirement,
)
from cases.standards import ledger
from interventions.upw import services as upw
from regions.performance import counting, rollups
from tests.cases.recording_lag_fill import assert_the_fill_agrees_with_the_ledger
from tests.factories import AllocationFactory, EventFactory, RequirementFactory, book

pytestmark = pytest.mark.today("2026-11-25")


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def lags() -> dict[tuple[str, date], int | None]:
    return {(o.rule, o.due_on): o.met_recording_lag for o in Obligation.objects.filter(met_on__isnull=False)}


def counted(measure: str, start: date, end: date) -> tuple[int, int]:
    rows = [(n, d) for name, _pdu, _team, n, d in counting.count(start, end) if name == measure]
    return (sum(n for n, _ in rows), sum(d for _, d in rows))


def seen(officer, event: Event, contact_types, day: date, recorded: date, kind: str = "initial_appointment") -> None:
    contact = book(officer, event, contact_types[kind], at(day, 10))
    contacts.record_outcome(contact=contact, user=officer.user, outcome=Outcome.ATTENDED)
    Contact.objects.filter(pk=contact.pk).update(recorded_at=at(recorded, 16))  # as if recorded that day
    ledger.refresh_events([event.pk])


def test_the_latest_recorded_of_the_days_contacts_counts(officer, contact_types) -> None:
    """Sentenced Monday 2 November 2026 and seen twice on the 4th: recorded the same day (lag 0), then the
    second recorded on Friday the 6th (2 working days: not late), then on Monday the 9th (3: late)."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 11, 2))
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 11, 2))
    seen(officer, event, contact_types, date(2026, 11, 4), date(2026, 11, 4))
    assert Obligation.objects.get(rule="initial_appointment").met_recording_lag == 0
    seen(officer, event, contact_types, date(2026, 11, 4), date(2026, 11, 6), kind="office_visit")
    assert Obligation.objects.get(rule="initial_appointment").met_recording_lag == 2
    assert counted("initial_contact_order.recorded_late", date(2026, 11, 1), date(2026, 11, 30)) == (0, 1)
    later = Contact.objects.filter(type__code="office_visit")
    later.update(recorded_at=at(date(2026, 11, 9), 16))
    ledger.refresh_events([event.pk])
    assert Obligation.objects.get(rule="initial_appointment").met_recording_lag == 3
    assert counted("initial_contact_order.recorded_late", date(2026, 11, 1), date(2026, 11, 30)) == (1, 1)
    later.update(
        entered_in_error=True, error_reason="Wrong person"
    )  # the late one was never there: the one recorded on the day met it
    ledger.refresh_events([event.pk])
    assert Obligation.objects.get(rule="initial_appointment").met_recording_lag == 0
    assert_the_fill_agrees_with_the_ledger()


def test_the_recall_request_and_review_recorded_late(officer, spo, contact_types, time_machine) -> None:
    """A licence recalled on Wednesday 18 November: the request sent on the 19th but recorded on the 25th (4
    working days on), the return on the 20th, the review completed on the 20th and recorded on the 25th (3)."""
    event = EventFactory.create(
        person__pdu=officer.pdu, type=Event.Type.LICENCE, sentence_date=date(2025, 6, 2), release_date=date(2026, 1, 5)
    )
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 1, 5))
    time_machine.move_to(at(date(2026, 11, 18), 12), tick=False)
    action = enforcement.recall_recommend(event=event, user=officer.user, recall_type="standard", rationale="R")
    decided = at(date(2026, 11, 18), 11)
    enforcement.recall_decide(
        action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=decided
    )
    time_machine.move_to(at(date(2026, 11, 25), 10), tick=False)
    action.refresh_from_db()
    enforcement.recall_requested(action=action, user=spo.user, requested_at=at(date(2026, 11, 19)))
    action.refresh_from_db()
    enforcement.recall_return(
        action=action, user=officer.user, returned_on=date(2026, 11, 20), review_completed_on=date(2026, 11, 20)
    )
    stored = {o.rule: o for o in Obligation.objects.filter(rule__in=["recall", "recall_review"])}
    assert (stored["recall"].met_on, stored["recall"].met_recording_lag) == (date(2026, 11, 19), 4)
    assert (stored["recall_review"].met_on, stored["recall_review"].met_recording_lag) == (date(2026, 11, 20), 3)
    assert {o.state for o in stored.values()} == {Obligation.State.MET}
    november = (date(2026, 11, 1), date(2026, 12, 31))
    assert counted("recall_timeliness.recorded_late", *november) == (1, 1)
    assert counted("recall_review_timeliness.recorded_late", *november) == (1, 1)
    EnforcementAction.objects.filter(pk=action.pk).update(request_recorded_at=None)  # as an import leaves it
    ledger.refresh_events([event.pk])
    assert Obligation.objects.get(rule="recall").met_recording_lag is None
    assert_the_fill_agrees_with_the_ledger()


def test_unpaid_work_completed_at_a_session_recorded_late(officer, time_machine) -> None:
    """Forty hours, the last eight at a session on Monday 16 November 2026, recorded on the 25th (7 working days on)."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 6, 1))
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 6, 1))
    order = RequirementFactory.create(event=event, type=Requirement.Type.UNPAID_WORK, hours=40)
    for day in [date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]:
        upw.log_session(
            requirement=order, user=officer.user, day=day, status="attended", project="Parks", work_hours=Decimal(8)
        )
    completion = Obligation.objects.get(rule="upw_completion")
    assert (completion.met_on, completion.met_recording_lag) == (date(2026, 11, 16), 7)
    assert counted("upw_completion.recorded_late", completion.due_on, completion.due_on + timedelta(days=1)) == (1, 1)
    assert_the_fill_agrees_with_the_ledger()


def test_a_fact_dated_before_the_calendar_has_no_known_lag(officer, time_machine) -> None:
    """The working-day calendar begins in 2000: a first allocation dated 4 May 1999 (an old case, allocated in
    the product today) has no lag the calendar can give, so it is never counted as recorded late."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(1999, 5, 3))
    allocation.allocate(event=event, staff=officer, user=officer.user, from_date=date(1999, 5, 4))
    first = Obligation.objects.get(rule="ro_allocation")
    assert first.met_on == date(1999, 5, 4)
    assert first.met_recording_lag is None
    assert_the_fill_agrees_with_the_ledger()


def test_a_later_fact_that_makes_a_met_obligation_recorded_late_marks_its_month_stale(officer, contact_types) -> None:
    """Sentenced Thursday 29 October 2026; the initial appointment (due 5 November) met on the 30th by a contact
    recorded that day. A second contact of the 30th logged on 25 November (18 working days on) leaves met_on as
    it was but makes the obligation met by a fact recorded late: November, the month it is counted in, is marked
    stale and the frequent recount brings the stored share up to date."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 10, 29))
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 10, 29))
    seen(officer, event, contact_types, date(2026, 10, 30), date(2026, 10, 30))
    met = Obligation.objects.get(rule="initial_appointment")
    assert (met.met_on, met.due_on, met.met_recording_lag) == (date(2026, 10, 30), date(2026, 11, 5), 0)
    october, november = date(2026, 10, 1), date(2026, 11, 1)
    rollups.refresh([october, november])
    PerformanceStale.objects.all().delete()
    contacts.log_contact(
        event=event,
        user=officer.user,
        type=contact_types["office_visit"],
        starts_at=at(date(2026, 10, 30), 14),
        staff=officer,
        outcome=Outcome.ATTENDED,
    )
    met.refresh_from_db()
    assert (met.met_on, met.met_recording_lag) == (date(2026, 10, 30), 18)
    assert november in set(PerformanceStale.objects.values_list("month", flat=True))
    rollups.recount_stale()
    stored = PerformanceRollup.objects.get(
        month=november, measure="initial_contact_order.recorded_late", pdu=officer.pdu, pdu_total=True
    )
    assert (stored.numerator, stored.denominator) == (1, 1)


def test_a_contact_half_an_hour_after_midnight_in_summer_is_of_that_day_in_england(officer, contact_types) -> None:
    """Seen at 00:30 on Wednesday 1 July 2026 in England (23:30 on 30 June in UTC): it meets July's face-to-face
    contact, not June's. Recorded at 00:30 on Friday 3 July (23:30 on the 2nd in UTC): 2 working days after it
    happened, not 1. The database works out both days (derive.CONTACT_DAYS), for a case's refresh (read
    together) and for the rebuild (read in batches) alike."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 6, 1))
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 6, 1))
    utc = timezone.get_fixed_timezone(0)
    contact = book(officer, event, contact_types["office_visit"], datetime(2026, 6, 30, 23, 30, tzinfo=utc))
    contacts.record_outcome(contact=contact, user=officer.user, outcome=Outcome.ATTENDED)
    Contact.objects.filter(pk=contact.pk).update(recorded_at=datetime(2026, 7, 2, 23, 30, tzinfo=utc))
    ledger.refresh_person(event.person_id)
    months = {o.starts_on: o for o in Obligation.objects.filter(rule="monthly_contact")}
    assert months[date(2026, 7, 1)].met_on == date(2026, 7, 1)
    assert months[date(2026, 7, 1)].met_recording_lag == 2
    assert months[date(2026, 6, 1)].met_on is None
    assert ledger.rebuild(check=True, event_ids=[event.pk]) == []


@pytest.mark.parametrize(
    ("kind", "rule", "lag"),
    [
        ("telephone", "initial_appointment", 0),  # a call on the day of the visit did not meet it
        ("telephone", "monthly_contact", 0),
        ("video", "initial_appointment", 0),  # nor, for the initial appointment, a video call
        ("video", "monthly_contact", 17),  # a video call could meet the month's contact (within its share)
        ("office_visit", "initial_appointment", 18),
        ("office_visit", "monthly_contact", 17),
    ],
)
def test_only_the_days_contacts_that_could_have_met_it_make_it_recorded_late(
    officer, contact_types, kind: str, rule: str, lag: int
) -> None:
    """Sentenced Thursday 29 October 2026: the initial appointment met on Friday the 30th, November's face-to-face
    contact on Monday 2 November, each by an office visit recorded that day. A second contact of that day, logged on
    25 November (18 working days after the 30th, 17 after the 2nd), makes the obligation met by a fact recorded
    late only if it could have met it (meeting_facts.py)."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 10, 29))
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 10, 29))
    day = date(2026, 10, 30) if rule == "initial_appointment" else date(2026, 11, 2)
    seen(officer, event, contact_types, day, day, kind="office_visit")
    assert Obligation.objects.get(rule=rule, met_on=day).met_recording_lag == 0
    contacts.log_contact(
        event=event, user=officer.user, type=contact_types[kind], starts_at=at(day, 14), staff=officer,
        outcome=Outcome.ATTENDED,
    )  # fmt: skip
    assert Obligation.objects.get(rule=rule, met_on=day).met_recording_lag == lag
    assert_the_fill_agrees_with_the_ledger()

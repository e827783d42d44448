"""Recorded late, for every fact with an entered date (issue 18's last item; issue 19, "Hard to game"): the
services stamp when each date was recorded, the case pages tag a fact recorded more than 2 working days after
its date, and beside every timeliness measure the performance pages and downloads give the share of those met
on time whose meeting fact was recorded late, marking a row where it reaches 10% (the recorded_late_share
setting)."""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.allocation import services as allocation
from cases.contacts import services as contacts
from cases.ending import services as ending
from cases.enforcement import services as enforcement
from cases.models import (
    Allocation,
    Contact,
    EnforcementAction,
    Event,
    Objective,
    Outcome,
    PerformanceRollup,
    SentencePlan,
    Transfer,
)
from cases.plans import services as plans
from cases.standards import ledger
from cases.transfers import services as transfers
from probation.roles import Role
from regions.performance import counting, rollups
from regions.performance.measures import CLOCKS, MEASURES, RECORDED_LATE_BESIDE
from tests.cases.recording_lag_fill import assert_the_fill_agrees_with_the_ledger
from tests.factories import AllocationFactory, EventFactory, PDUFactory, StaffMemberFactory, TeamFactory, book

pytestmark = pytest.mark.today("2026-11-25")


@pytest.fixture(autouse=True)
def _the_fill_agrees_after_each_test(db: None) -> Iterator[None]:
    """Whatever facts a test leaves, the migration's fill gives each obligation the lag the ledger gave it."""
    yield
    assert_the_fill_agrees_with_the_ledger()


TODAY = date(2026, 11, 25)
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def counted(start: date, end: date) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for measure, _pdu, _team, numerator, denominator in counting.count(start, end):
        n, d = found.get(measure, (0, 0))
        found[measure] = (n + numerator, d + denominator)
    return found


def order(officer, sentenced: date) -> Event:
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=sentenced)
    AllocationFactory.create(event=event, staff=officer)
    return event


def plan_with_objective(officer, event: Event, objective_on: date) -> SentencePlan:
    plan = plans.plan_for(event, officer.user)
    fields = {"area": "ete", "description": "Find work"}
    plans.objective_save(plan=plan, user=officer.user, expected_version=1, objective=None, fields=fields)
    Objective.objects.filter(plan=plan).update(created_at=at(objective_on))
    plan.refresh_from_db()
    return plan


def test_every_timeliness_measure_has_the_share_beside_it() -> None:
    assert set(RECORDED_LATE_BESIDE) == set(CLOCKS)
    assert {"sentence_plan_order", "ro_allocation", "transfer_timeliness", "recall_timeliness"} <= set(
        RECORDED_LATE_BESIDE
    )
    assert all(name in MEASURES for name in RECORDED_LATE_BESIDE)


@pytest.mark.parametrize(
    ("completed", "recorded", "late"),
    [
        (date(2026, 11, 2), date(2026, 11, 4), False),  # Monday, recorded Wednesday: exactly 2 working days
        (date(2026, 11, 2), date(2026, 11, 5), True),  # Thursday: 3
        (date(2026, 11, 6), date(2026, 11, 10), False),  # Friday, recorded Tuesday across the weekend: 2
        (date(2026, 11, 6), date(2026, 11, 11), True),  # Wednesday: 3
        (date(2026, 8, 28), date(2026, 9, 2), False),  # Friday, the bank holiday Monday 31 August: 2
        (date(2026, 8, 28), date(2026, 9, 3), True),  # 3
    ],
)
def test_a_plan_completion_is_recorded_late_after_more_than_2_working_days(
    officer, time_machine, completed: date, recorded: date, late: bool
) -> None:
    """The service stamps the completion with the clock when it is recorded; the count judges it in SQL by the
    working calendar, as the case page judges it in Python."""
    sentenced = date(completed.year, completed.month, completed.day - 1)
    event = order(officer, sentenced)
    plan = plan_with_objective(officer, event, sentenced)
    time_machine.move_to(at(recorded, 16), tick=False)
    plan = plans.complete(plan=plan, user=officer.user, expected_version=2, on=completed)
    assert plan.completed_recorded_at == at(recorded, 16)
    found = counted(date(2026, 8, 1), NOVEMBER[1])
    assert found["sentence_plan_order"] == (1, 1)
    assert found["sentence_plan_order.recorded_late"] == (int(late), 1)


def test_a_fact_whose_recording_time_is_not_known_is_not_recorded_late(officer, time_machine) -> None:
    """An imported fact has no stamp: never counted, nor shown, as recorded late."""
    event = order(officer, date(2026, 11, 1))
    plan = plan_with_objective(officer, event, date(2026, 11, 1))
    plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 11, 2))
    assert counted(*NOVEMBER)["sentence_plan_order.recorded_late"] == (1, 1)  # recorded 25 November
    SentencePlan.objects.filter(pk=plan.pk).update(completed_recorded_at=None)  # as an import leaves it
    ledger.refresh_events([event.pk])
    assert counted(*NOVEMBER)["sentence_plan_order.recorded_late"] == (0, 1)


def test_the_services_stamp_every_entered_date_when_it_is_recorded(officer, spo, team, time_machine) -> None:
    now = at(date(2026, 11, 25), 15)
    time_machine.move_to(now, tick=False)
    event = order(officer, date(2026, 10, 1))
    other = StaffMemberFactory.create(team=team)
    moved = allocation.allocate(
        event=event, staff=other, user=spo.user, from_date=date(2026, 11, 20), reason_code="caseload_adjustment"
    )
    assert moved.recorded_at == now
    receiving = TeamFactory.create(pdu=PDUFactory.create(region=team.pdu.region))
    transfer = transfers.request(
        event=event, user=officer.user, to_pdu=receiving.pdu, reason="Moved", on=date(2026, 11, 23)
    )
    receiving_spo = StaffMemberFactory.create(team=receiving, grade="SPO", user__roles=[Role.SPO])
    assert receiving_spo.user is not None
    transfer = transfers.reject(transfer=transfer, user=receiving_spo.user, by=receiving_spo, reason="No", on=TODAY)
    assert (transfer.recorded_at, transfer.decided_recorded_at) == (now, now)
    ended = ending.event_end(event, spo.user, date(2026, 11, 24), "other", "Died abroad")
    assert ended.terminated_recorded_at == now


def test_a_back_dated_plan_completion_turns_overdue_into_met_and_shows_as_recorded_late(
    client: Client, officer, national, contact_types, time_machine
) -> None:
    """Sentenced Monday 26 October 2026: the plan was due by 16 November and is overdue on the 25th. Completed
    on the 25th, dated the 13th, it is met on time, by a fact recorded 8 working days late: the case pages tag
    it, and the share beside the measure rises from none to all, marked, on the page and in the download."""
    event = order(officer, date(2026, 10, 26))
    plan = plan_with_objective(officer, event, date(2026, 10, 27))
    assert counted(*NOVEMBER)["sentence_plan_order"] == (0, 1)
    assert "sentence_plan_order.recorded_late" not in counted(*NOVEMBER)
    rollups.refresh([date(2026, 11, 1)])  # the nightly recount, before
    assert not PerformanceRollup.objects.filter(measure="sentence_plan_order.recorded_late").exists()
    plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 11, 13))
    found = counted(*NOVEMBER)
    assert found["sentence_plan_order"] == (1, 1)
    assert found["sentence_plan_order.recorded_late"] == (1, 1)

    client.force_login(officer.user)
    crn = event.person.crn
    page = client.get(f"/cases/{crn}/events/{event.ref}/plan/").content.decode()
    assert "Recorded late</strong>" in page
    assert "recorded 25 November 2026, more than 2 working days after the plan was completed" in page
    overview = client.get(f"/cases/{crn}/").content.decode()
    assert f'id="recorded-late-{event.ref}"' in overview
    assert "Sentence plan completed: 13 Nov 2026" in overview

    assert rollups.recount_stale()  # the frequent recount: the change marked November stale
    pdu = officer.pdu
    stored = PerformanceRollup.objects.filter(month=date(2026, 11, 1), measure="sentence_plan_order.recorded_late")
    total = stored.get(pdu=pdu, pdu_total=True)
    parts = stored.filter(pdu=pdu, pdu_total=False)
    assert (total.numerator, total.denominator) == (1, 1)
    assert (sum(p.numerator for p in parts), sum(p.denominator for p in parts)) == (1, 1)  # teams + no team

    client.force_login(national.user)
    query = "period=custom&from=2026-11&to=2026-11&measure=sentence_plan_order"
    page = client.get(f"/performance/pdu/{pdu.code}/?{query}").content.decode()
    assert 'data-testid="met-late">100.0%<br><span class="govuk-hint govuk-!-margin-bottom-0">1 of 1</span>' in page
    assert 'data-testid="late-marked">Recorded late: check</strong>' in page
    assert "the rate may be flattered by back-filled records" in page
    assert 'data-testid="summary-met-late">100.0%' in page
    download = client.get(f"/performance/pdu/{pdu.code}/?{query}&format=csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(download)))
    assert {"met_on_time_recorded_late", "met_on_time", "met_recorded_late_share", "recorded_late_marked"} <= set(
        rows[0]
    )
    held = [r for r in rows if r["code"] == officer.team.code]
    assert [(r["met_on_time_recorded_late"], r["met_on_time"], r["recorded_late_marked"]) for r in held] == [
        ("1", "1", "yes")
    ]
    assert sum(int(r["met_on_time_recorded_late"] or 0) for r in rows) == 1  # the rows add up to the page's count
    workbook = zipfile.ZipFile(io.BytesIO(client.get(f"/performance/pdu/{pdu.code}/?{query}&format=xlsx").content))
    strings = workbook.read("xl/sharedStrings.xml").decode()
    assert "Share met by facts recorded late" in strings
    assert "Marked: many recorded late" in strings
    behind = client.get(f"/performance/team/{officer.team.code}/cases/?{query}").content.decode()
    assert "Of those met on time, <strong>1</strong> was met by a fact recorded late" in behind
    assert behind.count('<strong class="govuk-tag govuk-tag--orange">Recorded late</strong>') == 1  # the rows
    team_page = client.get(f"/performance/team/{officer.team.code}/?{query}").content.decode()
    assert 'data-testid="met-late">100.0%' in team_page  # the officer, counted live


def test_a_share_below_the_setting_is_shown_but_not_marked(client: Client, officer, national, contact_types) -> None:
    """Eleven orders' initial appointments met on time, one recorded late: 9.1%, under 10%, not marked."""
    for n in range(11):
        event = order(officer, date(2026, 11, 2))
        seen = book(officer, event, contact_types["initial_appointment"], at(date(2026, 11, 4), 10))
        contacts.record_outcome(contact=seen, user=officer.user, outcome=Outcome.ATTENDED)
        recorded = date(2026, 11, 9) if n == 0 else date(2026, 11, 4)
        Contact.objects.filter(pk=seen.pk).update(recorded_at=at(recorded, 16))
        ledger.refresh_events([event.pk])
    assert counted(*NOVEMBER)["initial_contact_order.recorded_late"] == (1, 11)
    rollups.refresh([date(2026, 11, 1)])
    client.force_login(national.user)
    query = "period=custom&from=2026-11&to=2026-11&measure=initial_contact_order"
    page = client.get(f"/performance/pdu/{officer.pdu.code}/?{query}").content.decode()
    assert "9.1%<br>" in page
    assert "1 of 11" in page
    assert 'data-testid="late-marked"' not in page


def test_the_transfer_and_the_allocation_met_by_facts_recorded_late(officer, team, time_machine) -> None:
    """A transfer accepted on a date 3 working days before it was recorded, and a first allocation recorded
    late: each counted beside its own measure."""
    event = EventFactory.create(person__pdu=officer.pdu, sentence_date=date(2026, 11, 2))
    time_machine.move_to(at(date(2026, 11, 5), 12), tick=False)
    allocation.allocate(event=event, staff=officer, user=officer.user, from_date=date(2026, 11, 2))
    receiving = TeamFactory.create(pdu=PDUFactory.create(region=team.pdu.region))
    receiving_spo = StaffMemberFactory.create(team=receiving, grade="SPO", user__roles=[Role.SPO])
    assert receiving_spo.user is not None
    new_ro = StaffMemberFactory.create(team=receiving)
    transfer = transfers.request(
        event=event, user=officer.user, to_pdu=receiving.pdu, reason="Moved", on=date(2026, 11, 3)
    )
    time_machine.move_to(at(date(2026, 11, 12), 12), tick=False)
    transfers.accept(transfer=transfer, user=receiving_spo.user, by=receiving_spo, officer=new_ro, on=date(2026, 11, 6))
    assert Transfer.objects.get().decided_recorded_at == at(date(2026, 11, 12), 12)
    first = Allocation.objects.filter(event=event).order_by("from_date").first()
    assert first is not None
    assert first.recorded_at == at(date(2026, 11, 5), 12)
    found = counted(NOVEMBER[0], date(2026, 12, 31))  # the transfer was due by 1 December
    assert found["ro_allocation.recorded_late"] == (1, 1)  # 2 Nov recorded 5 Nov: 3 working days
    assert found["transfer_timeliness.recorded_late"] == (1, 1)  # 6 Nov recorded 12 Nov: 4


def test_a_breach_and_a_warning_are_tagged_on_the_case(client: Client, officer, contact_types, time_machine) -> None:
    event = order(officer, date(2026, 10, 1))
    seen = book(officer, event, contact_types["office_visit"], at(date(2026, 11, 2), 10))
    failed = contacts.record_outcome(contact=seen, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
    time_machine.move_to(at(date(2026, 11, 6), 12), tick=False)
    warning = enforcement.decide(
        event=event, user=officer.user, kind=EnforcementAction.Kind.WARNING, failure=failed, on=date(2026, 11, 2)
    )
    assert warning.recorded_at == at(date(2026, 11, 6), 12)
    client.force_login(officer.user)
    overview = client.get(f"/cases/{event.person.crn}/").content.decode()
    assert "recorded 6 November 2026, more than 2 working days after the warning" in overview

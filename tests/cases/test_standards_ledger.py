"""The National Standards ledger: every rule at its edges, the sweep, the report, the rebuild."""

import copy
import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.interchange import exporter
from cases.interchange.importer import import_document
from cases.models import ContactType, Event, Notification, Objective, Obligation, OversightTask, RuleSetting
from cases.plans import services as plans
from cases.reference import ensure_contact_types
from cases.standards import calendar, ledger
from cases.transfers import services as transfers
from interventions.models import UpwSession
from interventions.upw import services as upw
from tests.factories import PDUFactory, StaffMemberFactory, TeamFactory, case_for


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def seen(officer, event, day: date, code: str = "office_visit", outcome: str = "attended"):
    contact = contacts.book(
        event=event, user=officer.user, type=ContactType.objects.get(code=code), starts_at=at(day), staff=officer
    )[0]
    return contacts.record_outcome(contact=contact, user=officer.user, outcome=outcome)


def rows(rule: str, crn: str = "X123456", as_of: date = date(2026, 11, 25)) -> list[dict]:
    return [r for r in ledger.report(as_of, crn) if r["rule"] == rule]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 21), 5, date(2026, 11, 27)),  # a Saturday: day 0 is the Saturday, due the next Friday
        (date(2025, 12, 19), 5, date(2025, 12, 30)),  # over Christmas and Boxing Day
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # 25th Friday, 28th the substitute for Boxing Day
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Good Friday 26 March and Easter Monday 29 March 2027
        (date(2027, 4, 30), 1, date(2027, 5, 4)),  # the early May bank holiday, Monday 3 May 2027
        (date(2026, 8, 28), 1, date(2026, 9, 1)),  # the late August bank holiday, Monday 31 August 2026
        (date(2028, 2, 28), 2, date(2028, 3, 1)),  # 29 February 2028 is a Tuesday and a working day
        (date(2026, 11, 25), 0, date(2026, 11, 25)),
    ],
)
def test_business_days_from_the_calendar_table(start: date, days: int, due: date) -> None:
    assert calendar.add_business_days(start, days) == due
    assert calendar.business_days_between(start, due) == days


@pytest.mark.django_db
def test_the_calendar_table_names_the_bank_holidays() -> None:
    from cases.models import CalendarDay

    calendar.fill(2030)
    christmas = CalendarDay.objects.get(day=date(2026, 12, 25))
    assert (christmas.is_working, christmas.holiday) == (False, "Christmas Day")
    assert CalendarDay.objects.get(day=date(2026, 12, 28)).is_working is False


def test_the_documented_initial_appointment_is_met(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2025, 12, 22), "initial_appointment")
    assert rows("initial_appointment") == [
        {
            "crn": "X123456",
            "event": "1",
            "rule": "initial_appointment",
            "starts_on": "2025-12-19",
            "due_on": "2025-12-30",
            "met_on": "2025-12-22",
            "state": "met",
        }
    ]


def test_a_backdated_contact_meets_the_clock_late(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2025, 12, 31))  # recorded today, about 31 December: a day late
    (row,) = rows("initial_appointment")
    assert (row["met_on"], row["state"]) == ("2025-12-31", "met_late")
    assert rows("initial_appointment", as_of=date(2025, 12, 30))[0]["state"] == "pending"
    assert rows("initial_appointment", as_of=date(2025, 12, 31))[0]["state"] == "met_late"


def test_a_licence_initial_appointment_is_due_the_next_business_day(officer, contact_types) -> None:
    event = case_for(officer, crn="L000002")
    event.type, event.release_date = Event.Type.LICENCE, date(2026, 12, 24)  # Christmas Eve, a Thursday
    event.save()
    ledger.refresh_events([event.pk])
    (row,) = rows("initial_appointment", "L000002", as_of=date(2026, 12, 31))
    assert row["due_on"] == "2026-12-29"
    assert row["starts_on"] == "2026-12-24"


def test_a_failure_to_comply_still_counts_as_seen(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2025, 12, 23), outcome="failed_to_comply")
    assert rows("initial_appointment")[0]["state"] == "met"
    assert rows("enforcement_decision")[0]["due_on"] == "2025-12-29"  # 2 business days over Christmas


def test_a_telephone_call_is_not_an_appointment(officer, community_order, contact_types) -> None:
    ledger.refresh_person(community_order.person_id)  # as recording the sentence did (a call derives nothing)
    seen(officer, community_order, date(2025, 12, 22), "telephone")
    assert rows("initial_appointment")[0]["state"] == "overdue"


def test_terminated_before_the_due_date_is_not_applicable(officer, contact_types) -> None:
    event = case_for(officer, crn="T000001")
    event.sentence_date = date(2026, 11, 2)
    event.terminated_on, event.termination_reason = date(2026, 11, 4), "revoked"
    event.save()
    ledger.refresh_events([event.pk])
    assert rows("initial_appointment", "T000001")[0]["state"] == "not_applicable"
    assert rows("monthly_contact", "T000001") == []


def test_monthly_contact_runs_each_full_month_and_ends_with_the_order(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2026, 1, 31))  # the last day of January
    # a video counts while videos are no more than half of the in-person and video contacts so far: 1 of 2
    seen(officer, community_order, date(2026, 3, 2), "video")
    months = rows("monthly_contact")
    assert months[0] == {
        "crn": "X123456",
        "event": "1",
        "rule": "monthly_contact",
        "starts_on": "2026-01-01",  # sentenced 19 December: the initial appointment covers December
        "due_on": "2026-01-31",
        "met_on": "2026-01-31",
        "state": "met",
    }
    assert [m["state"] for m in months[1:4]] == ["missed", "met", "missed"]  # a month ended unmet: never overdue
    assert months[-1]["starts_on"] == "2026-11-01"
    assert months[-1]["state"] == "pending"


def test_monthly_contact_in_a_leap_february(officer, contact_types) -> None:
    event = case_for(officer, crn="F000029")
    event.sentence_date = date(2028, 1, 20)
    event.save()
    months = [r for r in ledger._derived(ledger.load([event]), date(2028, 3, 5)) if r.key[1] == "monthly_contact"]
    assert [(m.key[2], m.values["due_on"]) for m in months] == [
        (date(2028, 2, 1), date(2028, 2, 29)),
        (date(2028, 3, 1), date(2028, 3, 31)),
    ]


def test_no_monthly_contact_on_pss_and_a_transfer_moves_responsibility(officer, community_order, contact_types) -> None:
    pss = case_for(officer, crn="P000001")
    pss.type, pss.release_date = Event.Type.PSS, date(2026, 6, 1)
    pss.save()
    ledger.refresh_events([pss.pk])
    assert rows("monthly_contact", "P000001") == []
    durham = TeamFactory.create(code="NE-DUR-T1", pdu=PDUFactory.create(code="NE-DUR", region=officer.region))
    receiving = StaffMemberFactory.create(team=durham)
    moved = transfers.request(
        event=community_order, user=officer.user, to_pdu=durham.pdu, reason="Moved", on=date(2026, 10, 1)
    )
    transfers.accept(transfer=moved, user=officer.user, by=receiving, officer=receiving, on=date(2026, 10, 29))
    (row,) = rows("transfer")
    assert (row["due_on"], row["met_on"], row["state"]) == ("2026-10-29", "2026-10-29", "met")  # exactly 20 days
    october = Obligation.objects.get(rule="monthly_contact", starts_on=date(2026, 10, 1))
    september = Obligation.objects.get(rule="monthly_contact", starts_on=date(2026, 9, 1))
    assert (september.pdu.code, october.pdu.code) == ("NE-TYN", "NE-DUR")  # whose it was on the due date


def test_the_initial_plan_clock_can_start_at_the_first_appointment(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2026, 1, 5))
    assert rows("initial_sentence_plan")[0]["starts_on"] == "2025-12-19"
    RuleSetting.objects.create(rule="initial_sentence_plan", period=15, option="first_appointment")
    ledger.rebuild()
    (row,) = rows("initial_sentence_plan")
    assert (row["starts_on"], row["due_on"]) == ("2026-01-05", "2026-01-26")


def test_plan_reviews_chain_six_months_from_the_last(officer, community_order) -> None:
    plan = plans.plan_for(community_order, officer.user)
    plans.objective_save(
        plan=plan, user=officer.user, expected_version=1, objective=None, fields={"area": "ete", "description": "Work"}
    )
    Objective.objects.update(created_at=timezone.make_aware(datetime(2026, 1, 5, 9)))  # written that day
    plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 1, 5))
    plans.review(
        plan=plan, user=officer.user, expected_version=3, reviewed_on=date(2026, 7, 6), summary="ok", progress={}
    )
    reviews = rows("sentence_plan_review")
    assert [(r["starts_on"], r["due_on"], r["state"]) for r in reviews] == [
        ("2026-01-05", "2026-07-05", "met_late"),
        ("2026-07-06", "2027-01-06", "pending"),
    ]
    assert rows("initial_sentence_plan")[0]["state"] == "met"


def test_unpaid_work_clocks(officer, community_order, contact_types) -> None:
    from cases.models import Requirement

    work = Requirement.objects.get(event=community_order, type="unpaid_work")
    upw.log_session(
        requirement=work, user=officer.user, day=date(2026, 1, 19), status="attended", work_hours=Decimal("7")
    )
    first, review, completion = rows("upw_first_session"), rows("upw_review"), rows("upw_completion")
    assert (first[0]["due_on"], first[0]["met_on"], first[0]["state"]) == ("2026-01-19", "2026-01-19", "met")
    assert (review[0]["due_on"], review[0]["state"]) == ("2026-06-19", "overdue")
    assert (completion[0]["due_on"], completion[0]["state"]) == ("2026-12-19", "pending")


@pytest.mark.today("2026-11-25")  # swept as of today: what the run's own ledger check derives
def test_the_sweep_flags_overdue_once_and_is_idempotent(officer, community_order, contact_types) -> None:
    ledger.rebuild()
    Obligation.objects.update(state="pending")  # as if last swept long ago
    first = ledger.sweep(date(2026, 11, 25))
    assert first["initial_appointment"] == 1
    snapshot = list(Obligation.objects.order_by("pk").values())
    flags = Notification.objects.count()
    assert flags > 0
    assert Notification.objects.filter(staff=officer, kind="overdue").count() == flags
    assert sum(ledger.sweep(date(2026, 11, 25)).values()) == 0
    assert [dict(r, updated_at=None) for r in Obligation.objects.order_by("pk").values()] == [
        dict(r, updated_at=None) for r in snapshot
    ]
    assert Notification.objects.count() == flags


@pytest.mark.parametrize("cases", [3, 30])
def test_the_sweep_runs_a_bounded_number_of_statements(officer, contact_types, cases: int) -> None:
    for number in range(cases):
        case_for(officer, crn=f"B{number:06d}")
    ledger.rebuild()
    Obligation.objects.update(state="pending")
    with CaptureQueriesContext(connection) as queries:
        ledger.sweep()  # today, whatever day it is
    assert len(queries) <= 17 + 6  # one statement per rule, the lock and the months


def test_a_bulk_loads_rebuild_writes_what_rebuild_would_and_counts_it(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2025, 12, 22))
    columns = [f.attname for f in Obligation._meta.concrete_fields if f.name not in ("id", "updated_at")]
    derived = sorted(Obligation.objects.values_list(*columns))
    assert len(derived) > 10
    Obligation.objects.all().delete()  # an empty ledger, as seed_demo finds it
    assert ledger.rebuild_counting([community_order.pk]) == len(derived)
    assert sorted(Obligation.objects.values_list(*columns)) == derived
    assert ledger.rebuild_counting([community_order.pk]) == 0
    Obligation.objects.filter(rule="initial_appointment").update(met_on=None)
    assert ledger.rebuild_counting([community_order.pk]) == 1  # repaired, as rebuild repairs it
    assert ledger.rebuild(check=True) == []


def test_rebuild_check_finds_and_repairs_a_tampered_ledger(officer, community_order, contact_types) -> None:
    seen(officer, community_order, date(2025, 12, 22))
    out = StringIO()
    call_command("standards_rebuild", "--check", stdout=out)
    assert "0 difference(s) found" in out.getvalue()
    Obligation.objects.filter(rule="initial_appointment").update(met_on=None)
    with pytest.raises(Exception, match="differs from the facts in 1 place"):
        call_command("standards_rebuild", "--check", stdout=StringIO())
    call_command("standards_rebuild", stdout=StringIO())
    call_command("standards_rebuild", "--check", stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_report_is_the_same_for_pages_and_import(officer, spo, community_order, contact_types) -> None:
    seen(officer, community_order, date(2025, 12, 22), "initial_appointment")
    failure = seen(officer, community_order, date(2026, 2, 3), outcome="unacceptable_absence")
    enforcement.decide(
        event=community_order,
        user=officer.user,
        kind="breach",
        failure=failure,
        on=date(2026, 2, 20),
        aware_on=date(2026, 2, 3),
    )
    for day in (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)):
        absence = seen(officer, community_order, day, outcome="awaiting_evidence")
        contacts.amend(
            contact=absence, user=officer.user, reason="Note", outcome="acceptable_absence", absence_reason="illness"
        )
    enforcement.oversight_record(task=OversightTask.objects.get(), user=spo.user, by=spo, note="Seen", outcome="agree")
    work = community_order.requirements.get(type="unpaid_work")
    upw.log_session(
        requirement=work, user=officer.user, day=date(2026, 1, 12), status="attended", work_hours=Decimal("6")
    )
    # As of today: the oversight opened when the absences were amended, which is today, whatever today is.
    as_of = timezone.localdate().isoformat()
    out = StringIO()
    call_command("standards_report", "--as-of", as_of, stdout=out)
    through_pages = json.loads(out.getvalue())
    assert {r["rule"] for r in through_pages} >= {
        "initial_appointment",
        "monthly_contact",
        "enforcement_decision",
        "breach",
        "absence_evidence",
        "acceptable_absence_oversight",
        "upw_first_session",
    }
    document = exporter.document()
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(copy.deepcopy(document))
    out = StringIO()
    call_command("standards_report", "--as-of", as_of, stdout=out)
    assert json.loads(out.getvalue()) == through_pages
    csv_out = StringIO()
    call_command("standards_report", "--as-of", as_of, "--format", "csv", "--crn", "X123456", stdout=csv_out)
    assert csv_out.getvalue().splitlines()[0] == "crn,event,rule,starts_on,due_on,met_on,state"
    assert UpwSession.objects.count() == 1

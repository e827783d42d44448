"""The performance measures against a hand count; the pages (monthly rollups) and kpi_report agree; who sees what."""

import json
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from cases.contacts import services as contacts
from cases.models import Allocation, EnforcementAction, Event, Outcome
from cases.standards import ledger
from regions.performance import counting, rollups
from regions.performance.measures import CLOCKS, MEASURES
from tests.factories import book, case_for

PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def scenario(officer, contact_types) -> dict[str, Event]:
    """Two community orders sentenced Monday 5 January 2026 (initial appointment due Monday 12 January): one
    seen on the 7th, one never. Four office visits in February: attended, failed to comply, acceptable and
    unacceptable absence, all recorded today (months late). The unseen order completes on 10 March."""
    seen, unseen = case_for(officer, crn="P000001"), case_for(officer, crn="P000002")
    Event.objects.filter(pk__in=[seen.pk, unseen.pk]).update(sentence_date=date(2026, 1, 5))
    ledger.refresh_events([seen.pk, unseen.pk])
    first = book(officer, seen, contact_types["initial_appointment"], datetime(2026, 1, 7, 10, tzinfo=UTC))
    contacts.record_outcome(contact=first, user=officer.user, outcome=Outcome.ATTENDED)
    outcomes = [Outcome.ATTENDED, Outcome.FAILED_TO_COMPLY, Outcome.ACCEPTABLE_ABSENCE, Outcome.UNACCEPTABLE_ABSENCE]
    for day, outcome in zip([2, 3, 4, 5], outcomes, strict=True):
        visit = book(officer, seen, contact_types["office_visit"], datetime(2026, 2, day, 10, tzinfo=UTC))
        reason = "illness" if outcome == Outcome.ACCEPTABLE_ABSENCE else ""
        contacts.record_outcome(contact=visit, user=officer.user, outcome=outcome, absence_reason=reason)
    Event.objects.filter(pk=unseen.pk).update(terminated_on=date(2026, 3, 10), termination_reason="completed")
    ledger.refresh_events([unseen.pk])
    return {"seen": seen, "unseen": unseen}


def _counted(start: date, end: date) -> dict[str, tuple[int, int]]:
    totals: dict[str, list[int]] = {}
    for measure, _pdu, _team, numerator, denominator in counting.count(start, end):
        pair = totals.setdefault(measure, [0, 0])
        pair[0] += numerator
        pair[1] += denominator
    return {m: (n, d) for m, (n, d) in totals.items()}


def test_the_measures_match_a_hand_count(scenario) -> None:
    january, february, march = (
        _counted(date(2026, 1, 1), date(2026, 1, 31)),
        _counted(date(2026, 2, 1), date(2026, 2, 28)),
        _counted(date(2026, 3, 1), date(2026, 3, 31)),
    )
    assert january["initial_contact_order"] == (1, 2)  # one seen by the 12th, one never
    assert "initial_contact_licence" not in january
    assert "monthly_contact" not in january  # the part-month of sentence: the initial appointment covers it
    assert february["monthly_contact"] == (1, 2)  # February: one seen face to face (the 2nd), one not
    assert "home_visit" not in january  # medium RoSH and no flags: no home visit is required
    assert january["sentence_plan_order"] == (0, 2)  # due 15 working days after sentence, the 26th: none
    assert february["appointments_attended"] == (2, 4)  # attended, and attended but failed to comply
    assert february["acceptable_absences"] == (1, 4)
    assert february["unacceptable_absences"] == (1, 4)
    assert february["recording_lag"] == (4, 4)  # all recorded today, months after
    assert january["recording_lag"] == (1, 1)
    assert march["order_completion"] == (1, 1)
    assert MEASURES["acceptable_absences"].value(1, 4) == 25.0  # per 100 appointments


def test_the_pages_and_kpi_report_give_the_same_numbers(client: Client, scenario, national, team) -> None:
    rollups.refresh(rollups.month_starts(*PERIOD))
    out = StringIO()
    call_command("kpi_report", "--from", "2026-01-01", "--to", "2026-03-31", stdout=out)
    report = {(r["scope"], r["code"], r["measure"]): r for r in json.loads(out.getvalue())}
    client.force_login(national.user)
    region = team.pdu.region.code
    for measure in ["initial_contact_order", "appointments_attended", "recording_lag", "order_completion"]:
        page = client.get(
            f"/performance/region/{region}/?period=custom&from=2026-01&to=2026-03&measure={measure}&format=csv"
        )
        row = next(line.split(",") for line in page.content.decode().splitlines() if line.startswith(team.pdu.code))
        expected = report[("pdu", team.pdu.code, measure)]
        assert (int(row[2]), int(row[3])) == (expected["numerator"], expected["denominator"]), measure
    assert report[("national", "national", "initial_contact_order")]["rate"] == 0.5


def test_a_number_leads_to_its_cases_and_each_role_sees_only_its_own_scope(
    client: Client, scenario, national, director, pdu_head, team
) -> None:
    rollups.refresh(rollups.month_starts(*PERIOD))
    cases_url = (
        f"/performance/pdu/{team.pdu.code}/cases/?measure=initial_contact_order&period=custom&from=2026-01&to=2026-01"
    )
    client.force_login(director.user)
    assert client.get(f"/performance/region/{team.pdu.region.code}/").status_code == 200
    listed = client.get(cases_url).content.decode()
    assert "P000001" in listed
    assert "P000002" in listed
    assert "Not met" in listed
    assert client.get("/performance/national/").status_code == 403
    client.force_login(pdu_head.user)
    assert client.get(f"/performance/pdu/{team.pdu.code}/").status_code == 200
    assert client.get(f"/performance/region/{team.pdu.region.code}/").status_code == 403
    client.force_login(national.user)
    page = client.get("/performance/national/?period=custom&from=2026-01&to=2026-03").content.decode()
    assert "last counted" in page
    assert team.pdu.region.name in page


def test_allocation_licence_completion_and_ro_continuity_match_a_hand_count(
    client: Client, officer, colleague, spo, director
) -> None:
    from cases.allocation import services
    from tests.factories import EventFactory

    allocated = case_for(officer, crn="Q000001")  # allocated on its sentence date: on time
    waiting = EventFactory.create(person__pdu=officer.pdu, person__crn="Q000002")  # never allocated
    Event.objects.filter(pk__in=[allocated.pk, waiting.pk]).update(sentence_date=date(2026, 1, 5))
    Allocation.objects.filter(event=allocated).update(from_date=date(2026, 1, 5))
    ledger.refresh_events([allocated.pk, waiting.pk])
    services.allocate(
        event=allocated,
        staff=colleague,
        user=spo.user,
        from_date=date(2026, 1, 20),
        reason="Moved",
        reason_code="caseload_adjustment",
    )
    released = {}
    for crn, reason in [("Q000003", "completed"), ("Q000004", "recalled")]:
        event = case_for(officer, crn=crn)
        Event.objects.filter(pk=event.pk).update(
            type="licence",
            sentence_date=date(2025, 6, 2),
            release_date=date(2025, 9, 1),
            terminated_on=date(2026, 1, 15),
            termination_reason=reason,
        )
        released[crn] = event.pk
    ledger.refresh_events(released.values())
    january = _counted(date(2026, 1, 1), date(2026, 1, 31))
    assert january["ro_allocation"] == (1, 2)  # one allocated on the day; one never (overdue by the 12th)
    assert january["licence_compliance"] == (1, 2)  # one completed; one recalled
    changes, case_days = january["ro_continuity"]
    assert changes == 1  # the move on the 20th; a first allocation is not a change
    assert case_days == 27 + 27 + 15 + 15  # two orders from the 5th; two licences to the 15th
    client.force_login(director.user)
    changes_listed = client.get(
        f"/performance/pdu/{officer.pdu.code}/cases/?measure=ro_continuity&period=month&to=2026-01"
    ).content.decode()
    assert "Q000001" in changes_listed
    assert "Moved" in changes_listed


def test_a_league_table_downloads_as_an_excel_workbook(client: Client, scenario, national, team) -> None:
    import io
    import zipfile

    rollups.refresh(rollups.month_starts(*PERIOD))
    client.force_login(national.user)
    response = client.get(
        f"/performance/region/{team.pdu.region.code}/?period=custom&from=2026-01&to=2026-03&format=xlsx"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = zipfile.ZipFile(io.BytesIO(response.content))
    strings = workbook.read("xl/sharedStrings.xml").decode()
    assert team.pdu.name in strings
    assert "Initial contact: orders" in strings
    assert {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"} <= set(workbook.namelist())


@pytest.mark.django_db
def test_every_timeliness_measure_agrees_with_standards_report_on_the_demo_caseloads() -> None:
    """The measures read the ledger directly; standards_report (INTERCHANGE.md) states each obligation on a
    day. Over the demo's 40-case caseloads, counting met / (met, met late, overdue, missed) from the report gives the
    same numbers, measure by measure."""
    from django.utils import timezone

    from probation.demo import load_demo

    load_demo()
    today = timezone.localdate()
    start, end = date(today.year - 1, today.month, 1), today
    types = {(crn, ref): kind for crn, ref, kind in Event.objects.values_list("person__crn", "ref", "type")}
    expected: dict[str, list[int]] = {}
    for row in ledger.report(today):
        due = date.fromisoformat(row["due_on"])
        if not (start <= due <= end) or row["state"] not in {"met", "met_late", "overdue", "missed"}:
            continue
        for measure, (rule, kinds) in CLOCKS.items():
            if rule == row["rule"] and (kinds is None or types[(row["crn"], row["event"])] in kinds):
                pair = expected.setdefault(measure, [0, 0])
                pair[0] += row["state"] == "met"
                pair[1] += 1
    counted = _counted(start, end)
    assert len(expected) >= 6, sorted(expected)  # the demo exercises most clocks
    for measure, (on_time, counted_due) in expected.items():
        assert counted[measure] == (on_time, counted_due), measure


def test_breach_timeliness_counts_breaches_initiated_on_time(officer, contact_types) -> None:
    """Two failures on Monday 5 January 2026, each answered by a breach (due 10 working days after
    awareness, 19 January): one initiated on the 8th, one on the 30th."""
    from cases.enforcement import services as enforcement
    from cases.models import EnforcementAction

    for crn, initiated in [("B000001", date(2026, 1, 8)), ("B000002", date(2026, 1, 30))]:
        event = case_for(officer, crn=crn)
        visit = book(officer, event, contact_types["office_visit"], datetime(2026, 1, 5, 10, tzinfo=UTC))
        failure = contacts.record_outcome(contact=visit, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
        enforcement.decide(
            event=event,
            user=officer.user,
            kind=EnforcementAction.Kind.BREACH,
            failure=failure,
            on=initiated,
            aware_on=date(2026, 1, 5),
        )
    assert _counted(date(2026, 1, 1), date(2026, 1, 31))["breach_timeliness"] == (1, 2)


def test_a_teams_officers_are_counted_live_and_lead_to_their_cases(client: Client, scenario, director, officer) -> None:
    client.force_login(director.user)
    period = "period=custom&from=2026-01&to=2026-01&measure=initial_contact_order"
    page = client.get(f"/performance/team/{officer.team.code}/?{period}&format=csv").content.decode()
    row = next(line.split(",") for line in page.splitlines() if line.startswith(officer.code))
    assert (row[2], row[3]) == ("1", "2")
    listed = client.get(f"/performance/officer/{officer.code}/cases/?{period}").content.decode()
    assert "P000001" in listed
    assert "P000002" in listed
    assert client.get(f"/performance/team/{officer.team.code}/?{period}").status_code == 200


def test_recall_recall_review_and_transfer_timeliness_match_a_hand_count(officer, spo) -> None:
    """A recall agreed at 09:00 on Monday 2 November 2026 and sent at 15:00 (due the 3rd: on time); back in
    custody on the 4th, its review due on the 24th and not done (overdue today, the 25th). A transfer
    requested on 2 February 2026, due on 2 March, never decided (overdue)."""
    from django.utils import timezone

    from cases.enforcement import services as enforcement
    from cases.transfers import services as transfers
    from tests.factories import PDUFactory

    licence = case_for(officer, crn="R100001")
    Event.objects.filter(pk=licence.pk).update(type=Event.Type.LICENCE, release_date=date(2026, 3, 2))
    licence.refresh_from_db()
    ledger.refresh_events([licence.pk])
    action = enforcement.recall_recommend(event=licence, user=officer.user, recall_type="standard", rationale="Risk")
    EnforcementAction.objects.filter(pk=action.pk).update(on=date(2026, 11, 2))  # recommended that morning
    action.refresh_from_db()
    decided = timezone.make_aware(datetime(2026, 11, 2, 9))
    enforcement.recall_decide(
        action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=decided
    )
    enforcement.recall_requested(
        action=action, user=spo.user, requested_at=timezone.make_aware(datetime(2026, 11, 2, 15))
    )
    enforcement.recall_return(action=action, user=officer.user, returned_on=date(2026, 11, 4))
    order = case_for(officer, crn="R100002")
    elsewhere = PDUFactory.create(region=officer.region)
    transfers.request(event=order, user=officer.user, to_pdu=elsewhere, reason="Moved", on=date(2026, 2, 2))

    november = _counted(date(2026, 11, 1), date(2026, 11, 30))
    assert november["recall_timeliness"] == (1, 1)
    assert november["recall_review_timeliness"] == (0, 1)
    assert _counted(date(2026, 3, 1), date(2026, 3, 31))["transfer_timeliness"] == (0, 1)


def test_licence_home_visit_and_unpaid_work_clocks_match_a_hand_count(officer, contact_types) -> None:
    """A high-RoSH licence released Monday 5 January 2026, seen on the 6th (initial contact due that day:
    on time); no sentence plan by the 26th and no home visit by the 19th. An order sentenced 6 January
    2025 with 120 hours of Unpaid Work and none done by its 12 months (6 January 2026)."""
    from tests.factories import RequirementFactory

    licence = case_for(officer, crn="L100001")
    Event.objects.filter(pk=licence.pk).update(
        type=Event.Type.LICENCE, sentence_date=date(2025, 6, 2), release_date=date(2026, 1, 5)
    )
    licence.person.rosh = "high"
    licence.person.save(update_fields=["rosh"])
    ledger.refresh_events([licence.pk])
    first = book(officer, licence, contact_types["initial_appointment"], datetime(2026, 1, 6, 10, tzinfo=UTC))
    contacts.record_outcome(contact=first, user=officer.user, outcome=Outcome.ATTENDED)
    order = case_for(officer, crn="U100001")
    Event.objects.filter(pk=order.pk).update(sentence_date=date(2025, 1, 6), length_months=24)
    RequirementFactory.create(event=order, type="unpaid_work", hours=120)
    ledger.refresh_events([order.pk])
    january = _counted(date(2026, 1, 1), date(2026, 1, 31))
    assert january["initial_contact_licence"] == (1, 1)
    assert january["sentence_plan_licence"] == (0, 1)
    assert january["home_visit"] == (0, 1)
    assert january["upw_completion"] == (0, 1)

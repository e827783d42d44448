"""Performance figures at every level, drilled through the pages, and fresh within minutes (issue 19): the PDU
page shows what no team holds as its own row and adds up to the region page; every measure offered at a level
opens exactly its rows there (and one not offered answers 404, never 500); dates in labels are never in the
future; a change to a case marks its months stale and the frequent job recounts them (identical to a full
recount), so logging a contact or recording a breach moves the count."""

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.test import Client

from cases import stale_counts
from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import EnforcementAction, Event, Outcome, PerformanceRollup, PerformanceStale
from cases.standards import ledger
from regions import tasks
from regions.performance import rollups
from regions.performance.measures import MEASURES
from regions.performance.views import offered
from tests.cases.test_performance_levels import MONTHS, PERIOD, build, organisation
from tests.factories import EventFactory, book, case_for

# The counts cover the 13 months before today and the facts are dated in 2026: the module runs on 25 November
# 2026 (PROBATION_TEST_TODAY would move "today" away from them).
pytestmark = pytest.mark.today("2026-11-25")

NOVEMBER = date(2026, 11, 1)

PLAN = [  # every kind of case: allocated, unallocated, staff without a team, transferred, reallocated, ended
    {"pdu": 0, "type": "community_order", "start": 200, "holder": 0, "realloc": (30, 2), "transfer": None,
     "contacts": [(3, 0, 0), (40, 1, 5), (70, 2, 1)], "end": (100, True)},
    {"pdu": 0, "type": "community_order", "start": 150, "holder": None, "realloc": None, "transfer": None,
     "contacts": [(10, 3, 4)], "end": None},
    {"pdu": 0, "type": "licence", "start": 120, "holder": 4, "realloc": None, "transfer": (20, 1, True),
     "contacts": [(2, 0, 0), (50, 0, 3)], "end": (60, False)},
    {"pdu": 1, "type": "suspended_sentence_order", "start": 100, "holder": 1, "realloc": None,
     "transfer": (10, 1, False), "contacts": [(1, 0, 0)], "end": None},
    {"pdu": 2, "type": "licence", "start": 90, "holder": 3, "realloc": (5, 0), "transfer": None,
     "contacts": [(8, 0, 0), (9, 2, 0)], "end": (40, True)},
    {"pdu": 1, "type": "community_order", "start": 60, "holder": 0, "realloc": None, "transfer": None,
     "contacts": [], "end": None},
]  # fmt: skip


def _csv(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def _opened(client: Client, url: str) -> tuple[int, int | None]:
    """The rows a number opens, and how many of them its numerator counts (from the page's own count line)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    found = re.search(r'data-testid="count"><strong>(\d+)</strong> counted(?:, <strong>(\d+)</strong>)?', page)
    if found is None:
        assert "No cases you may see were counted" in page, url
        return 0, 0
    body = page.split('data-testid="cases"')[1].split("<tbody")[1].split("</tbody>")[0]
    rows = body.count('<tr class="govuk-table__row">')
    assert rows == min(int(found[1]), 50), url  # a page of at most 50
    return int(found[1]), int(found[2]) if found[2] is not None else None


def _workbook_counts(response) -> list[tuple[int, int]]:
    """The league sheet's Met and Out of columns (C and D), from row 4 on."""
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    found = dict(re.findall(r'<c r="([CD]\d+)"[^>]*><v>(\d+)</v></c>', sheet))
    rows = sorted({int(ref[1:]) for ref in found if int(ref[1:]) >= 4})
    return [(int(found[f"C{n}"]), int(found[f"D{n}"])) for n in rows]


@pytest.fixture
def world(db, contact_types):
    org = organisation()
    build(org, PLAN, contact_types["office_visit"])
    rollups.refresh(MONTHS)
    return org


def test_the_pdu_page_keeps_unallocated_cases_in_a_row_of_their_own(client: Client, world, national) -> None:
    """The reported bug: the region page counted a PDU's unallocated cases and its own page left them out."""
    client.force_login(national.user)
    pdu = world.pdus[0]
    measure = "initial_contact_order"
    region_row = next(
        r for r in _csv(client, f"/performance/region/N/?{PERIOD}&measure={measure}&format=csv") if r[0] == pdu.code
    )
    teams = _csv(client, f"/performance/pdu/{pdu.code}/?{PERIOD}&measure={measure}&format=csv")
    rest = [r for r in teams if r[0] == ""]
    assert rest
    assert rest[0][1] == "No team: unallocated cases and staff without a team"
    assert int(rest[0][3]) > 0  # the unallocated order and the one held by staff without a team
    assert sum(int(r[3]) for r in teams) == int(region_row[3])
    assert sum(int(r[2]) for r in teams) == int(region_row[2])
    workbook = _workbook_counts(client.get(f"/performance/pdu/{pdu.code}/?{PERIOD}&measure={measure}&format=xlsx"))
    assert workbook == [(int(r[2]), int(r[3])) for r in teams]  # the Excel download: the same rows
    page = client.get(f"/performance/pdu/{pdu.code}/?{PERIOD}&measure={measure}").content.decode()
    assert 'data-testid="rest"' in page
    summary = page.split('data-testid="summary"')[1]
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{region_row[3]}</td>' in summary


def test_every_measure_opens_exactly_its_rows_at_every_level(client: Client, world, national) -> None:
    client.force_login(national.user)
    walked = 0
    for region in world.regions:
        for m in offered("pdu"):
            for code, _name, numerator, denominator, *_ in _csv(
                client, f"/performance/region/{region.code}/?{PERIOD}&measure={m.name}&format=csv"
            ):
                rows, met = _opened(client, f"/performance/pdu/{code}/cases/?{PERIOD}&measure={m.name}")
                expected = (int(numerator), None) if m.name == "ro_continuity" else (int(denominator), int(numerator))
                assert (rows, met) == expected, (code, m.name)
                walked += 1
    pdu = world.pdus[0]
    team = pdu.teams.order_by("code").first()
    for m in offered("team"):
        for code, _name, numerator, denominator, *_ in _csv(
            client, f"/performance/pdu/{pdu.code}/?{PERIOD}&measure={m.name}&format=csv"
        ):
            where = f"/performance/team/{code}/cases/" if code else f"/performance/pdu/{pdu.code}/cases/"
            rows, met = _opened(client, f"{where}?{PERIOD}&measure={m.name}{'' if code else '&team=none'}")
            assert (rows, met) == (int(denominator), int(numerator)), (code, m.name)
            walked += 1
        for code, _name, numerator, denominator, *_ in _csv(
            client, f"/performance/team/{team.code}/?{PERIOD}&measure={m.name}&format=csv"
        ):
            if not code:
                continue  # officers no longer in the team: counted, listed at the team's level
            rows, met = _opened(client, f"/performance/officer/{code}/cases/?{PERIOD}&measure={m.name}")
            assert (rows, met) == (int(denominator), int(numerator)), (code, m.name)
            walked += 1
    assert walked > 60
    officer = team.staff.order_by("code").first()
    for m in MEASURES.values():
        if m not in offered("team"):  # counted for whole PDUs only: not offered for a team or an officer
            for url in [f"/performance/team/{team.code}/cases/", f"/performance/officer/{officer.code}/cases/"]:
                assert client.get(f"{url}?{PERIOD}&measure={m.name}").status_code == 404
            page = client.get(f"/performance/team/{team.code}/?{PERIOD}").content.decode()
            assert f'value="{m.name}"' not in page


def test_a_date_in_a_label_is_never_in_the_future(client: Client, world, national) -> None:
    client.force_login(national.user)
    page = client.get(
        f"/performance/pdu/{world.pdus[0].code}/cases/?period=custom&from=2026-10&to=2026-12&measure=monthly_contact"
    ).content.decode()
    assert "31 December 2026" not in page
    assert "as the ledger holds it on 25 November 2026" in page
    assert "Not yet due" not in page
    # November's face-to-face contacts fall due on the 30th: not counted, and said so beside the list
    assert re.search(r'data-testid="pending">Not counted: \d+ more fall', page)


def _rows() -> list[tuple]:
    return sorted(
        PerformanceRollup.objects.values_list(
            "month", "measure", "pdu_id", "team_id", "pdu_total", "numerator", "denominator"
        ),
        key=repr,
    )


def test_a_change_marks_its_months_stale_and_the_frequent_job_recounts_them_as_a_full_recount_would(
    world, national, contact_types
) -> None:
    event = Event.objects.filter(terminated_on__isnull=True, allocations__isnull=False).order_by("person__crn")[0]
    officer = event.allocations.order_by("-from_date")[0].staff
    assert not PerformanceStale.objects.exists()  # the full recount cleared every mark
    contacts.log_contact(
        event=event,
        user=national.user,
        type=contact_types["office_visit"],
        starts_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        staff=officer,
        outcome=Outcome.ATTENDED,
    )
    # November's visit (and the month of an earlier obligation it met late, if any): only the months it changed
    marked = set(PerformanceStale.objects.values_list("month", flat=True))
    assert NOVEMBER in marked
    assert len(marked) <= 2, marked
    assert tasks.performance_recount() > 0
    assert not PerformanceStale.objects.exists()  # the next run always clears the marks it found
    incremental = _rows()
    rollups.refresh(MONTHS)
    assert _rows() == incremental
    assert tasks.performance_recount() == 0  # nothing stale: nothing done


def test_a_mark_made_while_the_recount_runs_is_kept_for_the_next_run(world) -> None:
    stale_counts.mark({NOVEMBER})
    counting = rollups.count

    def meanwhile(*args, **kwargs):
        stale_counts.mark({NOVEMBER})  # a change committed while the month is being counted
        return counting(*args, **kwargs)

    with mock.patch.object(rollups, "count", meanwhile):
        rollups.recount_stale()
    assert PerformanceStale.objects.filter(month=NOVEMBER).exists()
    rollups.recount_stale()
    assert not PerformanceStale.objects.exists()


def _figure(measure: str, month: date, **within) -> tuple[int, int]:
    return rollups.figures(month, month, "national").get(None, {}).get(measure, (0, 0))


def test_logging_a_contact_moves_the_count_once_the_frequent_job_runs(officer, contact_types) -> None:
    event = case_for(officer, crn="F000001")
    rollups.refresh([NOVEMBER])
    before = _figure("appointments_attended", NOVEMBER)
    contacts.log_contact(
        event=event,
        user=officer.user,
        type=contact_types["office_visit"],
        starts_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
        staff=officer,
        outcome=Outcome.ATTENDED,
    )
    assert _figure("appointments_attended", NOVEMBER) == before  # counted, not yet recounted
    tasks.performance_recount()
    assert _figure("appointments_attended", NOVEMBER) == (before[0] + 1, before[1] + 1)


@pytest.mark.today("2026-01-30")
def test_recording_a_breach_moves_the_count_once_the_frequent_job_runs(officer, contact_types) -> None:
    """A failure on Monday 5 January 2026; the breach, due 10 working days after (the 19th), is overdue until
    it is recorded late on the 30th: the count moves from 0 of 1 to ... still 0 of 1, met late, and a second,
    initiated on time, moves it to 1 of 2."""
    january = date(2026, 1, 1)
    first, second = case_for(officer, crn="B000001"), case_for(officer, crn="B000002")
    failures = []
    for event in (first, second):
        visit = book(officer, event, contact_types["office_visit"], datetime(2026, 1, 5, 10, tzinfo=UTC))
        failures.append(contacts.record_outcome(contact=visit, user=officer.user, outcome=Outcome.UNACCEPTABLE_ABSENCE))
    rollups.refresh([january])
    PerformanceStale.objects.all().delete()
    assert _figure("breach_timeliness", january) == (0, 0)  # no breach decided: nothing due yet
    enforcement.decide(
        event=first, user=officer.user, kind=EnforcementAction.Kind.BREACH, failure=failures[0], on=date(2026, 1, 8),
        aware_on=date(2026, 1, 5),
    )  # fmt: skip
    enforcement.decide(
        event=second, user=officer.user, kind=EnforcementAction.Kind.BREACH, failure=failures[1], on=date(2026, 1, 30),
        aware_on=date(2026, 1, 5),
    )  # fmt: skip
    assert january in set(PerformanceStale.objects.values_list("month", flat=True))
    tasks.performance_recount()
    assert _figure("breach_timeliness", january) == (1, 2)


def test_a_met_late_obligation_belongs_to_the_pdu_holding_it_on_its_due_date(officer, contact_types) -> None:
    """Sentenced 5 January 2026 (initial appointment due the 12th), seen late on the 14th by the receiving PDU.
    Transferred on the 10th, the receiving PDU held it on its due date: the late contact is its. Transferred on
    the 13th, the first PDU held it on the 12th: the late contact stays the first PDU's, although the receiving
    PDU met it."""
    from cases.models import Allocation, Obligation, Transfer
    from tests.factories import PDUFactory, StaffMemberFactory, TeamFactory

    elsewhere = PDUFactory.create(code="ELSE", region=officer.pdu.region)
    receiver = StaffMemberFactory.create(team=TeamFactory.create(pdu=elsewhere))
    held = {}
    for crn, moved in [("T000001", date(2026, 1, 10)), ("T000002", date(2026, 1, 13))]:
        event = EventFactory.create(person__pdu=officer.pdu, person__crn=crn, sentence_date=date(2026, 1, 5))
        Allocation.objects.create(
            event=event, staff=officer, from_date=date(2026, 1, 5), to_date=moved.replace(day=moved.day - 1)
        )
        Allocation.objects.create(event=event, staff=receiver, from_date=moved)
        Transfer.objects.create(
            event=event, from_pdu=officer.pdu, to_pdu=elsewhere, reason="Moved", requested_on=date(2026, 1, 6),
            status=Transfer.Status.COMPLETED, decided_on=moved,
        )  # fmt: skip
        Event.objects.filter(pk=event.pk).update(pdu=elsewhere)
        book(receiver, event, contact_types["initial_appointment"], datetime(2026, 1, 14, 10, tzinfo=UTC))
        ledger.refresh_events([event.pk])
        contacts.record_outcome(contact=event.contacts.get(), user=officer.user, outcome=Outcome.ATTENDED)
        o = Obligation.objects.get(event=event, rule="initial_appointment")
        assert (o.due_on, o.met_on) == (date(2026, 1, 12), date(2026, 1, 14))
        held[crn] = (o.pdu_id, o.officer_id)
    assert held["T000001"] == (elsewhere.pk, receiver.pk)
    assert held["T000002"] == (officer.pdu_id, officer.pk)
    report = {(r["scope"], r["code"], r["measure"]): r for r in rollups.report(date(2026, 1, 1), date(2026, 1, 31))}
    assert (
        report[("pdu", "ELSE", "initial_contact_order")]["numerator"],
        report[("pdu", "ELSE", "initial_contact_order")]["denominator"],
    ) == (0, 1)
    mine = report[("pdu", officer.pdu.code, "initial_contact_order")]
    assert (mine["numerator"], mine["denominator"]) == (0, 1)


def test_a_programme_completed_marks_its_month_and_the_frequent_job_counts_it(community_order, officer) -> None:
    from interventions.programmes import services as programmes
    from tests.factories import RequirementFactory

    tsp = RequirementFactory.create(event=community_order, type="accredited_programme", hours=None, programme="TSP")
    for name, on in [("referred", date(2026, 6, 1)), ("eligible", date(2026, 6, 1)), ("started", date(2026, 6, 8))]:
        programmes.advance(requirement=tsp, user=officer.user, step=name, on=on)
    programmes.log_session(requirement=tsp, user=officer.user, day=date(2026, 6, 8), attendance="attended")
    rollups.refresh(MONTHS)
    assert _figure("programme_completion", date(2026, 10, 1)) == (0, 0)
    programmes.advance(requirement=tsp, user=officer.user, step="completed", on=date(2026, 10, 12))
    assert date(2026, 10, 1) in set(PerformanceStale.objects.values_list("month", flat=True))
    tasks.performance_recount()
    assert _figure("programme_completion", date(2026, 10, 1)) == (1, 1)

"""Fair to small units (issue 19): every rate with its 95% interval and counts, league tables in bands, RAG by
the interval, the same in the downloads; the outliers view (who may need support, by peers with the same kind
of caseload); kpi_report counts as the ledger holds them after the sweep on the later of --to and today."""

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Allocation, Event, Obligation, Outcome, PerformanceRollup
from cases.standards import ledger
from probation.roles import Role
from regions.models import PDU, StaffMember, Team
from regions.performance import counting, rollups
from tests.factories import (
    AllocationFactory,
    EventFactory,
    PDUFactory,
    StaffMemberFactory,
    TeamFactory,
    book,
    case_for,
)

OCTOBER = "period=month&to=2026-10"


def _rollup(pdu: PDU, numerator: int, denominator: int, measure: str = "ro_allocation") -> None:
    PerformanceRollup.objects.create(
        month=date(2026, 10, 1),
        measure=measure,
        pdu=pdu,
        pdu_total=True,
        numerator=numerator,
        denominator=denominator,
        refreshed_at=timezone.now(),
    )


@pytest.fixture
def three_pdus(team: Team) -> dict[str, PDU]:
    """In the North East: a big PDU (144 of 150 allocated on time), a tiny one (2 of 3) and a middling one
    (80 of 100), October 2026."""
    region = team.pdu.region
    pdus = {
        "big": team.pdu,
        "tiny": PDUFactory.create(code="NE-TNY", name="Tiny", region=region),
        "mid": PDUFactory.create(code="NE-MID", name="Middling", region=region),
    }
    for key, (n, d) in {"big": (144, 150), "tiny": (2, 3), "mid": (80, 100)}.items():
        _rollup(pdus[key], n, d)
    return pdus


def _rows(page: str) -> dict[str, str]:
    rows: dict[str, str] = {}
    for chunk in page.split('<tr class="govuk-table__row" data-code="')[1:]:
        code, rest = chunk.split('"', 1)
        rows[code] = rest.split("</tr>", 1)[0]
    return rows


def test_the_league_shows_intervals_bands_and_status_by_the_interval(client: Client, three_pdus, director) -> None:
    client.force_login(director.user)
    page = client.get(f"/performance/region/NE/?{OCTOBER}&measure=ro_allocation").content.decode()
    assert "95% interval" in page
    assert "Units are shown in bands, not ranked one by one" in page
    rows = _rows(page)
    big, tiny, mid = rows["NE-TYN"], rows["NE-TNY"], rows["NE-MID"]
    assert "91.5% to 98.2%" in big
    assert "20.8% to 93.9%" in tiny  # 2 of 3: wide
    assert "71.1% to 86.7%" in mid
    band = '<td class="govuk-table__cell govuk-table__cell--numeric" data-testid="band">'
    assert f"{band}1</td>" in big
    assert f"{band}1</td>" in tiny  # the lowest value, but not ranked below the best for one miss in three
    assert f"{band}2</td>" in mid  # clearly below the best
    assert "Clearly above target" in big
    assert "Not clearly different from target" in tiny
    assert "Clearly below target" in mid
    assert ">Rank<" not in page
    summary = page.split('data-testid="summary"', 1)[1]
    assert "84.9% to 92.6%" in summary  # the region's 226 of 253, beside the value in the every-measure table


def test_the_downloads_carry_the_interval_band_and_status(client: Client, three_pdus, director) -> None:
    client.force_login(director.user)
    url = f"/performance/region/NE/?{OCTOBER}&measure=ro_allocation"
    header, *rows = list(csv.reader(io.StringIO(client.get(url + "&format=csv").content.decode())))
    assert header[:8] == ["code", "name", "numerator", "denominator", "value", "band", "previous", "recording_lag"]
    assert header[8:11] == ["lower_95", "upper_95", "against_target"]  # then the recorded-late columns
    by_code = {row[0]: row for row in rows}
    assert by_code["NE-TNY"][2:6] == ["2", "3", str(2 / 3), "1"]
    assert [round(float(v), 4) for v in by_code["NE-TNY"][8:10]] == [0.2077, 0.9385]
    assert by_code["NE-TNY"][10] == "within"
    assert (by_code["NE-TYN"][5], by_code["NE-TYN"][10]) == ("1", "above")
    assert (by_code["NE-MID"][5], by_code["NE-MID"][10]) == ("2", "below")

    book = zipfile.ZipFile(io.BytesIO(client.get(url + "&format=xlsx").content))
    strings = book.read("xl/sharedStrings.xml").decode()
    for heading in ["Band", "95% interval from", "95% interval to", "Against target (by the interval)", "within"]:
        assert f">{heading}<" in strings
    assert "Units are shown in bands" in strings
    assert "<t>Rank</t>" not in strings


# The outliers view ------------------------------------------------------------------------------------------


def _officer(team: Team, code: str) -> StaffMember:
    return StaffMemberFactory.create(team=team, code=code, name=f"Officer {code}")


def _order(officer: StaffMember, kinds: dict[str, Any], sentenced: date, seen: date | None) -> Event:
    """A community order the officer holds from its sentence date, its initial appointment kept on `seen`
    (through the services, so the ledger holds what the facts derive)."""
    assert officer.user is not None
    event = case_for(officer)
    Event.objects.filter(pk=event.pk).update(sentence_date=sentenced)
    Allocation.objects.filter(event=event).update(from_date=sentenced)
    ledger.refresh_events([event.pk])
    if seen is not None:
        first = book(
            officer, event, kinds["initial_appointment"], datetime(seen.year, seen.month, seen.day, 10, tzinfo=UTC)
        )
        contacts.record_outcome(contact=first, user=officer.user, outcome=Outcome.ATTENDED)
    return event


def _initial_contacts(officer: StaffMember, kinds: dict[str, Any], met: int, due: int, sentenced: date) -> None:
    """`due` community orders sentenced on one day, the first `met` of them seen two days later (on time)."""
    for n in range(due):
        _order(officer, kinds, sentenced, sentenced + timedelta(days=2) if n < met else None)


MONDAY_5_OCTOBER = date(2026, 10, 5)


@pytest.fixture
def support(team: Team, contact_types) -> dict[str, StaffMember]:
    """Tyneside's teams in October 2026, initial contact on orders. Community caseloads: team 1 (A1, 1 of 10),
    team 2 (B1, 0 of 6; B2, 6 of 6), team 3 (C1, 9 of 10; C2, a small caseload, 1 of 3). Team 4's D1 holds
    mostly licences (three, and one order, not seen): no peers with that kind of caseload."""
    pdu = team.pdu
    teams = [team] + [TeamFactory.create(pdu=pdu, code=f"NE-TYN-T{n}", name=f"Tyneside Team {n}") for n in (2, 3, 4)]
    officers = {
        code: _officer(teams[index], code)
        for code, index in {"A1": 0, "B1": 1, "B2": 1, "C1": 2, "C2": 2, "D1": 3}.items()
    }
    counts = {"A1": (1, 10), "B1": (0, 6), "B2": (6, 6), "C1": (9, 10), "C2": (1, 3), "D1": (0, 1)}
    for code, (met, due) in counts.items():
        _initial_contacts(officers[code], contact_types, met, due, MONDAY_5_OCTOBER)
    for _ in range(3):
        AllocationFactory.create(
            event=EventFactory.create(person__pdu=pdu, type=Event.Type.LICENCE, release_date=date(2025, 12, 19)),
            staff=officers["D1"],
        )
    _initial_contacts(officers["A1"], contact_types, 0, 2, date(2026, 8, 3))  # August: the trend shows it
    rollups.refresh(rollups.month_starts(date(2026, 5, 1), date(2026, 10, 1)))
    return officers


def _cards(page: str) -> list[str]:
    return [chunk.split('"', 1)[0] for chunk in page.split('data-testid="outlier" data-code="')[1:]]


def test_teams_and_officers_clearly_below_their_peers_are_listed_with_counts_trend_and_cases(
    client: Client, support, pdu_head, django_assert_max_num_queries
) -> None:
    client.force_login(pdu_head.user)
    with django_assert_max_num_queries(21):
        response = client.get(f"/performance/pdu/NE-TYN/outliers/?{OCTOBER}&measure=initial_contact_order")
    assert response.status_code == 200
    page = response.content.decode()
    assert _cards(page) == ["NE-TYN-T1", "A1", "B1"]  # not C2 (1 of 3), not team 4 or D1 (no licence peers)
    assert "may need support" in page
    assert "Tyneside Team 1 may need support" in page
    team_card = page.split('data-code="NE-TYN-T1"', 1)[1].split('data-testid="outlier"', 1)[0]
    assert "10.0%: 1 of 10 (95% interval 1.8% to 40.4%)" in team_card
    assert "64.0%: 16 of 25, 2 other teams with the same kind of caseload" in team_card
    assert "Mostly community and suspended orders" in team_card
    assert (
        "/performance/team/NE-TYN-T1/cases/?period=month&amp;to=2026-10&amp;measure=initial_contact_order" in team_card
    )
    trend = team_card.split('data-testid="outlier-trend"', 1)[1]
    assert [m in trend for m in ["May 2026", "Aug 2026", "Oct 2026"]] == [True, True, True]
    assert 'Aug 2026</th><td class="govuk-table__cell govuk-table__cell--numeric">0.0%</td>' in trend
    officer_card = page.split('data-code="B1"', 1)[1]
    assert "0.0%: 0 of 6" in officer_card
    assert "/performance/officer/B1/cases/" in officer_card
    assert "Officer B1, Tyneside Team 2 may need support" in officer_card


def test_the_outliers_view_runs_the_same_queries_however_many_units(
    client: Client, support, pdu_head, contact_types, django_assert_max_num_queries
) -> None:
    client.force_login(pdu_head.user)
    url = f"/performance/pdu/NE-TYN/outliers/?{OCTOBER}&measure=initial_contact_order"
    with django_assert_max_num_queries(21) as small:
        client.get(url)
    pdu = support["A1"].team.pdu
    for n in range(5, 8):
        extra = TeamFactory.create(pdu=pdu, code=f"NE-TYN-X{n}", name=f"Extra {n}")
        for m in range(2):
            _initial_contacts(_officer(extra, f"X{n}-{m}"), contact_types, 0, 4, MONDAY_5_OCTOBER)
    rollups.refresh([date(2026, 10, 1)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert {"NE-TYN-X5", "NE-TYN-X6", "NE-TYN-X7"} <= set(_cards(page))  # more units, no more queries


def test_the_outliers_view_is_for_those_who_may_see_the_unit(
    client: Client, support, pdu_head, director, national, officer
) -> None:
    url = "/performance/pdu/NE-TYN/outliers/?measure=initial_contact_order"
    client.force_login(officer.user)
    assert client.get(url).status_code == 403
    client.force_login(pdu_head.user)
    assert client.get(url).status_code == 200
    assert client.get("/performance/region/NE/outliers/").status_code == 403
    assert client.get("/performance/team/NE-TYN-T1/outliers/").status_code == 404
    assert client.get("/performance/pdu/NOPE/outliers/").status_code == 404
    other = PDUFactory.create(code="NW-LIV", name="Liverpool")
    assert client.get(f"/performance/pdu/{other.code}/outliers/").status_code == 403
    client.force_login(director.user)
    region = client.get(f"/performance/region/NE/outliers/?{OCTOBER}&measure=initial_contact_order")
    assert region.status_code == 200
    assert _cards(region.content.decode()) == ["NE-TYN-T1", "A1", "B1"]
    assert client.get(f"/performance/region/{other.region.code}/outliers/").status_code == 403
    head_of_other = StaffMemberFactory.create(
        team=None, pdu=other, grade=StaffMember.Grade.HEAD_OF_PDU, user__username="other", user__roles=[Role.PDU_HEAD]
    )
    assert head_of_other.user is not None
    client.force_login(head_of_other.user)
    assert client.get(url).status_code == 403
    client.force_login(national.user)
    assert client.get(url).status_code == 200


def test_the_region_and_pdu_pages_link_to_who_may_need_support(client: Client, support, director) -> None:
    client.force_login(director.user)
    for url in ["/performance/region/NE/", "/performance/pdu/NE-TYN/"]:
        page = client.get(url + "?measure=monthly_contact").content.decode()
        assert "Teams and officers who may need support on monthly face-to-face contact" in page
        assert "/outliers/?measure=monthly_contact" in page


# kpi_report: the later of --to and today --------------------------------------------------------------------


def _report(start: str, end: str) -> tuple[int, int]:
    out = StringIO()
    call_command("kpi_report", "--from", start, "--to", end, stdout=out)
    rows = json.loads(out.getvalue())
    found = next(r for r in rows if (r["scope"], r["measure"]) == ("national", "initial_contact_order"))
    return found["numerator"], found["denominator"]


@pytest.mark.today("2026-11-25")  # as its docstring says
def test_kpi_report_counts_after_the_sweep_on_a_to_still_to_come(officer, contact_types) -> None:
    """Today is 25 November 2026. An initial appointment due after today and not kept: after the sweep on 31
    December it is overdue, so a report to 31 December counts it; the pages (the ledger today) do not, yet."""
    _order(officer, contact_types, date(2026, 11, 23), None)
    _order(officer, contact_types, date(2026, 11, 2), date(2026, 11, 4))
    due = Obligation.objects.get(rule="initial_appointment", due_on__gt=date(2026, 11, 25)).due_on
    assert _report("2026-11-01", "2026-12-31") == (1, 2)
    assert _report("2026-11-01", due.isoformat()) == (1, 1)  # after the sweep on its due date: not yet overdue
    live = [r for r in counting.count(date(2026, 11, 1), date(2026, 12, 31)) if r[0] == "initial_contact_order"]
    assert sum(r[4] for r in live) == 1


def test_kpi_report_counts_as_the_ledger_holds_them_today_for_a_to_past(officer, contact_types) -> None:
    """An initial appointment kept three days after its due date (met late, before today): on its due date it
    was not yet overdue, today it is met late, and a report to its due date counts it as today's ledger does."""
    event = _order(officer, contact_types, date(2026, 10, 26), None)
    due = Obligation.objects.get(event=event, rule="initial_appointment").due_on
    late = due + timedelta(days=3)
    first = book(
        officer, event, contact_types["initial_appointment"], datetime(late.year, late.month, late.day, 10, tzinfo=UTC)
    )
    contacts.record_outcome(contact=first, user=officer.user, outcome=Outcome.ATTENDED)
    assert Obligation.objects.get(event=event, rule="initial_appointment").state == "met_late"
    assert _report("2026-10-01", due.isoformat()) == (0, 1)


@pytest.mark.parametrize("measure", ["initial_contact_order", "recording_lag", "appointments_attended"])
def test_the_outliers_view_of_a_pdu_with_no_teams_lists_none(client: Client, national, measure: str) -> None:
    """A PDU with no teams yet has nobody to compare: the view says so, for a measure counted from the ledger
    and for those counted from the contacts."""
    empty = PDUFactory.create(code="NW-NEW", name="New PDU")
    assert counting.officers_on(measure, date(2026, 11, 1), date(2026, 11, 30), []) == {}
    client.force_login(national.user)
    response = client.get(f"/performance/pdu/{empty.code}/outliers/?measure={measure}")
    assert response.status_code == 200
    assert _cards(response.content.decode()) == []

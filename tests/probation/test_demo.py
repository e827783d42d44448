import re
from datetime import date, time
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client
from django.utils import timezone

from cases.models import (
    AccessRule,
    Allocation,
    Contact,
    EnforcementAction,
    Event,
    Obligation,
    Outcome,
    PerformanceRollup,
    Person,
    PlanReview,
    SentencePlan,
    Transfer,
)
from cases.models.person import Rosh
from cases.standards.calendar import bank_holidays
from probation.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from probation.roles import Role
from regions.models import PDU, Region, StaffMember, Team


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing() -> None:
    load_demo()
    counts = (Region.objects.count(), PDU.objects.count(), Team.objects.count(), StaffMember.objects.count())
    load_demo()
    assert (Region.objects.count(), PDU.objects.count(), Team.objects.count(), StaffMember.objects.count()) == counts
    assert counts[0] >= 2


@pytest.mark.django_db
def test_there_is_one_demo_login_per_role_and_each_reaches_its_home(client: Client) -> None:
    load_demo()
    assert {login.role for login in DEMO_LOGINS} == set(Role)
    for login in DEMO_LOGINS:
        assert authenticate(username=login.username, password=DEMO_PASSWORD) is not None
        client.logout()
        response = client.post("/sign-in/", {"username": login.username, "password": DEMO_PASSWORD}, follow=True)
        assert response.status_code == 200, login.username
        assert "Your account is not linked" not in response.content.decode(), login.username


@pytest.mark.today("2028-02-29")
@pytest.mark.django_db
def test_the_demo_loads_on_29_february() -> None:
    """The performance history starts a year back, on the first of that month: 29 February 2028 has no
    29 February 2027 to count from (`make run` on a leap day once stopped here)."""
    load_demo()
    months = set(PerformanceRollup.objects.values_list("month", flat=True))
    assert min(months) >= date(2027, 2, 1)
    assert max(months) == date(2028, 2, 1)


@pytest.mark.django_db
def test_the_demo_is_an_organisation_a_real_team_would_recognise() -> None:
    """Loaded once (it takes a while), then looked at from every side."""
    load_demo()
    _spans_two_regions_with_several_pdus_teams_and_grades()
    _no_appointment_on_a_weekend_or_bank_holiday_or_outside_office_hours()
    _tiers_follow_rosh_and_officers_hold_cases_their_grade_may()
    _history_a_team_would_recognise()


@pytest.mark.django_db
def test_the_demo_logins_see_a_transfer_to_accept_and_league_tables(client: Client) -> None:
    load_demo()
    _the_receiving_spo_opens_the_transfer_waiting_for_them(client)
    _the_league_tables_have_a_row_per_pdu_and_region(client)
    _the_command_prints_every_login_with_its_role_and_place()


def _spans_two_regions_with_several_pdus_teams_and_grades() -> None:
    """Two regions, one of them with two PDUs; every PDU with at least two teams, an SPO per team and a head;
    a director per region; officers of both grades with caseloads of about 30 to 40."""
    regions = Region.objects.all()
    assert regions.count() >= 2
    assert max(region.pdus.count() for region in regions) >= 2
    for region in regions:
        assert StaffMember.objects.filter(region=region, grade=StaffMember.Grade.REGIONAL_DIRECTOR).exists()
    for pdu in PDU.objects.all():
        assert pdu.teams.count() >= 2, pdu.code
        assert StaffMember.objects.filter(pdu=pdu, team=None, grade=StaffMember.Grade.HEAD_OF_PDU).exists()
        for team in pdu.teams.all():
            assert StaffMember.objects.filter(team=team, grade=StaffMember.Grade.SPO).exists(), team.code
        grades = set(StaffMember.objects.filter(pdu=pdu).values_list("grade", flat=True))
        assert {StaffMember.Grade.PO, StaffMember.Grade.PSO} <= grades, pdu.code
    caseloads = (
        Allocation.objects.current()
        .filter(event__terminated_on=None)
        .values("staff", "staff__contracted_hours")
        .annotate(cases=Count("id"))
    )
    for row in caseloads:
        if row["staff__contracted_hours"] == 37:
            assert 20 <= row["cases"] <= 45, row
    assert Event.objects.filter(allocations=None, terminated_on=None).values("pdu").distinct().count() == (
        PDU.objects.count()
    )  # new cases for the SPOs to allocate, in every PDU


def _no_appointment_on_a_weekend_or_bank_holiday_or_outside_office_hours() -> None:
    moments = list(Contact.objects.values_list("starts_at", flat=True))
    assert len(moments) > 1000
    holidays = bank_holidays(2020, 2030)
    for moment in moments:
        local = timezone.localtime(moment)
        assert local.weekday() < 5, local
        assert local.date() not in holidays, local
        assert time(9) <= local.time() <= time(16, 30), local


def _tiers_follow_rosh_and_officers_hold_cases_their_grade_may() -> None:
    letters = {Rosh.VERY_HIGH: "AB", Rosh.HIGH: "AB", Rosh.MEDIUM: "BC", Rosh.LOW: "CD"}
    people = list(Person.objects.values_list("crn", "rosh", "tier"))
    assert {rosh for _, rosh, _ in people} == set(Rosh)
    for crn, rosh, tier in people:
        assert tier[0] in letters[Rosh(rosh)], (crn, rosh, tier)
    pso_high = Allocation.objects.current().filter(
        staff__grade=StaffMember.Grade.PSO, event__person__rosh__in=[Rosh.HIGH, Rosh.VERY_HIGH]
    )
    assert not pso_high.exists()


def _history_a_team_would_recognise() -> None:
    """Ends with reasons, plans on time, late and pending, warnings, breaches and recalls, absences of every
    kind, transfers at every stage between PDUs of different regions, and one restricted case."""
    ended = Event.objects.exclude(terminated_on=None)
    reasons = set(ended.values_list("termination_reason", flat=True))
    assert Event.TerminationReason.COMPLETED in reasons
    assert len(reasons - {Event.TerminationReason.COMPLETED}) >= 4, reasons
    assert not ended.filter(termination_reason="").exists()
    assert not ended.exclude(termination_reason=Event.TerminationReason.COMPLETED).filter(termination_note="").exists()
    assert Event.objects.filter(terminated_on=None).count() > 3 * ended.count()  # most sentences are running

    assert SentencePlan.objects.filter(status=SentencePlan.Status.DRAFT).exists()
    late = Obligation.objects.filter(rule="initial_sentence_plan", state="met_late").count()
    on_time = Obligation.objects.filter(rule="initial_sentence_plan", state="met").count()
    assert 0 < late < on_time / 3
    assert PlanReview.objects.exists()

    actions = EnforcementAction.objects.all()
    warnings, breaches = actions.filter(kind="warning").count(), actions.filter(kind="breach").count()
    assert 0 < breaches < warnings
    assert actions.filter(kind="professional_judgement").exists()
    assert actions.filter(kind="recall", decision="agreed").exclude(requested_at=None).exists()
    assert actions.filter(kind="recall", decision="").exists()  # recommended, waiting for the SPO
    outcomes = set(Contact.objects.values_list("outcome", flat=True))
    assert {
        Outcome.ACCEPTABLE_ABSENCE,
        Outcome.UNACCEPTABLE_ABSENCE,
        Outcome.AWAITING_EVIDENCE,
        Outcome.FAILED_TO_COMPLY,
    } <= outcomes
    failures = Contact.objects.filter(outcome__in=[Outcome.UNACCEPTABLE_ABSENCE, Outcome.FAILED_TO_COMPLY]).count()
    assert failures < Contact.objects.filter(outcome=Outcome.ATTENDED).count() / 10

    statuses = set(Transfer.objects.values_list("status", flat=True))
    assert statuses == {Transfer.Status.REQUESTED, Transfer.Status.COMPLETED, Transfer.Status.REJECTED}
    assert Transfer.objects.exclude(from_pdu__region=F("to_pdu__region")).exists()
    for transfer in Transfer.objects.filter(status=Transfer.Status.COMPLETED).select_related("event"):
        assert transfer.event.pdu_id == transfer.to_pdu_id
        assert transfer.event.allocations.get(to_date=None).staff.pdu_id == transfer.to_pdu_id
    assert Person.objects.exclude(access_contact="").filter(access_rules__kind=AccessRule.Kind.RESTRICTION).exists()


def _the_receiving_spo_opens_the_transfer_waiting_for_them(client: Client) -> None:
    login = next(login for login in DEMO_LOGINS if login.username == "spo_leeds")
    staff = StaffMember.objects.get(user__username=login.username)
    transfer = Transfer.objects.get(status=Transfer.Status.REQUESTED, to_pdu=staff.pdu, requested_by__isnull=False)
    assert transfer.from_pdu.region_id != staff.region_id  # from Tyneside, in the other region
    client.post("/sign-in/", {"username": login.username, "password": DEMO_PASSWORD})
    listed = client.get("/cases/transfers/")
    assert listed.status_code == 200
    assert transfer.event.person.crn in listed.content.decode()
    page = client.get(f"/cases/transfers/{transfer.pk}/")
    assert page.status_code == 200
    assert f"Transfer request for {transfer.event.person.name}" in page.content.decode()
    assert "Tyneside" in page.content.decode()


def _the_league_tables_have_a_row_per_pdu_and_region(client: Client) -> None:
    client.logout()
    client.post("/sign-in/", {"username": "director", "password": DEMO_PASSWORD})
    region = client.get("/performance/region/NE/").content.decode()
    assert len(set(re.findall(r'<tr class="govuk-table__row" data-code="([^"]+)"', region))) >= 2
    client.logout()
    client.post("/sign-in/", {"username": "national", "password": DEMO_PASSWORD})
    national = client.get("/performance/national/").content.decode()
    assert {"NE", "YH"} <= set(re.findall(r'<tr class="govuk-table__row" data-code="([^"]+)"', national))


def _the_command_prints_every_login_with_its_role_and_place() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    for login in DEMO_LOGINS:
        assert re.search(rf"^    {login.username}\s+\S", printed, re.MULTILINE), login.username
    assert f"password {DEMO_PASSWORD}" in printed
    assert re.search(r"spo_leeds\s+SPO\s+Leeds Team 1, Leeds PDU, Yorkshire and the Humber", printed), printed
    assert re.search(r"director\s+regional director\s+North East", printed), printed

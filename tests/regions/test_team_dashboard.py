"""The SPO's team dashboard: workload and capacity (checked by hand), the counts behind each link,
bounded queries, the monthly history, and who may see it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Allocation, CourtReport, Event, OversightTask, Transfer
from probation.roles import Role
from regions import workload
from regions.models import PDU, CapacitySnapshot, Reduction, StaffMember, Team, WorkloadWeight
from regions.workload_points import ensure_weights
from tests.factories import (
    AllocationFactory,
    EventFactory,
    PDUFactory,
    StaffMemberFactory,
    TeamFactory,
    case_for,
)

TODAY = date(2026, 11, 25)


@pytest.fixture
def part_timer(team: Team) -> StaffMember:
    """22.5 hours a week, 3.5 of them off caseload work as a trainee."""
    ensure_weights(WorkloadWeight)
    staff = StaffMemberFactory.create(
        team=team, name="Pat Parttime", contracted_hours=Decimal("22.5"), user__roles=[Role.OFFICER]
    )
    Reduction.objects.create(staff=staff, kind=Reduction.Kind.TRAINEE, hours=Decimal("3.5"), starts_on=date(2026, 9, 1))
    Reduction.objects.create(  # ended yesterday: no longer counts
        staff=staff,
        kind=Reduction.Kind.LEAVE,
        hours=Decimal("10"),
        starts_on=date(2026, 10, 1),
        ends_on=TODAY - timedelta(days=1),
    )
    return staff


def _case(staff: StaffMember, tier: str, sentence: str = Event.Type.COMMUNITY_ORDER, **event: object) -> Event:
    made = EventFactory.create(person__pdu=staff.pdu, person__tier=tier, type=sentence, **event)
    AllocationFactory.create(event=made, staff=staff)
    return made


def test_capacity_matches_the_hand_calculation_for_a_part_time_officer_with_a_reduction(part_timer) -> None:
    _case(part_timer, "B2")  # community B2: 115
    _case(part_timer, "A1", Event.Type.LICENCE, release_date=date(2026, 6, 1))  # licence A1: 163
    _case(
        part_timer, "C3", Event.Type.CUSTODY, expected_release_date=date(2027, 6, 1)
    )  # custody before release, licence table C3: 77
    ended = _case(part_timer, "A3", terminated_on=TODAY - timedelta(days=3), termination_reason="completed")
    moved = _case(part_timer, "A3")
    Allocation.objects.filter(event=moved).update(to_date=TODAY - timedelta(days=1))  # no longer theirs
    person = ended.person
    CourtReport.objects.create(person=person, staff=part_timer, kind="fast", requested_on=TODAY, due_on=TODAY)  # 65
    CourtReport.objects.create(
        person=person,
        staff=part_timer,
        kind="standard",
        requested_on=date(2026, 10, 1),
        due_on=date(2026, 10, 20),
        completed_on=date(2026, 10, 19),
    )

    load = workload.workloads([part_timer], TODAY)[part_timer.pk]

    # 2,176 x (22.5 / 37) x ((22.5 - 3.5) / 22.5) = 1,117.41 available; 420 points -> 37.59%
    assert load.points == 115 + 163 + 77 + 65 == 420
    assert load.cases == 3
    assert load.court_reports == 1
    assert load.reduction_hours == Decimal("3.5")
    assert load.available_points == 1117
    assert load.capacity == 38
    assert not load.over_capacity


def test_an_officer_on_full_leave_has_no_available_points_and_any_case_puts_them_over(part_timer) -> None:
    Reduction.objects.create(staff=part_timer, kind=Reduction.Kind.LEAVE, hours=Decimal("19"), starts_on=TODAY)
    _case(part_timer, "D0")
    load = workload.workloads([part_timer], TODAY)[part_timer.pk]
    assert (load.available_points, load.capacity, load.over_capacity) == (0, None, True)


def test_the_spo_sees_each_officers_workload_and_counts_that_link_to_their_lists(
    client: Client, spo, officer, part_timer
) -> None:
    _case(part_timer, "B2")
    for _ in range(3):
        case_for(officer)
    client.force_login(spo.user)
    page = client.get("/team/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pat Parttime" in text
    assert "Olivia Officer" in text
    assert f'href="/cases/?officer={officer.code}">3 cases</a>' in text
    assert f"/cases/standards/?officer={officer.code}&amp;show=overdue" in text
    # the linked list is that officer's
    listed = client.get(f"/cases/?officer={officer.code}")
    assert listed.status_code == 200
    assert "Olivia Officer's cases</h1>" in listed.content.decode()
    assert client.get(f"/cases/outcomes/?officer={officer.code}").status_code == 200
    assert client.get(f"/cases/standards/?officer={officer.code}&show=due").status_code == 200


def test_the_dashboard_runs_the_same_queries_for_a_small_and_a_large_team(client: Client, spo, officer) -> None:
    ensure_weights(WorkloadWeight)
    client.force_login(spo.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/team/").status_code == 200
        return len(queries)

    case_for(officer)
    EventFactory.create(person__pdu=officer.pdu, person__crn="U100000")  # unallocated
    small = count()
    for n in range(4):
        colleague = StaffMemberFactory.create(team=officer.team)
        for _ in range(5):
            case_for(colleague)
        EventFactory.create(person__pdu=officer.pdu, person__crn=f"U{n:06d}")  # unallocated
    assert count() == small
    # 8 here (was 18): the officers' rows, the PDU's unallocated cases, transfers, oversight and history in one
    # statement; the items and the details of the unallocated cases (three, as there are some); the sign-in, the
    # team and the one read of the rule settings (with the calendar's version) its due-soon needs
    assert small <= 8


def test_staff_outside_the_pdu_and_officers_cannot_see_a_team(client: Client, team, officer, spo, pdu_head) -> None:
    elsewhere = TeamFactory.create(pdu=PDUFactory.create(region=team.pdu.region))
    other_spo = StaffMemberFactory.create(
        team=elsewhere, grade="SPO", user__username="other_spo", user__roles=[Role.SPO]
    )
    client.force_login(officer.user)
    assert client.get("/team/").status_code == 403
    assert other_spo.user is not None
    client.force_login(other_spo.user)
    assert client.get(f"/team/{team.code}/").status_code == 403
    assert client.get(f"/cases/?officer={officer.code}").status_code == 403
    client.force_login(pdu_head.user)
    assert client.get(f"/team/{team.code}/").status_code == 200
    summary = client.get("/pdu/")
    assert summary.status_code == 200
    assert f"/team/{team.code}/" in summary.content.decode()


@pytest.mark.today("2026-11-25")
def test_the_monthly_history_is_written_once_per_officer_and_month_and_shown(client: Client, spo, part_timer) -> None:
    _case(part_timer, "B2", sentence_date=date(2026, 1, 5))
    workload.backfill(12, TODAY)
    workload.backfill(12, TODAY)  # idempotent
    rows = CapacitySnapshot.objects.filter(staff=part_timer)
    assert rows.count() == 13  # November 2025 to November 2026
    assert rows.earliest("month").month == date(2025, 11, 1)
    latest = rows.get(month=date(2026, 11, 1))
    assert (latest.cases, latest.points) == (1, 115)
    client.force_login(spo.user)
    text = client.get("/team/").content.decode()
    assert 'data-testid="history"' in text
    assert "Nov 2026" in text


@pytest.mark.django_db
def test_bulk_reallocation_moves_all_or_none_and_only_an_empty_caseload_may_be_marked_left(
    client: Client, spo, officer, colleague
) -> None:
    ensure_weights(WorkloadWeight)
    first, second = case_for(officer), case_for(officer)
    url = f"/cases/officers/{officer.code}/reallocate/"
    client.force_login(spo.user)
    form = {"staff": colleague.pk, "from_date_0": "1", "from_date_1": "1", "from_date_2": "2020", "reason": "Leaving"}
    refused = client.post(url, {**form, "cases": [first.pk, second.pk]})
    assert refused.status_code == 200
    assert "The date must be" in refused.content.decode()
    assert Allocation.objects.current().filter(staff=colleague).count() == 0  # none moved
    today = timezone.localdate()
    form.update({"from_date_0": today.day, "from_date_1": today.month, "from_date_2": today.year})
    assert client.post(url, {**form, "cases": [first.pk]}).status_code == 302
    assert client.post(url, {"action": "left"}).status_code == 302
    officer.refresh_from_db()
    assert officer.active  # one case is still theirs
    client.post(url, {**form, "cases": [second.pk]})
    client.post(url, {"action": "left"})
    officer.refresh_from_db()
    assert not officer.active
    assert set(Allocation.objects.current().filter(staff=colleague).values_list("event", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_the_allocation_page_lists_officers_with_most_room_first(client: Client, spo, officer, colleague) -> None:
    ensure_weights(WorkloadWeight)
    for _ in range(2):
        case_for(officer)
    waiting = EventFactory.create(person__pdu=officer.pdu, person__crn="W000001")
    client.force_login(spo.user)
    text = client.get(f"/cases/W000001/events/{waiting.ref}/allocate/").content.decode()
    assert text.index("Colin Colleague") < text.index("Olivia Officer")
    assert "workload 0%, 0 cases, 0 received in the last 7 days" in text


def test_an_officers_workload_page_is_theirs_and_their_managers(
    client: Client, spo, officer, colleague, part_timer
) -> None:
    _case(part_timer, "B2")
    workload.backfill(2, timezone.localdate())
    url = f"/officers/{part_timer.code}/workload/"
    assert part_timer.user is not None
    client.force_login(part_timer.user)
    page = client.get(url).content.decode()
    assert "Trainee" in page
    assert "1117" in page  # available points, as hand-calculated above
    client.force_login(colleague.user)
    assert client.get(url).status_code == 403
    client.force_login(spo.user)
    assert client.get(url).content.decode().count('<th scope="row" class="govuk-table__header">') == 3


def test_outcomes_to_log_count_for_whoever_held_the_appointment_and_for_the_cases_officer(
    client: Client, spo, officer, colleague, contact_types
) -> None:
    from regions.dashboard.selectors import officer_rows
    from tests.factories import book

    mine, theirs = case_for(officer), case_for(colleague)
    past = timezone.now() - timedelta(days=2)
    book(officer, mine, contact_types["office_visit"], past)  # officer's own: counts once, for the officer
    book(colleague, mine, contact_types["office_visit"], past + timedelta(hours=1))  # both officer and colleague
    book(officer, theirs, contact_types["office_visit"], past + timedelta(hours=2))  # both
    book(officer, mine, contact_types["office_visit"], timezone.now() + timedelta(days=2))  # future: neither
    rows = {row.staff.pk: row for row in officer_rows([officer, colleague], timezone.localdate(), timezone.now())}
    assert rows[officer.pk].outcomes_to_log == 3
    assert rows[colleague.pk].outcomes_to_log == 2
    client.force_login(spo.user)
    listed = client.get(f"/cases/outcomes/?officer={officer.code}").content.decode()
    assert listed.count(">Record outcome<") == 3  # the list behind the number


def test_an_spo_looking_at_an_officers_caseload_sees_only_the_cases_the_spo_may_see(
    client: Client, spo, officer
) -> None:
    from cases.models import AccessRule

    hidden = case_for(officer, first_name="Hidden", last_name="Person").person
    AccessRule.objects.create(person=hidden, staff=spo, kind=AccessRule.Kind.EXCLUSION)
    case_for(officer, first_name="Visible", last_name="Person")
    client.force_login(spo.user)
    page = client.get(f"/cases/?officer={officer.code}").content.decode()
    assert "Visible" in page
    assert "Hidden" not in page


def test_exactly_100_percent_is_over_capacity(part_timer) -> None:
    # 2,176 x 19 / 37 = 1,117.41 available: 1,118 points is over, 1,117 is not
    load = workload.workloads([part_timer], TODAY)[part_timer.pk]
    load.points = 1117
    assert not load.over_capacity
    load.points = 1118
    assert load.over_capacity


def test_a_case_moved_meanwhile_is_not_moved_again_and_no_case_goes_to_someone_who_has_left(
    spo, officer, colleague
) -> None:
    from django.core.exceptions import ValidationError

    from cases.allocation import services

    ensure_weights(WorkloadWeight)
    event = case_for(officer)
    today = timezone.localdate()
    third = StaffMemberFactory.create(team=officer.team)
    services.allocate(event=event, staff=third, user=spo.user, from_date=today, reason_code="caseload_adjustment")
    with pytest.raises(ValidationError, match="no longer"):
        services.reallocate_caseload(
            leaving=officer, events=[event], staff=colleague, user=spo.user, from_date=today, reason="Leaving"
        )
    StaffMember.objects.filter(pk=colleague.pk).update(active=False)
    colleague.refresh_from_db()
    with pytest.raises(ValidationError, match="has left"):
        services.allocate(event=event, staff=colleague, user=spo.user, from_date=today, reason="x")


def test_the_pdu_summary_counts_each_outstanding_outcome_once_a_team(officer, contact_types) -> None:
    from regions.dashboard.selectors import pdu_summary
    from tests.factories import book

    other_team = TeamFactory.create(pdu=officer.pdu)
    elsewhere = StaffMemberFactory.create(team=other_team)
    past = timezone.now() - timedelta(days=2)
    mine = case_for(officer)
    book(officer, mine, contact_types["office_visit"], past)  # officer's team only
    book(elsewhere, mine, contact_types["office_visit"], past + timedelta(hours=1))  # both teams, once each
    summary = {s.team.pk: s.totals.outcomes_to_log for s in pdu_summary(officer.pdu)}
    assert summary == {officer.team_id: 2, other_team.pk: 1}


@pytest.mark.today("2026-11-25")
def test_the_headlines_count_the_pdus_transfers_and_oversight_read_in_one_statement(
    client: Client, spo, officer
) -> None:
    """Transfers in and out awaiting a decision (not decided ones, not other PDUs'), the late ones among them,
    and open oversight tasks by reason (not closed ones, not other PDUs'): read together with the history."""
    other, third = PDUFactory.create(code="NE-DUR"), PDUFactory.create(code="NE-NTH")
    ours = [case_for(officer) for _ in range(5)]
    theirs = EventFactory.create(person__pdu=other, pdu=other)

    def transfer(event: Event, to: PDU, requested_on: date, **fields: object) -> None:
        Transfer.objects.create(
            event=event, from_pdu=event.pdu, to_pdu=to, reason="Moving", requested_on=requested_on, **fields
        )

    transfer(ours[0], other, TODAY - timedelta(days=60))  # out, late
    transfer(ours[1], other, TODAY - timedelta(days=1))  # out
    transfer(ours[2], other, TODAY, status=Transfer.Status.REJECTED, decided_on=TODAY, rejection_reason="No")
    transfer(theirs, officer.pdu, TODAY - timedelta(days=2))  # in
    transfer(EventFactory.create(person__pdu=other, pdu=other), third, TODAY - timedelta(days=90))  # neither
    for event, reason in [
        (ours[0], "acceptable_absences"),
        (ours[3], "acceptable_absences"),
        (theirs, "acceptable_absences"),
    ]:
        OversightTask.objects.create(event=event, reason=reason, opened_on=TODAY)
    OversightTask.objects.create(event=ours[4], reason="professional_judgement", opened_on=TODAY)
    OversightTask.objects.create(
        event=ours[1], reason="professional_judgement", opened_on=TODAY, closed_at=timezone.now(), outcome="agree"
    )
    client.force_login(spo.user)
    page = client.get("/team/").content.decode()
    assert "<strong>1</strong> transfer in and <strong>2</strong> out awaiting a decision" in page
    assert "<strong>1</strong> awaiting your oversight: transfers past 20 working days" in page
    assert "<strong>2</strong> awaiting your oversight: three acceptable absences" in page
    assert "<strong>1</strong> awaiting your oversight: professional judgement not to enforce" in page
    assert "recall recommendations" not in page


def test_a_kept_statement_gives_each_spo_their_own_pdus_figures(client: Client, spo, officer) -> None:
    """The PDU's figures and the officers' rows are read by a statement compiled once (read_together_kept): an SPO
    of another PDU who asks after it has been kept gets their PDU's unallocated cases and transfers and their
    team's officers, not the first one's."""
    other_team = TeamFactory.create(code="NE-DUR-T1", pdu__code="NE-DUR", pdu__region=officer.pdu.region)
    other_spo = StaffMemberFactory.create(
        team=other_team, grade=StaffMember.Grade.SPO, user__username="spo2", user__roles=[Role.SPO]
    )
    for n in range(3):
        EventFactory.create(person__pdu=officer.pdu, pdu=officer.pdu, person__crn=f"U{n:06d}")  # unallocated
    EventFactory.create(person__pdu=other_team.pdu, pdu=other_team.pdu, person__crn="V000001")
    moving = case_for(officer)
    Transfer.objects.create(
        event=moving, from_pdu=officer.pdu, to_pdu=other_team.pdu, reason="Moving", requested_on=TODAY
    )
    for user, unallocated, transfers in [
        (spo.user, 3, "<strong>0</strong> transfers in and <strong>1</strong> out"),
        (spo.user, 3, "<strong>0</strong> transfers in and <strong>1</strong> out"),
        (other_spo.user, 1, "<strong>1</strong> transfer in and <strong>0</strong> out"),
        (spo.user, 3, "<strong>0</strong> transfers in and <strong>1</strong> out"),
    ]:
        client.force_login(user)
        page = client.get("/team/").content.decode()
        assert f"<strong>{unallocated}</strong> unallocated" in page
        assert transfers in page
        assert (f'data-officer="{officer.code}"' in page) == (user == spo.user)  # the team's own officers

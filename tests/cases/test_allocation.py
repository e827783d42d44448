from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.html import escape

from cases.allocation import selectors, services
from cases.models import Address, Allocation, AuditEvent, Registration
from probation.roles import Role
from regions.models import StaffMember, WorkloadWeight
from regions.workload import Workload
from tests.factories import (
    AllocationFactory,
    EventFactory,
    RegistrationFactory,
    RequirementFactory,
    StaffMemberFactory,
    TeamFactory,
    book,
    case_for,
)

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def unallocated(team):
    return EventFactory.create(
        person__crn="U000001", person__last_name="Waiting", person__pdu=team.pdu, sentence_date=date(2026, 11, 20)
    )


@pytest.fixture
def pso(team) -> StaffMember:
    return StaffMemberFactory.create(
        team=team, grade=StaffMember.Grade.PSO, name="Priya Services", user__username="pso", user__roles=[Role.OFFICER]
    )


def allocate_data(staff: StaffMember, **more: str) -> dict[str, object]:
    return {"staff": staff.pk, "from_date_0": "23", "from_date_1": "11", "from_date_2": "2026", **more}


def test_the_spo_sees_unallocated_cases_and_allocates_one(client: Client, spo, officer, unallocated) -> None:
    client.force_login(spo.user)
    assert "WAITING" in client.get("/cases/unallocated/").content.decode()
    response = client.post("/cases/U000001/events/1/allocate/", allocate_data(officer, reason=""))
    assert response.status_code == 302
    allocation = Allocation.objects.get(event=unallocated)
    assert (allocation.staff, allocation.from_date, allocation.to_date, allocation.allocated_by) == (
        officer,
        date(2026, 11, 23),
        None,
        spo,
    )
    assert (allocation.reason_code, allocation.override) == (Allocation.Reason.INITIAL, False)
    assert (
        "Every active sentence in your PDU has a responsible officer"
        in client.get("/cases/unallocated/").content.decode()
    )


def test_the_page_shows_the_case(client: Client, spo, officer, unallocated, contact_types) -> None:
    person = unallocated.person
    person.rosh, person.tier = "high", "A2"
    person.save()
    RegistrationFactory.create(person=person, type=Registration.Type.CHILD_PROTECTION)
    RegistrationFactory.create(person=person, type=Registration.Type.STALKING, ended_on=date(2026, 11, 21))
    RequirementFactory.create(event=unallocated, type="unpaid_work", hours=150)
    Address.objects.create(
        person=person, lines="1 High Street\nNewcastle", postcode="NE1 1AA", from_date=date(2026, 1, 1)
    )
    book(officer, unallocated, contact_types["initial_appointment"], datetime(2026, 11, 26, 10, 0, tzinfo=LONDON))
    client.force_login(spo.user)
    page = client.get("/cases/U000001/events/1/allocate/").content.decode()
    for shown in (
        "High</strong>",
        "A2",
        "Child protection",
        "Community order, 12 months",
        "Sentenced 20 November 2026",
        "Unpaid work: 150 hours",
        "1 High Street<br>Newcastle",
        "NE1 1AA",
        "Thursday 26 November 2026 at 10:00, with Olivia Officer",
    ):
        assert shown in page, shown
    assert "Stalking" not in page  # ended


@pytest.mark.today("2026-11-25")  # its cases were received relative to 25 November
def test_each_officer_shows_grade_workload_caseload_recent_cases_and_impact(
    client: Client, spo, officer, pso, unallocated
) -> None:
    unallocated.person.tier = "A3"  # community A3: 206 points
    unallocated.person.save()
    case_for(officer, tier="B2")  # community B2: 115 of 2,176 points -> 5%
    AllocationFactory.create(staff=officer, event=EventFactory.create(person__pdu=officer.pdu, person__tier="B2"))
    AllocationFactory.create(staff=officer, from_date=date(2026, 11, 20), event__person__tier="D0")  # 29, received
    client.force_login(spo.user)
    page = client.get("/cases/U000001/events/1/allocate/").content.decode()
    # 115 + 115 + 29 = 259 / 2,176 = 11.9% -> 12%; + 206 = 465 / 2,176 = 21.4% -> 21%
    assert "Probation officer, Tyneside Team 1: workload 12%, 3 cases, 1 received in the last 7 days." in page
    assert "This will take their workload from 12% to 21%." in page
    assert "Probation services officer, Tyneside Team 1: workload 0%, 0 cases, 0 received" in page
    assert "This will take their workload from 0% to 9%." in page  # 206 / 2,176 = 9.47% -> 9%


@pytest.mark.parametrize(
    ("hours", "reduction", "points", "before", "after"),
    [
        (Decimal("37"), Decimal("0"), 1785, 82, 91),  # 1,785 / 2,176 = 82.0%; + 206 = 1,991 -> 91.5% -> 91%
        (Decimal("18.5"), Decimal("0"), 115, 11, 30),  # available 1,088: 10.6% -> 11%; 321 -> 29.5% -> 30%
        (Decimal("37"), Decimal("3.7"), 0, 0, 11),  # available 1,958.4: 206 -> 10.5% -> 11%
    ],
)
def test_the_impact_arithmetic(hours, reduction, points, before, after) -> None:
    staff = StaffMember(name="Any", grade=StaffMember.Grade.PO, contracted_hours=hours)
    option = selectors.OfficerOption(
        load=Workload(staff=staff, points=points, reduction_hours=reduction), case_points=206
    )
    assert option.impact == f"This will take their workload from {before}% to {after}%"


def test_the_case_points_follow_the_workload_model() -> None:
    points: dict[tuple[str, str], int] = {("community", "A3"): 206, ("licence", "A3"): 219}
    assert selectors.case_points(EventFactory.build(type="community_order"), "A3", points) == 206
    assert selectors.case_points(EventFactory.build(type="licence"), "A3", points) == 219
    assert selectors.case_points(EventFactory.build(type="licence"), "", points) == 0


def _conditions(grade: str, rosh: str = "medium", flags: tuple[str, ...] = (), points: int = 0) -> list[str]:
    staff = StaffMember(name="Any", grade=grade, contracted_hours=Decimal("37"))
    risk = selectors.CaseRisk(rosh=rosh, tier="B2", flags=frozenset(flags))
    return selectors.override_conditions(staff, Workload(staff=staff, points=points), risk)


PO, PSO = StaffMember.Grade.PO, StaffMember.Grade.PSO


@pytest.mark.parametrize(
    ("grade", "rosh", "flags", "points", "expected"),
    [
        (PSO, "medium", (), 0, []),
        (PSO, "low", (), 0, []),
        (PSO, "", (), 0, []),
        (PSO, "high", (), 0, ["High RoSH case to a probation services officer"]),
        (PSO, "very_high", (), 0, ["Very high RoSH case to a probation services officer"]),
        (PO, "very_high", ("child_protection", "mappa"), 0, []),
        (PSO, "medium", ("child_protection",), 0, ["Child protection registration, to a probation services officer"]),
        (PSO, "medium", ("mappa",), 0, ["MAPPA registration, to a probation services officer"]),
        (PSO, "medium", ("domestic_abuse", "stalking"), 0, []),
        (PO, "medium", (), 2176, ["Officer at or over 100% capacity (100%)"]),  # exactly 100%
        (PO, "medium", (), 2175, []),  # 99.95%: shown as 100%, but under
        (PO, "medium", (), 2166, []),  # 99.5%
        (PO, "medium", (), 2400, ["Officer at or over 100% capacity (110%)"]),
        (
            PSO,
            "high",
            ("mappa",),
            2176,
            [
                "High RoSH case to a probation services officer",
                "MAPPA registration, to a probation services officer",
                "Officer at or over 100% capacity (100%)",
            ],
        ),
    ],
)
def test_the_override_conditions_at_their_edges(grade, rosh, flags, points, expected) -> None:
    assert _conditions(grade, rosh, flags, points) == expected


def test_no_hours_available_is_over_capacity() -> None:
    staff = StaffMember(name="Any", grade=PO, contracted_hours=Decimal("20"))
    load = Workload(staff=staff, points=0, reduction_hours=Decimal("20"))
    assert selectors.at_or_over_capacity(load)


def test_a_high_rosh_case_to_a_pso_needs_a_justification_and_is_listed_for_the_pdu_head(
    client: Client, spo, pso, pdu_head, unallocated
) -> None:
    unallocated.person.rosh = "high"
    unallocated.person.save()
    client.force_login(spo.user)
    url = "/cases/U000001/events/1/allocate/"
    page = client.get(url).content.decode()
    assert 'data-testid="override-warning"' in page
    assert "Needs a justification: High RoSH case to a probation services officer." in page
    page = client.post(url, allocate_data(pso, justification="  ")).content.decode()
    assert "There is a problem" in page
    assert "Enter why you are allocating to Priya Services: High RoSH case to a probation services officer" in page
    assert not Allocation.objects.filter(event=unallocated).exists()

    response = client.post(url, allocate_data(pso, justification="Experienced PSO, POs all over capacity"))
    assert response.status_code == 302
    allocation = Allocation.objects.get(event=unallocated)
    assert (allocation.override, allocation.override_justification, allocation.allocated_by) == (
        True,
        "Experienced PSO, POs all over capacity",
        spo,
    )
    assert allocation.override_conditions == "High RoSH case to a probation services officer"
    assert allocation.override_at is not None

    client.force_login(pdu_head.user)
    listed = client.get("/cases/allocation-overrides/").content.decode()
    for shown in ("WAITING", "U000001", "Priya Services", "High RoSH case", "Experienced PSO, POs all over", spo.name):
        assert escape(shown) in listed, shown  # a generated name may hold an apostrophe (O'Neill)


def test_a_medium_rosh_case_to_a_pso_needs_none(client: Client, spo, pso, unallocated) -> None:
    client.force_login(spo.user)
    page = client.get("/cases/U000001/events/1/allocate/").content.decode()
    assert "Needs a justification" not in page
    assert client.post("/cases/U000001/events/1/allocate/", allocate_data(pso)).status_code == 302
    assert Allocation.objects.get(event=unallocated).override is False


@pytest.mark.parametrize("flag", [Registration.Type.CHILD_PROTECTION, Registration.Type.MAPPA])
def test_a_child_protection_or_mappa_case_to_a_pso_needs_a_justification(
    client: Client, spo, pso, unallocated, flag
) -> None:
    RegistrationFactory.create(person=unallocated.person, type=flag)
    client.force_login(spo.user)
    page = client.post("/cases/U000001/events/1/allocate/", allocate_data(pso)).content.decode()
    assert f"{flag.label} registration, to a probation services officer" in page
    assert not Allocation.objects.filter(event=unallocated).exists()


def test_an_officer_at_exactly_100_percent_needs_a_justification_and_below_does_not(
    client: Client, spo, officer, colleague, unallocated
) -> None:
    # Weights are reference data: one D0 community case worth the whole of a full-time officer's points.
    WorkloadWeight.objects.update_or_create(kind="community", tier="D0", defaults={"points": 2176})
    WorkloadWeight.objects.update_or_create(kind="community", tier="D1", defaults={"points": 2175})
    case_for(officer, tier="D0")  # 100% exactly
    case_for(colleague, tier="D1")  # 99.95%
    client.force_login(spo.user)
    page = client.post("/cases/U000001/events/1/allocate/", allocate_data(officer)).content.decode()
    assert "Enter why you are allocating to Olivia Officer: Officer at or over 100% capacity (100%)" in page
    assert client.post("/cases/U000001/events/1/allocate/", allocate_data(colleague)).status_code == 302
    assert Allocation.objects.get(event=unallocated).override is False


def test_the_service_refuses_an_override_without_a_justification(spo, pso, unallocated) -> None:
    unallocated.person.rosh = "very_high"
    unallocated.person.save()
    with pytest.raises(ValidationError) as refused:
        services.allocate(event=unallocated, staff=pso, user=spo.user, from_date=date(2026, 11, 23))
    assert "justification" in refused.value.message_dict


def test_staff_without_a_caseload_are_never_offered_as_most_room(
    client: Client, spo, officer, colleague, pdu_head, unallocated
) -> None:
    case_for(officer, tier="D0")
    for _ in range(3):
        case_for(colleague, tier="A3")
    client.force_login(spo.user)
    page = client.get("/cases/U000001/events/1/allocate/").content.decode()
    assert "Olivia Officer (most room)" in page
    assert f"{escape(spo.name)} (holds no caseload)" in page  # an SPO with no cases: offered after the others
    assert page.index("Olivia Officer (most room)") < page.index("Colin Colleague") < page.index(escape(spo.name))
    assert escape(pdu_head.name) not in page  # as the page writes it (O&#x27;Neill)
    assert "or someone who holds no caseload" in page


def test_the_recommendation_skips_an_officer_who_needs_a_justification(
    client: Client, spo, officer, pso, unallocated
) -> None:
    unallocated.person.rosh = "high"
    unallocated.person.save()
    case_for(officer, tier="A3")  # the PSO has more room, but would need a justification
    client.force_login(spo.user)
    page = client.get("/cases/U000001/events/1/allocate/").content.decode()
    assert "Olivia Officer (most room)" in page
    assert "Priya Services (most room)" not in page
    radios = page[page.index('name="staff"') :]
    assert radios.index("Olivia Officer") < radios.index("Priya Services")


@pytest.mark.parametrize("size", [2, 12])
def test_the_allocation_page_reads_a_bounded_number_of_queries(
    client: Client, spo, team, unallocated, size: int, django_assert_max_num_queries
) -> None:
    RegistrationFactory.create(person=unallocated.person, type=Registration.Type.MAPPA)
    for n in range(size):
        staff = StaffMemberFactory.create(team=team, grade=PSO if n % 2 else PO, user=None)
        case_for(staff, tier="B2")
        case_for(staff, tier="A3")
    client.force_login(spo.user)
    with django_assert_max_num_queries(26):  # 2 of them the risk summary: the latest RoSH assessment, the predictors
        response = client.get("/cases/U000001/events/1/allocate/")
    assert response.content.decode().count('name="staff"') == size + 1  # each officer and the SPO


def test_reallocation_needs_a_coded_reason_and_keeps_the_history(
    client: Client, spo, officer, colleague, community_order
) -> None:
    client.force_login(spo.user)
    url = "/cases/X123456/events/1/allocate/"
    data = {"staff": colleague.pk, "from_date_0": "2", "from_date_1": "2", "from_date_2": "2026", "reason": ""}
    page = client.post(url, data).content.decode()
    assert "Select why the responsible officer is changing" in page
    assert "Change of tier or risk" in page
    assert "Initial allocation" not in page
    assert client.post(url, data | {"reason_code": "initial"}).status_code == 200  # not a reallocation's reason
    data |= {"reason_code": "caseload_adjustment", "reason": "Officer's caseload too high"}
    assert client.post(url, data).status_code == 302
    history = list(
        Allocation.objects.filter(event=community_order)
        .order_by("from_date")
        .values_list("staff", "from_date", "to_date", "reason_code", "reason", "allocated_by")
    )
    assert history == [
        (officer.pk, date(2025, 12, 19), date(2026, 2, 1), "", "Initial allocation", None),
        (colleague.pk, date(2026, 2, 2), None, "caseload_adjustment", "Officer's caseload too high", spo.pk),
    ]
    assert AuditEvent.objects.filter(action="allocation.change", person=community_order.person).exists()


def test_the_service_refuses_a_reallocation_without_a_coded_reason(spo, colleague, community_order) -> None:
    with pytest.raises(ValidationError) as refused:
        services.allocate(event=community_order, staff=colleague, user=spo.user, from_date=date(2026, 2, 2))
    assert "reason_code" in refused.value.message_dict


def test_each_case_shows_its_allocation_history(client: Client, spo, officer, colleague, community_order) -> None:
    Allocation.objects.filter(event=community_order).update(reason_code="initial")
    services.allocate(
        event=community_order,
        staff=colleague,
        user=spo.user,
        from_date=date(2026, 3, 2),
        reason_code=Allocation.Reason.ADDRESS,
    )
    client.force_login(officer.user)
    overview = client.get("/cases/X123456/").content.decode()
    assert "/cases/X123456/events/1/allocations/" in overview
    page = client.get("/cases/X123456/events/1/allocations/").content.decode()
    rows = page[page.index('data-testid="allocation-history"') :]
    assert (
        rows.index("2 Mar 2026")
        < rows.index("Colin Colleague")
        < rows.index(escape(spo.name))  # a generated name may hold an apostrophe (O'Neill)
        < rows.index("Change of address")
    )
    assert rows.index("Change of address") < rows.index("19 Dec 2025") < rows.index("Olivia Officer")
    assert "Initial allocation" in rows


def test_a_reallocation_cannot_start_before_the_current_one(client: Client, spo, colleague, community_order) -> None:
    client.force_login(spo.user)
    data = {
        "staff": colleague.pk,
        "from_date_0": "19",
        "from_date_1": "12",
        "from_date_2": "2025",
        "reason_code": "caseload_adjustment",
    }
    page = client.post("/cases/X123456/events/1/allocate/", data).content.decode()
    assert "The date must be after 19 December 2025" in page
    assert Allocation.objects.filter(event=community_order).count() == 1


def test_moving_a_leavers_caseload_records_officer_left(
    client: Client, spo, officer, colleague, community_order
) -> None:
    client.force_login(spo.user)
    data = {"cases": [community_order.pk], "staff": colleague.pk, "from_date_0": "2", "from_date_1": "2"}
    response = client.post(f"/cases/officers/{officer.code}/reallocate/", data | {"from_date_2": "2026"})
    assert response.status_code == 302
    moved = Allocation.objects.get(event=community_order, to_date__isnull=True)
    assert (moved.staff, moved.reason_code) == (colleague, Allocation.Reason.OFFICER_LEFT)


def test_moving_a_high_rosh_case_to_a_pso_needs_a_justification(
    client: Client, spo, officer, pso, community_order
) -> None:
    community_order.person.rosh = "high"
    community_order.person.save()
    client.force_login(spo.user)
    url = f"/cases/officers/{officer.code}/reallocate/"
    data = {
        "cases": [community_order.pk],
        "staff": pso.pk,
        "from_date_0": "2",
        "from_date_1": "2",
        "from_date_2": "2026",
    }
    page = client.post(url, data).content.decode()
    assert "Sam Example (X123456): Enter why you are allocating to Priya Services" in page
    assert client.post(url, data | {"justification": "Covering until a PO starts"}).status_code == 302
    moved = Allocation.objects.get(event=community_order, to_date__isnull=True)
    assert (moved.override, moved.reason_code) == (True, "officer_left")


def test_officers_cannot_allocate(client: Client, officer, unallocated) -> None:
    client.force_login(officer.user)
    assert client.get("/cases/U000001/events/1/allocate/").status_code == 403
    assert client.get("/cases/unallocated/").status_code == 403


def test_only_the_head_and_spos_of_the_pdu_see_its_overrides(client: Client, spo, pdu_head, officer, pso) -> None:
    event = case_for(officer, crn="O000001", last_name="Overridden", rosh="very_high")
    Allocation.objects.filter(event=event).update(
        override=True,
        override_conditions="Very high RoSH case to a probation services officer",
        override_justification="Agreed with the head of PDU",
        override_at=datetime(2026, 11, 20, 9, 0, tzinfo=LONDON),
        allocated_by=spo,
    )
    other_team = TeamFactory.create(code="NE-DUR-T1", pdu__code="NE-DUR", pdu__region=spo.pdu.region)
    other_spo = StaffMemberFactory.create(
        team=other_team, grade=StaffMember.Grade.SPO, user__username="other_spo", user__roles=[Role.SPO]
    )
    for manager in (spo, pdu_head):
        client.force_login(manager.user)
        assert "Agreed with the head of PDU" in client.get("/cases/allocation-overrides/NE-TYN/").content.decode()
    assert other_spo.user is not None
    client.force_login(other_spo.user)
    assert client.get("/cases/allocation-overrides/NE-TYN/").status_code == 403
    own = client.get("/cases/allocation-overrides/")
    assert own.status_code == 200
    assert "Agreed with the head of PDU" not in own.content.decode()
    client.force_login(officer.user)
    assert client.get("/cases/allocation-overrides/").status_code == 403


def test_the_overrides_list_hides_a_limited_case(client: Client, spo, officer, colleague) -> None:
    from cases.models import AccessRule

    event = case_for(colleague, crn="R000009", last_name="Restricted")
    AccessRule.objects.create(person=event.person, staff=colleague, kind=AccessRule.Kind.RESTRICTION)
    Allocation.objects.filter(event=event).update(
        override=True,
        override_conditions="x",
        override_justification="Secret reasoning",
        override_at=datetime(2026, 11, 20, tzinfo=LONDON),
    )
    client.force_login(spo.user)
    page = client.get("/cases/allocation-overrides/").content.decode()
    assert "R000009" in page
    assert "Limited access" in page
    assert "Secret reasoning" not in page
    assert "RESTRICTED" not in page


def test_the_overrides_list_reads_a_bounded_number_of_queries(
    client: Client, spo, team, django_assert_max_num_queries
) -> None:
    for _ in range(15):
        staff = StaffMemberFactory.create(team=team, grade=PSO, user=None)
        event = case_for(staff)
        Allocation.objects.filter(event=event).update(
            override=True,
            override_conditions="x",
            override_justification="y",
            override_at=datetime(2026, 11, 20, tzinfo=LONDON),
            allocated_by=spo,
        )
    client.force_login(spo.user)
    with django_assert_max_num_queries(8):
        page = client.get("/cases/allocation-overrides/").content.decode()
    assert page.count('<tr class="govuk-table__row">') == 16

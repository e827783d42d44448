from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cases.models import Objective, Requirement
from cases.plans import services as plans
from interventions.models import Referral, Service
from interventions.referrals import services as referrals
from tests.factories import case_for


@pytest.fixture
def housing(team) -> Service:
    return Service.objects.create(
        name="Tyneside Housing Options", provider="Newcastle City Council", area="accommodation", region=team.pdu.region
    )


def test_an_officer_refers_and_records_the_providers_response(
    client: Client, officer, community_order, housing
) -> None:
    client.force_login(officer.user)
    data = {"service": housing.pk, "reason": "Sofa-surfing", "on_0": "5", "on_1": "1", "on_2": "2026"}
    assert client.post("/interventions/X123456/events/1/referrals/new/", data).status_code == 302
    assert "Tyneside Housing Options" in client.get("/interventions/referrals/").content.decode()
    assert (
        "There is already an open referral to this service"
        in client.post("/interventions/X123456/events/1/referrals/new/", data).content.decode()
    )
    referral = Referral.objects.get()
    page = client.post(
        f"/interventions/X123456/referrals/{referral.pk}/",
        {"status": "completed", "on_0": "6", "on_1": "1", "on_2": "2026"},
    ).content.decode()
    assert "Select a valid choice" in page  # referred cannot jump to completed
    client.post(
        f"/interventions/X123456/referrals/{referral.pk}/",
        {"status": "accepted", "on_0": "9", "on_1": "1", "on_2": "2026", "notes": "Assessment booked"},
    )
    referral.refresh_from_db()
    assert (referral.status, referral.status_on, referral.outcome_notes) == (
        "accepted",
        date(2026, 1, 9),
        "Assessment booked",
    )
    assert "None of your cases' referrals is waiting" in client.get("/interventions/referrals/").content.decode()


def test_services_of_other_regions_are_not_offered(client: Client, officer, community_order, housing) -> None:
    from tests.factories import RegionFactory

    elsewhere = Service.objects.create(
        name="Leeds Housing",
        provider="Leeds City Council",
        area="accommodation",
        region=RegionFactory.create(code="YH"),
    )
    national = Service.objects.create(name="Debt advice", provider="Citizens Advice", area="finance")
    client.force_login(officer.user)
    page = client.get("/interventions/X123456/events/1/referrals/new/").content.decode()
    assert housing.name in page
    assert national.name in page
    assert elsewhere.name not in page


def test_objectives_link_to_the_requirements_and_referrals_that_serve_them(
    client: Client, officer, community_order
) -> None:
    upw_requirement = Requirement.objects.get(event=community_order, type="unpaid_work")
    client.force_login(officer.user)
    data = {"version": "1", "area": "accommodation", "description": "Find settled housing"}
    form = client.get("/cases/X123456/events/1/plan/objectives/new/").content.decode()
    assert "Requirements that serve this objective" in form
    assert client.post("/cases/X123456/events/1/plan/objectives/new/", data | {"requirements": [upw_requirement.pk]})
    objective = Objective.objects.get()
    assert list(objective.requirements.all()) == [upw_requirement]
    service = Service.objects.create(name="Housing advice", provider="Shelter", area="accommodation")
    referral = referrals.refer(
        event=community_order,
        user=officer.user,
        service=service,
        reason="Sofa surfing",
        on=date(2026, 1, 5),
        objective=objective,
    )
    page = client.get("/cases/X123456/events/1/plan/").content.decode()
    assert "Unpaid work: 120 hours" in page
    assert "Referral to Housing advice (referred, awaiting a response)" in page
    other = case_for(officer, crn="X000002").requirements.create(type="rar", days=5)
    with pytest.raises(ValidationError, match="Choose requirements of this sentence"):
        plans.objective_save(
            plan=objective.plan,
            user=officer.user,
            expected_version=objective.plan.version,
            objective=objective,
            fields={},
            requirements=[other],
        )
    assert referral.objective == objective

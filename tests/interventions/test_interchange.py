"""Unpaid Work, programmes, RAR days and referrals travel through export_cases / import_cases unchanged."""

import copy
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.contacts import services as contacts
from cases.interchange import exporter
from cases.interchange.importer import ImportRefused, import_document
from cases.models import ContactType, Objective, Requirement
from cases.plans import services as plans
from cases.reference import ensure_contact_types
from interventions.models import Programme, Referral, Service, UpwSession
from interventions.programmes import services as programmes
from interventions.referrals import services as referrals
from interventions.upw import services as upw
from tests.factories import RequirementFactory


@pytest.fixture
def delivered(officer, community_order, contact_types):
    """Sam Example's order with sessions, a review, a programme under way, RAR days and a referral."""
    user = officer.user
    work = Requirement.objects.get(event=community_order, type="unpaid_work")
    days = Requirement.objects.get(event=community_order, type="rar")
    tsp = RequirementFactory.create(event=community_order, type="accredited_programme", hours=None, programme="TSP")
    upw.log_session(
        requirement=work,
        user=user,
        day=date(2026, 1, 5),
        status="attended",
        project="Allotments",
        work_hours=Decimal("5"),
        ete_hours=Decimal("1.5"),
    )
    upw.log_session(requirement=work, user=user, day=date(2026, 1, 12), status="stood_down", stand_down_reason="Snow")
    upw.log_session(requirement=work, user=user, day=date(2026, 1, 19), status="absent")
    upw.record_review(requirement=work, user=user, on=date(2026, 6, 19), notes="Caring duties: evening sessions")
    for step, on in [("referred", date(2026, 1, 6)), ("eligible", date(2026, 1, 20)), ("started", date(2026, 2, 2))]:
        programmes.advance(requirement=tsp, user=user, step=step, on=on)
    programmes.log_session(requirement=tsp, user=user, day=date(2026, 2, 2), attendance="attended", rar=True)
    office = ContactType.objects.get(code="office_visit")
    visit = contacts.book(
        event=community_order,
        user=user,
        type=office,
        starts_at=timezone.make_aware(datetime(2026, 2, 3, 11)),
        staff=officer,
        rar=True,
    )[0]
    contacts.record_outcome(contact=visit, user=user, outcome="attended")
    plan = plans.plan_for(community_order, user)
    objective = plans.objective_save(
        plan=plan,
        user=user,
        expected_version=1,
        objective=None,
        fields={"area": "accommodation", "description": "Settled housing"},
        requirements=[days],
    )
    service = Service.objects.create(
        name="Housing Options", provider="Council", area="accommodation", region=officer.region
    )
    referrals.refer(
        event=community_order,
        user=user,
        service=service,
        reason="No fixed abode",
        on=date(2026, 1, 7),
        objective=objective,
    )
    return community_order


@pytest.mark.django_db(transaction=True)  # flushing needs no open transaction
def test_interventions_survive_export_and_import_into_an_empty_database(delivered) -> None:
    first = exporter.document()
    event = first["people"][0]["events"][0]
    assert event["upw"] == [
        {"date": "2026-01-05", "hours": 5, "kind": "work", "status": "attended", "project": "Allotments",
         "placement": "group", "reason": None},
        {"date": "2026-01-05", "hours": 1.5, "kind": "ete", "status": "attended", "project": "Allotments",
         "placement": "group", "reason": None},
        {"date": "2026-01-12", "hours": 0, "kind": "work", "status": "stood_down", "project": None,
         "placement": "group", "reason": "Snow"},
        {"date": "2026-01-19", "hours": 0, "kind": "work", "status": "absent", "project": None,
         "placement": "group", "reason": None},
    ]  # fmt: skip
    assert event["requirements"][0]["reviews"] == [
        {"reviewed_on": "2026-06-19", "notes": "Caring duties: evening sessions"}
    ]
    assert event["requirements"][2]["delivery"]["started_on"] == "2026-02-02"
    assert event["sentence_plans"][0]["objectives"][0]["requirements"] == [1]
    assert event["referrals"][0]["objective"] == 0
    assert sum(c["rar"] for c in event["contacts"]) == 2

    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    result = import_document(copy.deepcopy(first))
    assert result.created == 1
    assert exporter.document() == first
    assert UpwSession.objects.filter(contact__isnull=False).count() == 2  # linked again to their contacts
    assert Programme.objects.get().started_on == date(2026, 2, 2)
    assert Referral.objects.get().objective == Objective.objects.get()
    assert import_document(copy.deepcopy(first)).unchanged == 1


def test_a_changed_file_keeps_what_hangs_off_each_requirement(delivered) -> None:
    document = exporter.document()
    event = document["people"][0]["events"][0]
    event["requirements"][0]["hours"] = 150  # the court varied the order
    event["upw"][0]["hours"] = 6
    import_document(document)
    work = Requirement.objects.get(type="unpaid_work")
    assert work.hours == 150
    assert UpwSession.objects.get(date=date(2026, 1, 5)).work_hours == 6
    assert work.upw_reviews.count() == 1


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda e: e.pop("requirements"), "people[0].events[0].upw: the sentence has no unpaid work requirement"),
        (lambda e: e["upw"][2].update(hours=3), "people[0].events[0].upw[2].hours: hours are only credited"),
        (
            lambda e: e["upw"][0].update(kind="gardening"),
            "people[0].events[0].upw[0].kind: not one of ete, travel, work",
        ),
        (
            lambda e: e["requirements"][2]["delivery"].update(eligibility="not_eligible"),
            "started_on: only once eligible",
        ),
        (lambda e: e["referrals"][0].update(objective=3), "referrals[0].objective: must be from 0 to 0"),
        (lambda e: e["referrals"][0].update(region="ZZ"), "referrals[0].region: no region with code ZZ"),
        (lambda e: e["sentence_plans"][0]["objectives"][0].update(requirements=[7]), "requirement numbers from 0 to 2"),
    ],
)
def test_bad_intervention_records_are_refused_by_path(delivered, change, problem: str) -> None:
    document = exporter.document()
    change(document["people"][0]["events"][0])
    with pytest.raises(ImportRefused) as refused:
        import_document(document)
    assert any(problem in p for p in refused.value.problems), refused.value.problems

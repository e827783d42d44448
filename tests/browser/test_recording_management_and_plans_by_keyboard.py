"""Keyboard only: the forms that move a case between people and places (allocation, moving a caseload, transfer
requests and decisions) and the sentence plan (their own words, objectives, completing and reviewing it), driven
by tests/browser/keyboard.py."""

from datetime import date

import pytest
from playwright.sync_api import Page

from cases.models import Allocation, Objective, PlanReview, SentencePlan, Transfer
from regions.models import PDU, StaffMember
from tests.browser.keyboard import RecordingForm, Tick, officer_option, record_by_keyboard
from tests.probation.hostile_cases import (
    Target,
    World,
    arrange_allocate,
    arrange_reallocate,
    arrange_transfer_decision,
    arrange_transfer_request,
    plan_stage,
)


def the_officer() -> StaffMember:
    return StaffMember.objects.get(user__username="officer")


def pdu_option(pdu: PDU) -> str:
    return f"{pdu.name} ({pdu.region.name})"


def allocated(target: Target) -> None:
    allocation = Allocation.objects.filter(event=target.event).latest("id")
    assert (allocation.staff, allocation.from_date, allocation.to_date) == (the_officer(), date(2026, 11, 25), None)


def moved(target: Target) -> None:
    assert Allocation.objects.filter(event=target.event, to_date=None).get().staff == the_officer()


def transfer_requested(target: Target) -> None:
    transfer = Transfer.objects.get(event=target.event)
    assert (transfer.status, transfer.to_pdu_id, transfer.reason) == (
        "requested",
        int(target.choices["to_pdu"][0]),
        "Moving to Durham to live with family",
    )


def transfer_accepted(target: Target) -> None:
    transfer = Transfer.objects.get(event=target.event)
    assert (transfer.status, transfer.receiving_officer, transfer.decided_on) == (
        "completed",
        the_officer(),
        date(2026, 11, 25),
    )


def the_plan(target: Target) -> SentencePlan:
    return SentencePlan.objects.get(event=target.event)


def own_words_saved(target: Target) -> None:
    assert the_plan(target).persons_view == "I want a job and my own flat"


def objective_added(target: Target) -> None:
    objective = Objective.objects.get(plan__event=target.event, description="Find work")
    assert (objective.area, objective.description, objective.who, objective.target_date) == (
        "ete",
        "Find work",
        "Robin, with the officer",
        date(2027, 3, 1),
    )
    assert list(objective.requirements.values_list("type", flat=True)) == ["rar"]


def objective_changed(target: Target) -> None:
    assert target.pk is not None
    objective = Objective.objects.get(pk=target.pk)
    assert (objective.description, objective.progress, objective.achieved) == (
        "Find a settled home near family",
        "Moved in",
        True,
    )


def plan_completed(target: Target) -> None:
    plan = the_plan(target)
    assert (plan.status, plan.completed_on) == ("completed", date(2026, 11, 25))


def plan_reviewed(target: Target) -> None:
    review = PlanReview.objects.get(plan__event=target.event)
    assert (review.reviewed_on, review.summary) == (date(2026, 11, 25), "Good progress on housing")


FORMS = [
    RecordingForm(
        "allocate a responsible officer",
        "cases:allocate",
        "spo",
        arrange_allocate,
        lambda target: {"staff": "Olivia Officer"},
        "Allocate",
        "Olivia Officer is now the responsible officer",
        allocated,
    ),
    RecordingForm(
        "move a leaver's cases",
        "cases:reallocate-caseload",
        "spo",
        arrange_reallocate,
        lambda target: {"cases": Tick(target.event.person.crn), "staff": "Olivia Officer"},
        "Move these cases",
        "1 case moved to Olivia Officer",
        moved,
    ),
    RecordingForm(
        "request a transfer",
        "cases:transfer-request",
        "officer",
        arrange_transfer_request,
        lambda target: {
            "to_pdu": pdu_option(PDU.objects.get(pk=target.choices["to_pdu"][0])),
            "reason": "Moving to Durham to live with family",
        },
        "Save",
        "requested",
        transfer_requested,
    ),
    RecordingForm(
        "accept a transfer",
        "cases:transfer-decide",
        "spo",
        arrange_transfer_decision,
        lambda target: {
            "decision": "Accept, and allocate a receiving officer",
            "officer": officer_option(the_officer()),
        },
        "Save",
        "Transfer completed: Olivia Officer is now the responsible officer",
        transfer_accepted,
    ),
    RecordingForm(
        "the plan in their own words",
        "cases:plan-view",
        "officer",
        lambda world: plan_stage(world, "view"),
        lambda target: {"persons_view": "I want a job and my own flat"},
        "Save",
        "Sentence plan saved",
        own_words_saved,
        refused=None,  # their own words may be left empty
    ),
    RecordingForm(
        "add an objective to the plan",
        "cases:objective-new",
        "officer",
        lambda world: plan_stage(world, "objective-new"),
        lambda target: {
            "area": "Education, training and employment",
            "description": "Find work",
            "steps": "Register with the job centre",
            "who": "Robin, with the officer",
            "target_date": date(2027, 3, 1),
            "requirements": Tick("RAR: 10 days"),
        },
        "Save",
        "Sentence plan saved",
        objective_added,
    ),
    RecordingForm(
        "change an objective of the plan",
        "cases:objective",
        "officer",
        lambda world: plan_stage(world, "objective"),
        lambda target: {
            "description": "Find a settled home near family",
            "progress": "Moved in",
            "achieved": Tick(),
        },
        "Save",
        "Sentence plan saved",
        objective_changed,
        refused=lambda target: {"description": " "},
    ),
    RecordingForm(
        "complete the plan",
        "cases:plan-complete",
        "officer",
        lambda world: plan_stage(world, "complete"),
        lambda target: {"on": date(2026, 11, 25)},  # not before its first objective, recorded today
        "Save",
        "Sentence plan",
        plan_completed,
        refused=lambda target: {"on": date(2026, 12, 25)},  # after today
    ),
    RecordingForm(
        "review the plan",
        "cases:plan-review",
        "officer",
        lambda world: plan_stage(world, "review"),
        lambda target: {"summary": "Good progress on housing"},
        "Save",
        "Sentence plan saved",
        plan_reviewed,
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=str)
@pytest.mark.django_db(transaction=True)
def test_management_and_plans_are_recorded_using_only_the_keyboard(
    keyboard_page: Page, live_server, world: World, form: RecordingForm
) -> None:
    record_by_keyboard(keyboard_page, live_server.url, world, form)

"""Keyboard only: the forms that record what happened at a contact and what follows from it, an outcome, a
change, entered in error, a cancellation, the court's decision on a breach, the steps of a recall and management
oversight (tests/browser/keyboard.py drives each; booking, logging a contact and the warning or breach decision
have tests of their own)."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from cases.models import Contact, EnforcementAction, OversightTask
from tests.browser.keyboard import RecordingForm, Tick, record_by_keyboard
from tests.probation.hostile_cases import (
    Target,
    World,
    arrange_breach,
    arrange_cancel_appointment,
    arrange_contact,
    arrange_oversight,
    recall_stage,
)


def the_contact(target: Target) -> Contact:
    assert target.pk is not None
    return Contact.objects.get(pk=target.pk)


def the_recall(target: Target) -> EnforcementAction:
    return EnforcementAction.objects.get(event=target.event, kind=EnforcementAction.Kind.RECALL)


def outcome_recorded(target: Target) -> None:
    contact = the_contact(target)
    assert (contact.outcome, contact.notes, contact.sensitive) == ("attended", "Came on time, job search", True)


def contact_changed(target: Target) -> None:
    contact = the_contact(target)
    assert (contact.location, contact.notes) == ("Gateshead office", "Met at the Gateshead office instead")
    assert contact.versions.latest("number").reason == "Wrong office recorded"


def entered_in_error(target: Target) -> None:
    contact = the_contact(target)
    assert (contact.entered_in_error, contact.error_reason) == (True, "Recorded against the wrong person")


def cancelled(target: Target) -> None:
    contact = Contact.objects.filter(event=target.event).latest("id")
    assert contact.entered_in_error
    assert contact.error_reason == "Appointment cancelled: Moving to Durham"


def breach_resolved(target: Target) -> None:
    breach = EnforcementAction.objects.get(event=target.event, kind=EnforcementAction.Kind.BREACH)
    assert (breach.resolved_on, breach.court_outcome) == (date(2026, 11, 24), "Fine of 100 pounds")


def recall_recommended(target: Target) -> None:
    recall = the_recall(target)
    assert (recall.recall_type, recall.rationale) == ("fixed_term", "Contact with the victim")


def recall_decided(target: Target) -> None:
    recall = the_recall(target)
    assert (recall.decision, recall.decision_rationale) == ("agreed", "Risk to the victim")
    assert recall.decided_at is not None
    assert f"{timezone.localtime(recall.decided_at):%d %m %Y %H:%M}" == "25 11 2026 10:00"


def recall_requested(target: Target) -> None:
    recall = the_recall(target)
    assert recall.requested_at is not None
    assert f"{timezone.localtime(recall.requested_at):%H:%M}" == "10:00"


def returned(target: Target) -> None:
    recall = the_recall(target)
    assert (recall.returned_on, recall.review_completed_on) == (date(2026, 11, 25), date(2026, 11, 25))


def overseen(target: Target) -> None:
    task = OversightTask.objects.get(event=target.event)
    assert (task.outcome, task.note) == ("agree", "Agreed: keep under review")
    assert task.closed_at is not None


FORMS = [
    RecordingForm(
        "record an outcome",
        "cases:outcome",
        "officer",
        arrange_contact("outcome/"),
        lambda target: {
            "outcome": "Attended and complied",
            "notes": "Came on time, job search",
            "sensitive": Tick(),
        },
        "Save",
        "Outcome recorded: Attended and complied",
        outcome_recorded,
    ),
    RecordingForm(
        "change a contact",
        "cases:amend",
        "officer",
        arrange_contact("change/", "attended"),
        lambda target: {
            "location": "Gateshead office",
            "notes": "Met at the Gateshead office instead",
            "reason": "Wrong office recorded",
        },
        "Save",
        "Contact changed: the previous version is kept",
        contact_changed,
    ),
    RecordingForm(
        "mark a contact as entered in error",
        "cases:entered-in-error",
        "officer",
        arrange_contact("entered-in-error/"),
        lambda target: {"reason": "Recorded against the wrong person"},
        "Save",
        "Contact marked as entered in error",
        entered_in_error,
    ),
    RecordingForm(
        "cancel an appointment",
        "cases:cancel-appointment",
        "officer",
        arrange_cancel_appointment,
        lambda target: {"reason": "Moving to Durham"},
        "Save",
        "Appointment cancelled",
        cancelled,
    ),
    RecordingForm(
        "record the court's decision on a breach",
        "cases:breach-outcome",
        "officer",
        arrange_breach,
        lambda target: {"on": date(2026, 11, 24), "court_outcome": "Fine of 100 pounds"},
        "Save",
        "Court outcome recorded",
        breach_resolved,
    ),
    RecordingForm(
        "recommend recall",
        "cases:recall",
        "officer",
        lambda world: recall_stage(world, "recommend"),
        lambda target: {"recall_type": "Fixed term", "rationale": "Contact with the victim"},
        "Save",
        "Recall recorded",
        recall_recommended,
    ),
    RecordingForm(
        "decide on a recommended recall",
        "cases:recall",
        "spo",
        lambda world: recall_stage(world, "decide"),
        lambda target: {
            "decision": "Agreed",
            "rationale": "Risk to the victim",
            "decided_day": date(2026, 11, 25),
            "decided_time": "10:00",
        },
        "Save",
        "Recall recorded",
        recall_decided,
    ),
    RecordingForm(
        "record that the recall request was sent",
        "cases:recall",
        "spo",
        lambda world: recall_stage(world, "request"),
        lambda target: {"day": date(2026, 11, 25), "at": "10:00"},
        "Save",
        "Recall recorded",
        recall_requested,
    ),
    RecordingForm(
        "record the return to custody and the recall review",
        "cases:recall-return",
        "officer",
        lambda world: recall_stage(world, "return"),
        lambda target: {"returned_on": date(2026, 11, 25), "review_completed_on": date(2026, 11, 25)},
        "Save",
        "Recall recorded",
        returned,
    ),
    RecordingForm(
        "record management oversight",
        "cases:oversight-record",
        "spo",
        arrange_oversight,
        lambda target: {"outcome": "Yes, I agree", "note": "Agreed: keep under review"},
        "Record oversight",
        "Management oversight recorded",
        overseen,
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=str)
@pytest.mark.django_db(transaction=True)
def test_contacts_and_enforcement_are_recorded_using_only_the_keyboard(
    keyboard_page: Page, live_server, world: World, form: RecordingForm
) -> None:
    record_by_keyboard(keyboard_page, live_server.url, world, form)

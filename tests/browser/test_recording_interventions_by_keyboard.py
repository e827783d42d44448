"""Keyboard only: the forms of interventions, referring to a service and updating the referral, unpaid work
sessions and reviews, and an accredited programme's steps and sessions (tests/browser/keyboard.py drives each;
a page with two forms is driven through the one whose button is named)."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page

from cases.models import Contact
from interventions.models import Programme, Referral, UpwReview, UpwSession
from tests.browser.keyboard import RecordingForm, record_by_keyboard
from tests.probation.hostile_cases import (
    Target,
    World,
    arrange_programme,
    arrange_refer,
    arrange_referral,
    arrange_upw,
)


def referred(target: Target) -> None:
    referral = Referral.objects.get(event=target.event)
    assert (referral.status, referral.reason, referral.referred_on) == (
        "referred",
        "Sofa-surfing since October",
        date(2026, 11, 25),
    )


def referral_accepted(target: Target) -> None:
    referral = Referral.objects.get(event=target.event)
    assert (referral.status, referral.outcome_notes) == ("accepted", "Starts on Monday")


def upw_session_recorded(target: Target) -> None:
    session = UpwSession.objects.get(requirement__event=target.event)
    assert (session.date, session.status, session.project, session.work_hours) == (
        date(2026, 11, 21),
        "attended",
        "Community garden",
        Decimal("6"),
    )


def upw_reviewed(target: Target) -> None:
    review = UpwReview.objects.get(requirement__event=target.event)
    assert (review.reviewed_on, review.notes) == (date(2026, 11, 24), "Working nights: weekend sessions from now on")


def programme_completed(target: Target) -> None:
    programme = Programme.objects.get(requirement__event=target.event)
    assert (programme.outcome, programme.ended_on, programme.outcome_reason) == (
        "not_completed",
        date(2026, 11, 24),
        "Moved away",
    )


def programme_session_recorded(target: Target) -> None:
    session = Contact.objects.get(event=target.event, type__code="programme_session")
    assert (session.starts_at.date(), session.outcome) == (date(2026, 11, 23), "attended")


FORMS = [
    RecordingForm(
        "refer to a service",
        "interventions:refer",
        "officer",
        arrange_refer,
        lambda target: {
            "service": "Accommodation: Housing Options (The Council)",
            "reason": "Sofa-surfing since October",
        },
        "Save",
        "Referred to Housing Options",
        referred,
    ),
    RecordingForm(
        "update a referral",
        "interventions:referral",
        "officer",
        arrange_referral,
        lambda target: {"status": "Accepted", "notes": "Starts on Monday"},
        "Save",
        "Referral updated",
        referral_accepted,
    ),
    RecordingForm(
        "record an unpaid work session",
        "interventions:upw",
        "officer",
        arrange_upw,
        lambda target: {
            "day": date(2026, 11, 21),
            "status": "Attended",
            "project": "Community garden",
            "work_hours": "6",
        },
        "Save session",
        "Session recorded",
        upw_session_recorded,
    ),
    RecordingForm(
        "review unpaid work",
        "interventions:upw",
        "officer",
        arrange_upw,
        lambda target: {
            "review-on": date(2026, 11, 24),
            "review-notes": "Working nights: weekend sessions from now on",
        },
        "Save review",
        "Review recorded",
        upw_reviewed,
        opens="Record a review",
    ),
    RecordingForm(
        "record that an accredited programme ended",
        "interventions:programme",
        "officer",
        arrange_programme,
        lambda target: {
            "step-step": "Did not complete the programme",
            "step-on": date(2026, 11, 24),
            "step-notes": "Moved away",
        },
        "Save",
        "Did not complete the programme",
        programme_completed,
    ),
    RecordingForm(
        "record an accredited programme session",
        "interventions:programme",
        "officer",
        arrange_programme,
        lambda target: {"session-day": date(2026, 11, 23), "session-attendance": "Attended"},
        "Save session",
        "Session recorded",
        programme_session_recorded,
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=str)
@pytest.mark.django_db(transaction=True)
def test_interventions_are_recorded_using_only_the_keyboard(
    keyboard_page: Page, live_server, world: World, form: RecordingForm
) -> None:
    record_by_keyboard(keyboard_page, live_server.url, world, form)

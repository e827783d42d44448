"""Keyboard only: the forms that record the case itself, a person, sentences, custody and release, RoSH, flags,
court reports, who may see it, contact details and ending a sentence (tests/browser/keyboard.py drives each)."""

from datetime import date

import pytest
from playwright.sync_api import Page

from cases.models import AccessRule, CourtReport, Event, Person, Registration, Requirement, RiskLevel
from regions.models import StaffMember
from tests.browser.keyboard import RecordingForm, Tick, officer_option, record_by_keyboard
from tests.probation.hostile_cases import (
    Target,
    World,
    arrange_case_access,
    arrange_contact_details,
    arrange_court_report_complete,
    arrange_court_report_new,
    arrange_custody,
    arrange_event,
    arrange_event_end,
    arrange_person_new,
    arrange_registration_review,
)

COURT = {"court": "Newcastle Magistrates", "offence": "Theft from a shop"}


def newest_event(target: Target) -> Event:
    assert target.event is not None
    return Event.objects.filter(person=target.event.person).latest("id")


def the_event(target: Target) -> Event:
    assert target.event is not None
    return Event.objects.get(pk=target.event.pk)


def person_added(target: Target) -> None:
    person = Person.objects.get(last_name="Keys")
    assert (person.first_name, person.date_of_birth, person.gender) == ("Robin", date(1990, 4, 1), "female")
    event = person.events.get()
    assert (event.type, event.sentence_date, event.court) == ("community_order", date(2026, 11, 20), COURT["court"])
    assert set(event.requirements.values_list("type", "hours")) == {
        (Requirement.Type.UNPAID_WORK, 100),
        (Requirement.Type.CURFEW, None),
    }


def sentence_added(target: Target) -> None:
    event = newest_event(target)
    assert (event.ref, event.type, event.length_months) == ("2", "suspended_sentence_order", 18)
    assert list(event.requirements.values_list("type", "days")) == [(Requirement.Type.RAR, 10)]


def licence_added(target: Target) -> None:
    event = newest_event(target)
    assert (event.type, event.release_date, event.offence) == ("licence", date(2026, 11, 20), COURT["offence"])


def custody_added(target: Target) -> None:
    event = newest_event(target)
    assert (event.type, event.expected_release_date, event.parole, event.parole_eligibility_date) == (
        "custody",
        date(2027, 11, 19),
        True,
        date(2027, 5, 20),
    )


def handover_recorded(target: Target) -> None:
    assert the_event(target).handover_meeting_on == date(2026, 11, 24)


def released(target: Target) -> None:
    event = newest_event(target)
    assert (event.type, event.release_date) == ("licence", date(2026, 11, 24))


def ended(target: Target) -> None:
    event = the_event(target)
    assert (event.terminated_on, event.termination_reason, event.termination_note) == (
        date(2026, 11, 24),
        "early_revocation",
        "Good progress: the court agreed",
    )


def risk_recorded(target: Target) -> None:
    assert target.event is not None
    risk = RiskLevel.objects.filter(person=target.event.person).latest("id")
    assert (risk.rosh, risk.tier, risk.assessed_on) == ("high", "A2", date(2026, 11, 24))
    person = Person.objects.get(pk=target.event.person.pk)
    assert (person.rosh, person.tier) == ("high", "A2")


def flag_added(target: Target) -> None:
    assert target.event is not None
    flag = Registration.objects.get(person=target.event.person, type="weapons")
    assert (flag.from_date, flag.review_due, flag.notes) == (date(2026, 11, 24), date(2027, 5, 24), "Carries a knife")


def flag_kept(target: Target) -> None:
    assert target.event is not None
    assert Registration.objects.filter(person=target.event.person, type="stalking").latest("id").review_due == date(
        2027, 5, 24
    )


def court_report_added(target: Target) -> None:
    assert target.event is not None
    report = CourtReport.objects.get(person=target.event.person)
    assert report.staff_id == int(target.choices["staff"][0])
    assert (report.kind, report.requested_on, report.due_on) == ("fast", date(2026, 11, 25), date(2026, 12, 2))


def court_report_completed(target: Target) -> None:
    assert target.pk is not None
    assert CourtReport.objects.get(pk=target.pk).completed_on == date(2026, 11, 24)


def access_added(target: Target) -> None:
    assert target.event is not None
    rule = AccessRule.objects.get(person=target.event.person, kind="restriction")
    assert rule.reason == "High-profile case"


def access_removed(target: Target) -> None:
    assert target.event is not None
    assert not AccessRule.objects.filter(person=target.event.person).exists()


def details_saved(target: Target) -> None:
    assert target.event is not None
    person = Person.objects.get(pk=target.event.person.pk)
    assert person.email == "robin@example.com"
    assert person.addresses.latest("id").postcode == "NE1 4ST"


def restricted_to(world: World) -> Target:
    """Who may see a case: the SPO puts themself and the officer on its restriction list."""
    return arrange_case_access(world)


FORMS = [
    RecordingForm(
        "add a person from court",
        "cases:person-new",
        "officer",
        arrange_person_new,
        lambda target: {
            "first_name": "Robin",
            "last_name": "Keys",
            "date_of_birth": date(1990, 4, 1),
            "gender": "Female",
            "type": "Community order",
            "sentence_date": date(2026, 11, 20),
            "length_months": "12",
            **COURT,
            "unpaid_work_hours": "100",
            "other_requirements": Tick("Curfew"),
        },
        "Add person",
        "Robin Keys added with CRN",
        person_added,
    ),
    RecordingForm(
        "record a new sentence",
        "cases:event-new",
        "officer",
        arrange_event("sentences/new/"),
        lambda target: {
            "type": "Suspended sentence order",
            "sentence_date": date(2026, 11, 20),
            "length_months": "18",
            **COURT,
            "rar_days": "10",
        },
        "Save",
        "Suspended sentence order recorded as event 2",
        sentence_added,
    ),
    RecordingForm(
        "record a release on licence",
        "cases:release-new",
        "officer",
        arrange_event("releases/new/"),
        lambda target: {
            "type": "Licence",
            "sentence_date": date(2025, 6, 2),
            "release_date": date(2026, 11, 20),
            "length_months": "24",
            **COURT,
            "licence_conditions": "No contact with the victim",
        },
        "Save",
        "Licence recorded as event 2",
        licence_added,
    ),
    RecordingForm(
        "record a sentence to custody",
        "cases:custody-new",
        "officer",
        arrange_event("custody/new/"),
        lambda target: {
            "sentence_date": date(2026, 11, 20),
            "length_months": "24",
            "expected_release_date": date(2027, 11, 19),
            "parole": Tick(),
            "parole_eligibility_date": date(2027, 5, 20),
            **COURT,
        },
        "Save",
        "Custodial sentence recorded as event 2",
        custody_added,
    ),
    RecordingForm(
        "record the handover meeting",
        "cases:handover-meeting",
        "officer",
        arrange_custody("handover-meeting/"),
        lambda target: {"on": date(2026, 11, 24)},
        "Save",
        "Handover meeting recorded",
        handover_recorded,
    ),
    RecordingForm(
        "record release from custody",
        "cases:release",
        "officer",
        arrange_custody("release/"),
        lambda target: {
            "released_on": date(2026, 11, 24),
            "licence_type": "Licence",
            "conditions": "Live where approved",
        },
        "Save",
        "Release recorded: the licence has started",
        released,
    ),
    RecordingForm(
        "end a sentence early",
        "cases:event-end",
        "officer",
        arrange_event_end,
        lambda target: {
            "reason": "Revoked early for good progress",
            "on": date(2026, 11, 24),
            "note": "Good progress: the court agreed",
        },
        "Save",
        "The sentence (event 1) is recorded as ended",
        ended,
        then="End the sentence",
    ),
    RecordingForm(
        "update RoSH and tier",
        "cases:risk",
        "officer",
        arrange_event("risk/"),
        lambda target: {"rosh": "High", "tier": "A2", "assessed_on": date(2026, 11, 24)},
        "Save",
        "RoSH and tier updated",
        risk_recorded,
        refused=lambda target: {"assessed_on": date(2026, 12, 25)},  # after today
    ),
    RecordingForm(
        "add a flag",
        "cases:registration-new",
        "officer",
        arrange_event("flags/new/"),
        lambda target: {
            "type": "Weapons",
            "from_date": date(2026, 11, 24),
            "review_due": date(2027, 5, 24),
            "notes": "Carries a knife",
        },
        "Save",
        "Weapons flag added",
        flag_added,
    ),
    RecordingForm(
        "review a flag",
        "cases:registration-review",
        "officer",
        arrange_registration_review,
        lambda target: {"outcome": "Keep the flag, with a new review date", "next_review": date(2027, 5, 24)},
        "Save",
        "Stalking flag reviewed",
        flag_kept,
    ),
    RecordingForm(
        "add a court report",
        "cases:court-report-new",
        "spo",
        arrange_court_report_new,
        lambda target: {
            "staff": officer_option(StaffMember.objects.get(pk=target.choices["staff"][0])),
            "kind": "Fast delivery report",
            "due_on": date(2026, 12, 2),
        },
        "Save",
        "Fast delivery report added for",
        court_report_added,
    ),
    RecordingForm(
        "record a court report completed",
        "cases:court-report-complete",
        "officer",
        arrange_court_report_complete,
        lambda target: {"completed_on": date(2026, 11, 24)},
        "Save",
        "Fast delivery report recorded as completed",
        court_report_completed,
        refused=lambda target: {"completed_on": date(2026, 12, 25)},  # after today
    ),
    RecordingForm(
        "add to who may see a case",
        "cases:case-access",
        "spo",
        restricted_to,
        lambda target: {
            "kind": "Restriction list: only the staff on it may see the case",
            "staff": target.choices["staff"][2],  # the SPO themself
            "reason": "High-profile case",
        },
        "Add",
        "added to the restriction list",
        access_added,
    ),
    RecordingForm(
        "take someone off who may see a case",
        "cases:case-access",
        "spo",
        arrange_case_access,
        lambda target: {},
        "Remove",
        "removed from the exclusion list",
        access_removed,
        refused=None,  # a button and nothing to fill in
    ),
    RecordingForm(
        "change address and contact details",
        "cases:contact-details",
        "officer",
        arrange_contact_details,
        lambda target: {
            "lines": "1 High Street\nNewcastle",
            "postcode": "NE1 4ST",
            "email": "robin@example.com",
        },
        "Save",
        "Address and contact details saved",
        details_saved,
        refused=lambda target: {"email": "robin at example"},
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=str)
@pytest.mark.django_db(transaction=True)
def test_the_case_is_recorded_using_only_the_keyboard(
    keyboard_page: Page, live_server, world: World, form: RecordingForm
) -> None:
    record_by_keyboard(keyboard_page, live_server.url, world, form)

"""Keyboard only: the forms that record the person in full (issue 22) — personal details and phones, addresses and
a move, personal contacts, circumstances and disabilities, a RoSH assessment and a predictor score — and uploading
a document and making a letter (tests/browser/keyboard.py drives each)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page

from cases.models import Address, Circumstance, Disability, Document, Person, PersonalContact, Predictor, RoshAssessment
from tests.browser.keyboard import RecordingForm, Tick, Upload, record_by_keyboard
from tests.factories import book
from tests.probation.hostile_cases import Target, World, arrange_event, arrange_person_record

# A start date of the records arrange_person_record makes is 1 January 2026: an end date before it is refused
BEFORE_THE_START = date(2025, 12, 1)
A_PDF = Upload("keys-report.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


def person_of(target: Target) -> Person:
    assert target.event is not None
    return Person.objects.get(pk=target.event.person.pk)


def record_of(target: Target) -> int:
    """The record the form changes (arrange_person_record)."""
    assert target.pk is not None
    return target.pk


def details_saved(target: Target) -> None:
    person = person_of(target)
    assert (person.first_name, person.preferred_name, person.pronouns, person.gender) == (
        "Robin",
        "Rob",
        "they/them",
        "other",
    )
    assert (person.date_of_birth, person.pnc, person.cro, person.email) == (
        date(1990, 4, 1),
        "2010/0123456X",
        "123456/08A",
        "robin@example.com",
    )
    assert (person.language, person.interpreter) == ("Polish", True)
    assert list(person.phones.order_by("id").values_list("number", "type")) == [
        ("0191 496 0000", "home"),
        ("07700 900123", "work"),
    ]


def moved(target: Target) -> None:
    home = person_of(target).addresses.get(to_date__isnull=True, type__in=Address.HOME_TYPES)
    assert (home.type, home.lines, home.postcode, home.from_date) == (
        "approved_premises",
        "1 High Street\nNewcastle",
        "NE1 4ST",
        date(2026, 11, 24),
    )


def address_added(target: Target) -> None:
    address = person_of(target).addresses.get(type="secondary")
    assert (address.lines, address.postcode, address.from_date, address.to_date) == (
        "2 Flat Lane",
        "NE2 1AA",
        date(2026, 11, 2),
        None,
    )


def address_ended(target: Target) -> None:
    assert Address.objects.get(pk=record_of(target)).to_date == date(2026, 11, 24)


def contact_added(target: Target) -> None:
    contact = PersonalContact.objects.get(person=person_of(target))
    assert (contact.name, contact.relationship, contact.phone, contact.address) == (
        "Alex Keys",
        "next_of_kin",
        "0191 496 0000",
        "3 Low Road",
    )
    assert (contact.from_date, contact.to_date, contact.notes) == (date(2026, 11, 2), None, "Call first")


def contact_changed(target: Target) -> None:
    contact = PersonalContact.objects.get(pk=record_of(target))
    assert (contact.name, contact.relationship, contact.to_date) == ("Alex Example", "family", date(2026, 11, 24))


def circumstance_added(target: Target) -> None:
    circumstance = Circumstance.objects.get(person=person_of(target))
    assert (circumstance.type, circumstance.value, circumstance.from_date, circumstance.notes) == (
        "employment",
        "Full-time at the docks",
        date(2026, 11, 2),
        "Days only",
    )


def circumstance_changed(target: Target) -> None:
    circumstance = Circumstance.objects.get(pk=record_of(target))
    assert (circumstance.type, circumstance.value, circumstance.to_date) == (
        "benefits",
        "Universal Credit, ended",
        date(2026, 11, 24),
    )


def disability_added(target: Target) -> None:
    disability = Disability.objects.get(person=person_of(target))
    assert (disability.type, disability.adjustments, disability.from_date) == (
        "hearing",
        "A hearing loop in the interview room",
        date(2026, 11, 2),
    )


def disability_changed(target: Target) -> None:
    disability = Disability.objects.get(pk=record_of(target))
    assert (disability.adjustments, disability.to_date) == ("A lift and a ramp", date(2026, 11, 24))


def rosh_recorded(target: Target) -> None:
    assessment = RoshAssessment.objects.get(person=person_of(target))
    assert (assessment.assessed_on, assessment.community_public, assessment.custody_staff) == (
        date(2026, 11, 24),
        "high",
        "medium",
    )
    assert (assessment.community_children, assessment.overall) == ("", "high")


def predictor_recorded(target: Target) -> None:
    predictor = Predictor.objects.get(person=person_of(target))
    assert (predictor.name, predictor.score, predictor.band, predictor.on) == (
        "RSR",
        Decimal("3.25"),
        "medium",
        date(2026, 11, 24),
    )


def document_uploaded(target: Target) -> None:
    document = Document.objects.get(person=person_of(target))
    assert (document.name, document.type, document.dated_on, document.content_type) == (
        A_PDF.name,
        "pre_sentence_report",
        date(2026, 11, 20),
        "application/pdf",
    )
    with document.file.open("rb") as stored:
        assert stored.read() == A_PDF.content


def letter_made(target: Target) -> None:
    document = Document.objects.get(person=person_of(target))
    assert (document.type, document.letter, document.dated_on) == ("letter_sent", "appointment", date(2026, 11, 25))


def with_an_appointment(world: World) -> Target:
    """A sentence with an appointment booked, so that an appointment letter can be made about it."""
    target = arrange_event("events/1/letters/new/")(world)
    assert target.event is not None
    book(world.officer, target.event, world.types["office_visit"], datetime(2026, 12, 2, 14, 30, tzinfo=UTC))
    return target


def refused_end_date(target: Target) -> dict[str, date]:
    return {"to_date": BEFORE_THE_START}


FORMS = [
    RecordingForm(
        "change personal details and phones",
        "cases:person-details",
        "officer",
        arrange_event("person/details/"),
        lambda target: {
            "first_name": "Robin",
            "preferred_name": "Rob",
            "pronouns": "they/them",
            "date_of_birth": date(1990, 4, 1),
            "gender": "Other",
            "pnc": "2010/0123456X",
            "cro": "123456/08A",
            "email": "robin@example.com",
            "language": "Polish",
            "interpreter": Tick(),
            "phone_0": "0191 496 0000",
            "phone_type_0": "Home",
            "phone_1": "07700 900123",
            "phone_type_1": "Work",
        },
        "Save",
        "Personal details saved",
        details_saved,
        refused=lambda target: {"email": "robin at example"},  # the form opens filled in: as it is, it saves
    ),
    RecordingForm(
        "record a move of address",
        "cases:address-move",
        "officer",
        arrange_event("person/addresses/move/"),
        lambda target: {
            "type": "Approved premises",
            "lines": "1 High Street\nNewcastle",
            "postcode": "NE1 4ST",
            "moved_on": date(2026, 11, 24),
        },
        "Save",
        "Move of address recorded",
        moved,
    ),
    RecordingForm(
        "add another address",
        "cases:address-new",
        "officer",
        arrange_event("person/addresses/new/"),
        lambda target: {
            "type": "Secondary address",
            "lines": "2 Flat Lane",
            "postcode": "ne21aa",
            "from_date": date(2026, 11, 2),
        },
        "Save",
        "Address added",
        address_added,
    ),
    RecordingForm(
        "end an address",
        "cases:address-end",
        "officer",
        arrange_person_record("addresses"),
        lambda target: {"to_date": date(2026, 11, 24)},
        "Save",
        "Address ended",
        address_ended,
    ),
    RecordingForm(
        "add a personal contact",
        "cases:personal-contact-new",
        "officer",
        arrange_event("person/contacts/new/"),
        lambda target: {
            "name": "Alex Keys",
            "relationship": "Next of kin",
            "phone": "0191 496 0000",
            "address": "3 Low Road",
            "from_date": date(2026, 11, 2),
            "notes": "Call first",
        },
        "Save",
        "Personal contact added",
        contact_added,
    ),
    RecordingForm(
        "change a personal contact",
        "cases:personal-contact",
        "officer",
        arrange_person_record("contacts"),
        lambda target: {"name": "Alex Example", "relationship": "Family member", "to_date": date(2026, 11, 24)},
        "Save",
        "Personal contact changed",
        contact_changed,
        refused=refused_end_date,  # the form opens filled in: as it is, it saves
    ),
    RecordingForm(
        "add a circumstance",
        "cases:circumstance-new",
        "officer",
        arrange_event("person/circumstances/new/"),
        lambda target: {
            "type": "Employment",
            "value": "Full-time at the docks",
            "from_date": date(2026, 11, 2),
            "notes": "Days only",
        },
        "Save",
        "Circumstance added",
        circumstance_added,
    ),
    RecordingForm(
        "change a circumstance",
        "cases:circumstance",
        "officer",
        arrange_person_record("circumstances"),
        lambda target: {"value": "Universal Credit, ended", "to_date": date(2026, 11, 24)},
        "Save",
        "Circumstance changed",
        circumstance_changed,
        refused=refused_end_date,
    ),
    RecordingForm(
        "add a disability",
        "cases:disability-new",
        "officer",
        arrange_event("person/disabilities/new/"),
        lambda target: {
            "type": "Hearing",
            "adjustments": "A hearing loop in the interview room",
            "from_date": date(2026, 11, 2),
        },
        "Save",
        "Disability or condition added",
        disability_added,
    ),
    RecordingForm(
        "change a disability",
        "cases:disability",
        "officer",
        arrange_person_record("disabilities"),
        lambda target: {"adjustments": "A lift and a ramp", "to_date": date(2026, 11, 24)},
        "Save",
        "Disability or condition changed",
        disability_changed,
        refused=refused_end_date,
    ),
    RecordingForm(
        "record a RoSH assessment",
        "cases:rosh-new",
        "officer",
        arrange_event("risk/rosh/new/"),
        lambda target: {
            "assessed_on": date(2026, 11, 24),
            "community_public": "High",
            "custody_staff": "Medium",
        },
        "Save",
        "RoSH assessment recorded",
        rosh_recorded,
    ),
    RecordingForm(
        "record a predictor score",
        "cases:predictor-new",
        "officer",
        arrange_event("risk/predictors/new/"),
        lambda target: {"name": "RSR", "score": "3.25", "band": "Medium", "on": date(2026, 11, 24)},
        "Save",
        "Predictor score recorded",
        predictor_recorded,
    ),
    RecordingForm(
        "upload a document",
        "cases:document-upload",
        "officer",
        arrange_event("documents/new/"),
        # the file is reached by Tab and given with set_input_files (keyboard.choose_file): a file chooser cannot
        # be typed into; every other field by keyboard
        lambda target: {"file": A_PDF, "type": "Pre-sentence report", "dated_on": date(2026, 11, 20)},
        "Upload",
        f"{A_PDF.name} uploaded",
        document_uploaded,
    ),
    RecordingForm(
        "make a letter",
        "cases:letter-new",
        "officer",
        with_an_appointment,
        lambda target: {"kind": "Appointment letter"},
        "Save",
        "Appointment letter made: a copy is kept in the case's documents",
        letter_made,
    ),
]


@pytest.mark.parametrize("form", FORMS, ids=str)
@pytest.mark.django_db(transaction=True)
def test_the_person_is_recorded_using_only_the_keyboard(
    keyboard_page: Page, live_server, world: World, form: RecordingForm
) -> None:
    record_by_keyboard(keyboard_page, live_server.url, world, form)

"""The person as an officer needs to know them (issue 22): personal details kept as history, moves of address,
personal contacts, circumstances, disabilities and their adjustments, and RoSH in full."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from cases.contacts.selectors import before_seeing
from cases.models import (
    Address,
    AuditEvent,
    Circumstance,
    Disability,
    Person,
    PersonalContact,
    PersonDetailsVersion,
    Predictor,
    Registration,
    RiskLevel,
    RoshAssessment,
)
from cases.person import selectors, services
from cases.record.selectors import overview_of
from tests.factories import RegistrationFactory

# TODAY, and the addresses and assessments dated from it
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-25")]
TODAY = date(2026, 11, 25)  # the pinned clock (tests/conftest.py)
URL = "/cases/X123456"


def details(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_name": "",
        "pronouns": "",
        "date_of_birth_0": person.date_of_birth.day,
        "date_of_birth_1": person.date_of_birth.month,
        "date_of_birth_2": person.date_of_birth.year,
        "gender": person.gender,
        "pnc": "",
        "cro": "",
        "email": "",
        "language": "",
        "phone_0": "",
        "phone_type_0": "mobile",
    }
    return data | changes


def day_fields(name: str, on: date) -> dict[str, object]:
    return {f"{name}_0": on.day, f"{name}_1": on.month, f"{name}_2": on.year}


# Personal details


def test_the_ro_changes_personal_details_and_each_change_is_kept_and_audited(officer, community_order) -> None:
    person = community_order.person
    changed = services.details_change(
        person=person,
        user=officer.user,
        phones=[("07700 900123", "mobile"), ("0191 496 0000", "home")],
        preferred_name="Sammy",
        pronouns="they/them",
        language="Polish",
        interpreter=True,
        cro="123456/08A",
    )
    assert changed == ["cro", "interpreter", "language", "phones", "preferred_name", "pronouns"]
    person.refresh_from_db()
    assert (person.preferred_name, person.language, person.interpreter) == ("Sammy", "Polish", True)
    assert [(p.number, p.type) for p in person.phones.order_by("id")] == [
        ("07700 900123", "mobile"),
        ("0191 496 0000", "home"),
    ]
    version = PersonDetailsVersion.objects.get(person=person)
    assert version.changes["preferred_name"] == ["", "Sammy"]
    assert version.changed_by == officer.user
    audit = AuditEvent.objects.get(action="person.details")
    assert audit.detail["changed"] == changed  # the names of what changed, not the values
    assert "Sammy" not in str(audit.detail)

    services.details_change(person=person, user=officer.user, phones=[("0191 496 0000", "home")], pronouns="she/her")
    assert PersonDetailsVersion.objects.filter(person=person).count() == 2
    assert person.phones.count() == 1
    assert services.details_change(person=person, user=officer.user, phones=[("0191 496 0000", "home")]) == []
    assert PersonDetailsVersion.objects.filter(person=person).count() == 2  # nothing changed, nothing kept


def test_only_the_ro_and_managers_may_change_details(colleague, spo, community_order) -> None:
    person = community_order.person
    with pytest.raises(PermissionDenied):
        services.details_change(person=person, user=colleague.user, phones=[], pronouns="he/him")
    assert services.details_change(person=person, user=spo.user, phones=[], pronouns="he/him") == ["pronouns"]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"pnc": "nonsense"}, "Enter a PNC number in the correct format"),
        ({"cro": "12/3"}, "Enter a CRO number in the correct format"),
        ({"phone_0": "call me"}, "Enter a phone number"),
        ({"phone_type_0": "pager"}, "Choose mobile, home or work"),
        ({"email": "nope"}, "Enter an email address in the correct format"),
        ({"first_name": ""}, "Enter the first name"),
        (day_fields("date_of_birth", TODAY + timedelta(days=1)), "Date of birth must be at least 10 years ago"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "must be a real date"),
        ({"preferred_name": "x" * 101}, "must be 100 characters or fewer"),
    ],
)
def test_bad_details_are_govuk_errors(client: Client, officer, community_order, changes, error: str) -> None:
    client.force_login(officer.user)
    response = client.post(f"{URL}/person/details/", details(community_order.person, **changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert error in page
    assert not PersonDetailsVersion.objects.exists()


def test_the_details_page_saves_and_the_person_page_shows_them(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = details(community_order.person, preferred_name="Sammy", phone_0="07700 900123", interpreter="on")
    assert client.post(f"{URL}/person/details/", data).status_code == 302
    page = client.get(f"{URL}/person/").content.decode()
    assert "Sammy" in page
    assert "07700 900123 (mobile)" in page
    assert "Interpreter needed" in page
    assert "Changes to personal details" in page
    assert "Interpreter needed was “no”; Phone numbers was “none”; Preferred name was “blank”" in page
    assert AuditEvent.objects.filter(action="case.view", detail__page=f"{URL}/person/").exists()  # reads audited


# Addresses


def address(person: Person, on: date, type: str = "main", lines: str = "1 Old Road") -> Address:
    return Address.objects.create(person=person, type=type, lines=lines, from_date=on)


def test_a_move_closes_the_old_address_the_day_before_and_opens_the_new(officer, community_order) -> None:
    person = community_order.person
    old = address(person, date(2025, 1, 1))
    secondary = address(person, date(2025, 3, 1), type="secondary", lines="Flat at a friend's")
    new = services.address_move(
        person=person, user=officer.user, moved_on=date(2026, 6, 1), type="main", lines="2 New St", postcode="NE1 4ST"
    )
    old.refresh_from_db()
    assert old.to_date == date(2026, 5, 31)
    assert (new.from_date, new.to_date, new.type) == (date(2026, 6, 1), None, "main")
    assert Address.objects.get(pk=secondary.pk).to_date is None  # a secondary address runs on
    assert [a.pk for a in selectors.addresses_of(person)] == [new.pk, secondary.pk, old.pk]  # where they live first
    audit = AuditEvent.objects.get(action="address.move")
    assert audit.detail["closed"] == old.pk


def test_a_move_the_day_after_the_last_one_leaves_a_one_day_address(officer, community_order) -> None:
    person = community_order.person
    old = address(person, date(2026, 6, 1))
    services.address_move(
        person=person, user=officer.user, moved_on=date(2026, 6, 2), type="approved_premises", lines="AP", postcode=""
    )
    old.refresh_from_db()
    assert (old.from_date, old.to_date) == (date(2026, 6, 1), date(2026, 6, 1))


@pytest.mark.parametrize(
    ("moved_on", "error"),
    [
        (date(2026, 6, 1), "must be after 1 June 2026"),  # the day they moved to the current address
        (date(2026, 5, 1), "must be after 1 June 2026"),
        (TODAY + timedelta(days=1), "must be today or in the past"),
    ],
)
def test_a_move_is_refused_on_or_before_the_current_address_or_in_the_future(
    officer, community_order, moved_on: date, error: str
) -> None:
    person = community_order.person
    old = address(person, date(2026, 6, 1))
    with pytest.raises(ValidationError, match=error):
        services.address_move(person=person, user=officer.user, moved_on=moved_on, type="main", lines="X", postcode="")
    old.refresh_from_db()
    assert old.to_date is None
    assert Address.objects.filter(person=person).count() == 1


def test_a_first_address_and_no_fixed_abode_by_the_move_form(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    first = {"type": "main", "lines": "1 High St", "postcode": "ne14st", **day_fields("moved_on", TODAY)}
    assert client.post(f"{URL}/person/addresses/move/", first).status_code == 302
    assert Address.objects.get().postcode == "NE1 4ST"
    refused = client.post(
        f"{URL}/person/addresses/move/", {"type": "main", "lines": "", **day_fields("moved_on", TODAY)}
    )
    assert "Enter the address" in refused.content.decode()
    same_day = client.post(
        f"{URL}/person/addresses/move/", {"type": "no_fixed_abode", "lines": "", **day_fields("moved_on", TODAY)}
    )
    assert "must be after 25 November 2026" in same_day.content.decode()  # a GOV.UK error, not a 500
    assert "govuk-error-summary" in same_day.content.decode()


def test_another_address_cannot_be_where_they_live_while_they_live_elsewhere(officer, community_order) -> None:
    person = community_order.person
    address(person, date(2025, 1, 1))
    with pytest.raises(ValidationError, match="record a move instead"):
        services.address_add(
            person=person, user=officer.user, type="main", lines="Y", postcode="", from_date=date(2026, 1, 1)
        )
    second = services.address_add(
        person=person, user=officer.user, type="secondary", lines="Y", postcode="", from_date=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="on or after 1 January 2026"):
        services.address_end(address=second, user=officer.user, to_date=date(2025, 12, 31))
    services.address_end(address=second, user=officer.user, to_date=date(2026, 2, 1))
    assert Address.objects.get(pk=second.pk).to_date == date(2026, 2, 1)


# Personal contacts, circumstances, disabilities


def test_a_personal_contact_is_added_changed_and_ended_by_the_pages(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = {
        "name": "Alex Example",
        "relationship": "next_of_kin",
        "phone": "0191 496 0000",
        **day_fields("from_date", date(2025, 1, 1)),
    }
    assert client.post(f"{URL}/person/contacts/new/", data).status_code == 302
    contact = PersonalContact.objects.get()
    ended = data | day_fields("to_date", date(2026, 10, 1)) | {"notes": "Moved away"}
    assert client.post(f"{URL}/person/contacts/{contact.pk}/", ended).status_code == 302
    contact.refresh_from_db()
    assert (contact.to_date, contact.notes) == (date(2026, 10, 1), "Moved away")
    assert AuditEvent.objects.filter(action="personal_contact.change", object_id=str(contact.pk)).exists()
    backwards = data | day_fields("to_date", date(2024, 1, 1))
    page = client.post(f"{URL}/person/contacts/{contact.pk}/", backwards).content.decode()
    assert "The end date must be on or after the start date" in page
    bad = client.post(f"{URL}/person/contacts/new/", {"relationship": "cousin"}).content.decode()
    assert "Enter their name" in bad
    assert "Select how they are related to the person" in bad


def test_another_cases_record_is_not_found_here(client: Client, officer, community_order, excluded_case) -> None:
    other = PersonalContact.objects.create(person=excluded_case, name="X", relationship="gp", from_date=TODAY)
    client.force_login(officer.user)
    assert client.get(f"{URL}/person/contacts/{other.pk}/").status_code == 404


def test_circumstances_are_recorded(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = {"type": "accommodation", "value": "Sofa surfing", **day_fields("from_date", date(2026, 1, 1))}
    assert client.post(f"{URL}/person/circumstances/new/", data).status_code == 302
    assert Circumstance.objects.get().value == "Sofa surfing"
    assert "Sofa surfing" in client.get(f"{URL}/person/").content.decode()


def test_current_adjustments_are_those_current_today(officer, community_order) -> None:
    person = community_order.person
    current = {"person": person, "from_date": date(2025, 1, 1)}
    Disability.objects.create(type="mobility", adjustments="Appointments downstairs", **current)
    Disability.objects.create(type="visual", adjustments="Large print letters", **current, to_date=TODAY)
    Disability.objects.create(type="hearing", adjustments="Ended", **current, to_date=TODAY - timedelta(days=1))
    Disability.objects.create(type="speech", adjustments="Later", person=person, from_date=TODAY + timedelta(days=1))
    Disability.objects.create(type="other", adjustments="  ", **current)
    expected = ["Appointments downstairs", "Large print letters"]
    assert selectors.current_adjustments(person) == expected
    # the same where the booking pages and the overview read them with the rest of what they show
    assert before_seeing(person, community_order).adjustments == expected
    assert overview_of(person).adjustments == expected


def test_the_booking_page_shows_the_adjustments(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = {"type": "mobility", "adjustments": "Appointments downstairs", **day_fields("from_date", date(2026, 1, 1))}
    assert client.post(f"{URL}/person/disabilities/new/", data).status_code == 302
    page = client.get(f"{URL}/events/1/appointments/new/").content.decode()
    assert 'id="adjustments"' in page
    assert "Appointments downstairs" in page
    assert "Appointments downstairs" in client.get(f"{URL}/").content.decode()


# Risk in full


def test_overall_rosh_is_the_highest_and_becomes_the_persons_rosh(officer, community_order) -> None:
    person = community_order.person
    assessment = services.rosh_assessment_record(
        person=person,
        user=officer.user,
        assessed_on=date(2026, 10, 1),
        levels={"community_children": "low", "community_public": "medium", "custody_staff": "high"},
    )
    assert assessment.overall == "high"
    assert assessment.assessed_by == officer
    assert Person.objects.get(pk=person.pk).rosh == "high"
    level = RiskLevel.objects.get(person=person)  # one way: through the RoSH and tier history
    assert (level.rosh, level.assessed_on) == ("high", date(2026, 10, 1))
    older = services.rosh_assessment_record(
        person=person, user=officer.user, assessed_on=date(2026, 1, 1), levels={"community_known_adult": "very_high"}
    )
    assert older.overall == "very_high"
    assert Person.objects.get(pk=person.pk).rosh == "high"  # an older assessment is history, not the latest
    services.rosh_assessment_record(
        person=person, user=officer.user, assessed_on=date(2026, 11, 1), levels={"community_public": "low"}
    )
    assert Person.objects.get(pk=person.pk).rosh == "low"
    assert RoshAssessment.objects.filter(person=person).count() == 3


@pytest.mark.parametrize(
    ("levels", "overall"),
    [
        ({"community_children": "very_high", "custody_public": "low"}, "very_high"),
        ({"custody_known_adult": "medium"}, "medium"),
        (
            {g: "low" for g in ("community_children", "community_public", "community_known_adult", "community_staff")},
            "low",
        ),
    ],
)
def test_the_overall_level_is_the_highest_of_any(officer, community_order, levels, overall: str) -> None:
    assessment = services.rosh_assessment_record(
        person=community_order.person, user=officer.user, assessed_on=TODAY, levels=levels
    )
    assert assessment.overall == overall


def test_the_rosh_form_needs_a_level_and_the_risk_page_shows_the_breakdown(
    client: Client, officer, community_order
) -> None:
    client.force_login(officer.user)
    empty = client.post(f"{URL}/risk/rosh/new/", day_fields("assessed_on", TODAY)).content.decode()
    assert "Enter at least one level of risk" in empty
    bad = client.post(f"{URL}/risk/rosh/new/", {"community_children": "extreme", **day_fields("assessed_on", TODAY)})
    assert "Choose low, medium, high or very high" in bad.content.decode()
    data = {"community_children": "high", "custody_staff": "medium", **day_fields("assessed_on", TODAY)}
    assert client.post(f"{URL}/risk/rosh/new/", data).status_code == 302
    predictor = {"name": "OGRS3", "score": "34.5", "band": "medium", **day_fields("on", TODAY)}
    assert client.post(f"{URL}/risk/predictors/new/", predictor).status_code == 302
    refused = client.post(f"{URL}/risk/predictors/new/", predictor | {"score": "150"}).content.decode()
    assert "The score must be 100 or less" in refused
    RegistrationFactory.create(
        person=community_order.person, type=Registration.Type.MAPPA, mappa_level=2, mappa_category=1
    )
    page = client.get(f"{URL}/risk/full/").content.decode()
    assert "overall high" in page
    assert "OGRS3" in page
    assert "category 1, level 2" in page
    overview = client.get(f"{URL}/").content.decode()
    assert "Children: high in the community" in overview
    assert "Staff: not assessed in the community, medium in custody" in overview
    assert "OGRS3 34.5 (medium)" in overview
    assert "Category 1, level 2" in overview
    assert f"{URL}/risk/full/" in overview
    assert Predictor.objects.get().score == 34.5


@pytest.mark.parametrize("size", [2, 40])
def test_the_person_and_risk_pages_run_a_bounded_number_of_queries(
    client: Client, officer, community_order, size: int, django_assert_max_num_queries
) -> None:
    person = community_order.person
    for n in range(size):
        on = date(2025, 1, 1) + timedelta(days=n)
        Address.objects.create(person=person, type="secondary", lines=f"{n} Road", from_date=on, to_date=on)
        PersonalContact.objects.create(person=person, name=f"C{n}", relationship="family", from_date=on)
        Circumstance.objects.create(person=person, type="benefits", value=f"V{n}", from_date=on)
        Disability.objects.create(person=person, type="other", adjustments=f"A{n}", from_date=on)
        services.details_change(person=person, user=officer.user, phones=[(f"0191 496 {n:04d}", "home")])
        services.rosh_assessment_record(
            person=person, user=officer.user, assessed_on=on, levels={"community_public": "low"}
        )
        Predictor.objects.create(person=person, name="RSR", score=n, on=on)
    client.force_login(officer.user)
    with django_assert_max_num_queries(16):
        assert client.get(f"{URL}/person/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"{URL}/risk/full/").status_code == 200


def test_the_allocation_page_shows_the_risk_at_a_glance(client: Client, officer, spo, community_order) -> None:
    services.rosh_assessment_record(
        person=community_order.person, user=officer.user, assessed_on=TODAY, levels={"community_known_adult": "high"}
    )
    client.force_login(spo.user)
    page = client.get(f"{URL}/events/1/allocate/").content.decode()
    assert "Known adult: high in the community" in page
    assert f"{URL}/risk/full/" in page

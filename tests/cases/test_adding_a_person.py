from django.test import Client

from cases.models import AuditEvent, Event, Person


def new_person(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Nadia",
        "last_name": "Newcomer",
        "date_of_birth_0": "3",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1994",
        "pnc": "2012/0000123q",
        "gender": "female",
        "type": "suspended_sentence_order",
        "sentence_date_0": "20",
        "sentence_date_1": "11",
        "sentence_date_2": "2026",
        "length_months": "18",
        "rar_days": "15",
    }
    return {**data, **overrides}


def test_an_officer_adds_a_person_from_court_with_the_next_crn_for_their_region(
    client: Client, officer, community_order
) -> None:
    Person.objects.create(crn="N000041", first_name="A", last_name="B", date_of_birth="1990-01-01", pdu=officer.pdu)
    client.force_login(officer.user)
    response = client.post("/cases/new/", new_person())
    assert response.status_code == 302
    person = Person.objects.get(last_name="Newcomer")
    assert person.crn == "N000042"  # region NE: the letter N, after the highest N number
    assert person.pnc == "2012/0000123Q"
    assert response["Location"] == "/cases/N000042/"
    event = Event.objects.get(person=person)
    assert (event.type, event.ref, event.pdu) == ("suspended_sentence_order", "1", officer.pdu)
    assert set(AuditEvent.objects.filter(person=person).values_list("action", flat=True)) == {
        "person.create",
        "event.create",
    }
    assert "Unallocated" in client.get("/cases/N000042/").content.decode()


def test_bad_personal_details_are_reported_and_nothing_is_saved(client: Client, officer) -> None:
    client.force_login(officer.user)
    page = client.post("/cases/new/", new_person(first_name="", pnc="12345", date_of_birth_2="2024")).content.decode()
    for message in [
        "Enter the first name",
        "Enter a PNC number in the correct format",
        "Date of birth must be at least 10 years ago",
    ]:
        assert message in page
    assert not Person.objects.filter(last_name="Newcomer").exists()


def test_national_staff_cannot_add_people(client: Client, national) -> None:
    client.force_login(national.user)
    assert client.get("/cases/new/").status_code == 403

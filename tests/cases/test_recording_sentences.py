from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import AuditEvent, Event, Requirement


def sentence(**overrides: str) -> dict[str, str]:
    data = {
        "type": "community_order",
        "sentence_date_0": "19",
        "sentence_date_1": "12",
        "sentence_date_2": "2025",
        "length_months": "12",
        "court": "Newcastle Magistrates' Court",
        "unpaid_work_hours": "120",
        "rar_days": "20",
        "programme": "TSP",
    }
    return {**data, **overrides}


def test_the_ro_records_a_new_community_order_with_its_requirements(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    response = client.post("/cases/X123456/sentences/new/", sentence())
    assert response.status_code == 302
    event = Event.objects.get(person=community_order.person, ref="2")
    assert (event.type, event.sentence_date, event.expected_end_date) == (
        "community_order",
        date(2025, 12, 19),
        date(2026, 12, 18),
    )
    assert sorted(str(r) for r in event.requirements.all()) == [
        "Accredited programme: TSP",
        "RAR: 20 days",
        "Unpaid work: 120 hours",
    ]
    assert AuditEvent.objects.filter(action="event.create", person=community_order.person).count() == 1


def test_a_release_on_licence_needs_a_release_date_on_or_after_sentence(
    client: Client, officer, community_order
) -> None:
    client.force_login(officer.user)
    data = sentence(type="licence", unpaid_work_hours="", rar_days="", programme="")
    page = client.post("/cases/X123456/releases/new/", data).content.decode()
    assert "Enter the release date" in page
    data |= {"release_date_0": "18", "release_date_1": "12", "release_date_2": "2025"}
    page = client.post("/cases/X123456/releases/new/", data).content.decode()
    assert "The release date must be on or after the sentence date" in page
    data |= {
        "release_date_0": "2",
        "release_date_1": "1",
        "release_date_2": "2026",
        "licence_conditions": "Reside at approved address\n\nNo contact with victim",
    }
    assert client.post("/cases/X123456/releases/new/", data).status_code == 302
    licence = Event.objects.get(person=community_order.person, type="licence")
    assert licence.supervision_starts_on == date(2026, 1, 2)
    assert licence.requirements.filter(type=Requirement.Type.LICENCE_CONDITION).count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unpaid_work_hours": "39"}, "Unpaid work must be at least 40 hours"),
        ({"unpaid_work_hours": "301"}, "Unpaid work must be at most 300 hours"),
        ({"unpaid_work_hours": "lots"}, "Unpaid work hours must be a whole number"),
        ({"type": ""}, "Select the sentence type"),
        ({"type": "licence"}, "Select a valid choice"),
        ({"sentence_date_0": "", "sentence_date_1": "", "sentence_date_2": ""}, "Enter the sentence date"),
        ({"sentence_date_0": "30", "sentence_date_1": "2"}, "Sentence date must be a real date"),
        ({"length_months": "0"}, "Length in months must be 1 or more"),
    ],
)
def test_bad_input_gets_an_error_summary_and_keeps_what_was_typed(
    client: Client, officer, community_order, overrides, message
) -> None:
    client.force_login(officer.user)
    response = client.post("/cases/X123456/sentences/new/", sentence(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert "Newcastle Magistrates" in page  # what was typed is still there
    assert Event.objects.filter(person=community_order.person).count() == 1


def test_a_future_sentence_date_is_refused(client: Client, officer, community_order) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(officer.user)
    data = sentence(
        sentence_date_0=str(tomorrow.day), sentence_date_1=str(tomorrow.month), sentence_date_2=str(tomorrow.year)
    )
    assert (
        "The sentence date must be today or in the past"
        in client.post("/cases/X123456/sentences/new/", data).content.decode()
    )


def test_only_the_ro_and_the_pdus_managers_may_record_a_sentence(
    client: Client, colleague, spo, national, community_order
) -> None:
    for staff, status in [(colleague, 403), (national, 403), (spo, 200)]:
        client.force_login(staff.user)
        assert client.get("/cases/X123456/sentences/new/").status_code == status, staff.user.username

from datetime import date

import pytest
from django.test import Client

from cases.models import Allocation, AuditEvent
from tests.factories import EventFactory


@pytest.fixture
def unallocated(team):
    return EventFactory.create(
        person__crn="U000001", person__last_name="Waiting", person__pdu=team.pdu, sentence_date=date(2026, 11, 20)
    )


def test_the_spo_sees_unallocated_cases_and_allocates_one(client: Client, spo, officer, unallocated) -> None:
    client.force_login(spo.user)
    assert "WAITING" in client.get("/cases/unallocated/").content.decode()
    response = client.post(
        "/cases/U000001/events/1/allocate/",
        {"staff": officer.pk, "from_date_0": "23", "from_date_1": "11", "from_date_2": "2026", "reason": ""},
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get(event=unallocated)
    assert (allocation.staff, allocation.from_date, allocation.to_date, allocation.allocated_by) == (
        officer,
        date(2026, 11, 23),
        None,
        spo,
    )
    assert (
        "Every active sentence in your PDU has a responsible officer"
        in client.get("/cases/unallocated/").content.decode()
    )


def test_reallocation_needs_a_reason_and_keeps_the_history(
    client: Client, spo, officer, colleague, community_order
) -> None:
    client.force_login(spo.user)
    url = "/cases/X123456/events/1/allocate/"
    data = {"staff": colleague.pk, "from_date_0": "2", "from_date_1": "2", "from_date_2": "2026", "reason": ""}
    page = client.post(url, data).content.decode()
    assert "Enter the reason for the change of responsible officer" in page
    assert client.post(url, data | {"reason": "Officer's caseload too high"}).status_code == 302
    history = list(
        Allocation.objects.filter(event=community_order)
        .order_by("from_date")
        .values_list("staff", "from_date", "to_date", "reason")
    )
    assert history == [
        (officer.pk, date(2025, 12, 19), date(2026, 2, 1), "Initial allocation"),
        (colleague.pk, date(2026, 2, 2), None, "Officer's caseload too high"),
    ]
    assert AuditEvent.objects.filter(action="allocation.change", person=community_order.person).exists()


def test_a_reallocation_cannot_start_before_the_current_one(client: Client, spo, colleague, community_order) -> None:
    client.force_login(spo.user)
    data = {
        "staff": colleague.pk,
        "from_date_0": "19",
        "from_date_1": "12",
        "from_date_2": "2025",
        "reason": "Too soon",
    }
    page = client.post("/cases/X123456/events/1/allocate/", data).content.decode()
    assert "The date must be after 19 December 2025" in page
    assert Allocation.objects.filter(event=community_order).count() == 1


def test_officers_cannot_allocate(client: Client, officer, unallocated) -> None:
    client.force_login(officer.user)
    assert client.get("/cases/U000001/events/1/allocate/").status_code == 403
    assert client.get("/cases/unallocated/").status_code == 403

from datetime import date

import pytest
from django.test import Client

from cases.models import Event, Requirement
from cases.standards import handover as clock
from tests.factories import AllocationFactory, EventFactory


@pytest.fixture
def in_custody(officer):
    event = EventFactory.create(
        person__pdu=officer.pdu,
        person__crn="C000001",
        type="custody",
        sentence_date=date(2025, 6, 2),
        length_months=24,
        expected_release_date=date(2026, 12, 1),
    )
    return event


def test_com_allocation_is_due_eight_and_a_half_months_before_release(in_custody) -> None:
    assert clock.com_due(in_custody) == date(2026, 3, 17)  # 1 December 2026 less 8 months is 1 April, less 15 days


def test_a_parole_case_is_due_12_months_before_eligibility(in_custody) -> None:
    in_custody.parole, in_custody.parole_eligibility_date = True, date(2027, 2, 28)
    assert clock.com_due(in_custody) == date(2026, 2, 28)


def test_the_handover_meeting_is_due_four_weeks_after_com_allocation(officer, in_custody) -> None:
    AllocationFactory.create(event=in_custody, staff=officer, from_date=date(2026, 3, 10))
    handover = clock.handover(in_custody)
    assert handover is not None
    assert (handover.com_allocated_on, handover.meeting_due, handover.plan_due) == (
        date(2026, 3, 10),
        date(2026, 4, 7),
        date(2026, 11, 30),
    )


def test_recording_custody_then_release_starts_the_licence(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = {
        "sentence_date_0": "2",
        "sentence_date_1": "6",
        "sentence_date_2": "2025",
        "length_months": "24",
        "expected_release_date_0": "1",
        "expected_release_date_1": "12",
        "expected_release_date_2": "2026",
    }
    assert (
        "Enter the parole eligibility date"
        in client.post("/cases/X123456/custody/new/", data | {"parole": "on"}).content.decode()
    )
    assert client.post("/cases/X123456/custody/new/", data).status_code == 302
    event = Event.objects.get(person=community_order.person, type="custody")
    page = client.get("/cases/X123456/").content.decode()
    assert f'id="handover-{event.ref}"' in page
    assert client.get(f"/cases/X123456/events/{event.ref}/release/").status_code == 403  # no COM yet
    AllocationFactory.create(event=event, staff=officer, from_date=date(2026, 3, 10))  # the SPO allocates the COM
    assert (
        client.post(
            f"/cases/X123456/events/{event.ref}/handover-meeting/", {"on_0": "20", "on_1": "3", "on_2": "2026"}
        ).status_code
        == 302
    )
    release = {
        "released_on_0": "20",
        "released_on_1": "11",
        "released_on_2": "2026",
        "licence_type": "licence",
        "conditions": "Reside at approved premises\nNo contact with the victim",
    }
    assert client.post(f"/cases/X123456/events/{event.ref}/release/", release).status_code == 302
    event.refresh_from_db()
    assert (event.type, event.release_date, event.handover_meeting_on) == (
        "licence",
        date(2026, 11, 20),
        date(2026, 3, 20),
    )
    assert event.requirements.filter(type=Requirement.Type.LICENCE_CONDITION).count() == 2

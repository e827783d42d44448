from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cases.models import Allocation, AuditEvent, Event, Person, Transfer
from cases.standards.calendar import business_days_between
from cases.transfers import services as transfers
from probation.roles import Role
from tests.factories import PDUFactory, StaffMemberFactory, TeamFactory


@pytest.fixture
def durham(team):
    other_team = TeamFactory.create(
        code="NE-DUR-T1",
        name="Durham Team 1",
        pdu=PDUFactory.create(code="NE-DUR", name="County Durham", region=team.pdu.region),
    )
    spo = StaffMemberFactory.create(team=other_team, grade="SPO", user__username="durham_spo", user__roles=[Role.SPO])
    officer = StaffMemberFactory.create(
        team=other_team, user__username="durham_officer", user__roles=[Role.OFFICER], name="Dana Durham"
    )
    return other_team.pdu, spo, officer


@pytest.mark.parametrize(
    ("requested", "today", "days"),
    [
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # Good Friday and Easter Monday 2026
        (date(2025, 12, 24), date(2026, 1, 2), 4),  # Christmas, Boxing Day and New Year's Day
        (date(2025, 12, 1), date(2025, 12, 31), 20),
        (date(2025, 12, 1), date(2026, 1, 2), 21),
    ],
)
def test_business_days_elapsed_skip_weekends_and_bank_holidays(requested: date, today: date, days: int) -> None:
    assert business_days_between(requested, today) == days


def test_a_transfer_past_20_business_days_needs_oversight(officer, community_order, durham) -> None:
    Event.objects.filter(pk=community_order.pk).update(sentence_date=date(2025, 11, 3))
    community_order.refresh_from_db()
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=durham[0], reason="Moved to Durham", on=date(2025, 12, 1)
    )
    assert not transfers.needs_oversight(transfer, today=date(2025, 12, 31))
    assert transfers.needs_oversight(transfer, today=date(2026, 1, 2))


def test_accepting_moves_the_sentence_and_its_ro_and_keeps_the_history(officer, community_order, durham) -> None:
    pdu, spo, receiving = durham
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=pdu, reason="Moved to Durham", on=date(2026, 2, 2)
    )
    with pytest.raises(ValidationError, match="already waiting"):
        transfers.request(event=community_order, user=officer.user, to_pdu=pdu, reason="Again", on=date(2026, 2, 3))
    transfers.accept(transfer=transfer, user=spo.user, by=spo, officer=receiving, on=date(2026, 2, 9))
    event = Event.objects.get(pk=community_order.pk)
    assert event.pdu == pdu
    assert Person.objects.get(pk=event.person_id).pdu == pdu
    history = list(
        Allocation.objects.filter(event=event).order_by("from_date").values_list("staff", "to_date", "reason")
    )
    assert history == [
        (officer.pk, date(2026, 2, 8), "Initial allocation"),
        (receiving.pk, None, "Transfer from Tyneside"),
    ]
    assert AuditEvent.objects.filter(action="transfer.complete").exists()


def test_the_receiving_spo_accepts_and_the_case_moves_caseloads(
    client: Client, officer, community_order, durham
) -> None:
    pdu, spo, receiving = durham
    client.force_login(officer.user)
    response = client.post(
        "/cases/X123456/events/1/transfer/",
        {"to_pdu": pdu.pk, "reason": "Moved to Durham", "on_0": "2", "on_1": "2", "on_2": "2026"},
    )
    assert response.status_code == 302
    client.force_login(spo.user)
    page = client.get("/cases/transfers/").content.decode()
    assert "EXAMPLE, Sam" in page
    transfer = Transfer.objects.get()
    assert (
        "Choose the receiving officer"
        in client.post(
            f"/cases/transfers/{transfer.pk}/", {"decision": "accept", "on_0": "9", "on_1": "2", "on_2": "2026"}
        ).content.decode()
    )
    client.post(
        f"/cases/transfers/{transfer.pk}/",
        {"decision": "accept", "officer": receiving.pk, "on_0": "9", "on_1": "2", "on_2": "2026"},
    )
    client.force_login(receiving.user)
    assert "EXAMPLE, Sam" in client.get("/cases/").content.decode()
    client.force_login(officer.user)
    assert "EXAMPLE, Sam" not in client.get("/cases/").content.decode()


def test_only_the_receiving_pdus_managers_decide(client: Client, spo, officer, community_order, durham) -> None:
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=durham[0], reason="Moved", on=date(2026, 2, 2)
    )
    client.force_login(spo.user)  # the sending SPO
    assert client.get(f"/cases/transfers/{transfer.pk}/").status_code == 403


def test_a_rejection_needs_a_reason(client: Client, officer, community_order, durham) -> None:
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=durham[0], reason="Moved", on=date(2026, 2, 2)
    )
    client.force_login(durham[1].user)
    page = client.post(
        f"/cases/transfers/{transfer.pk}/", {"decision": "reject", "on_0": "3", "on_1": "2", "on_2": "2026"}
    ).content.decode()
    assert "Enter why you are rejecting the transfer" in page
    client.post(
        f"/cases/transfers/{transfer.pk}/",
        {"decision": "reject", "rejection_reason": "Address not verified", "on_0": "3", "on_1": "2", "on_2": "2026"},
    )
    assert Transfer.objects.get().status == "rejected"
    assert Event.objects.get(pk=community_order.pk).pdu == community_order.pdu


def test_a_transfer_is_overdue_the_day_after_its_20th_business_day_even_at_a_weekend(
    officer, community_order, durham
) -> None:
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=durham[0], reason="Moved", on=date(2026, 2, 27)
    )
    assert transfers.due_by(transfer) == date(2026, 3, 27)
    assert not transfers.needs_oversight(transfer, today=date(2026, 3, 27))
    assert transfers.needs_oversight(transfer, today=date(2026, 3, 28))  # Saturday


def test_accepting_on_the_day_the_current_allocation_started_keeps_dates_in_order(
    officer, community_order, durham
) -> None:
    pdu, spo, receiving = durham
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=pdu, reason="Moved", on=date(2025, 12, 19)
    )
    transfers.accept(transfer=transfer, user=spo.user, by=spo, officer=receiving, on=date(2025, 12, 19))
    history = list(
        Allocation.objects.filter(event=community_order).order_by("from_date").values_list("from_date", "to_date")
    )
    assert history == [(date(2025, 12, 19), date(2025, 12, 19)), (date(2025, 12, 20), None)]

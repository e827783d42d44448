from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import EnforcementAction, Event


def licence(community_order) -> Event:
    Event.objects.filter(pk=community_order.pk).update(type="licence", release_date=date(2025, 12, 22))
    community_order.refresh_from_db()
    return community_order


@pytest.mark.today("2026-11-25")  # recommended today, decided on fixed dates after it
def test_the_ro_recommends_the_spo_decides_and_the_request_is_recorded(
    client: Client, officer, spo, community_order
) -> None:
    licence(community_order)
    url = "/cases/X123456/events/1/recall/"
    client.force_login(officer.user)
    assert "Enter why you recommend recall" in client.post(url, {"recall_type": "standard"}).content.decode()
    assert client.post(url, {"recall_type": "standard", "rationale": "Contact with the victim"}).status_code == 302
    assert "A senior probation officer of the case's PDU must now decide" in client.get(url).content.decode()

    client.force_login(spo.user)
    data = {
        "decision": "agreed",
        "rationale": "Risk to victim",
        "decided_day_0": "25",
        "decided_day_1": "11",
        "decided_day_2": "2026",
        "decided_time": "09:00",
    }
    assert client.post(url, data).status_code == 302
    data = {"day_0": "25", "day_1": "11", "day_2": "2026", "at": "08:00"}
    refused = client.post(url, data).content.decode()
    assert "must be at or after 09:00 on 25 November 2026, when the recall was agreed" in refused
    assert client.post(url, data | {"at": "09:30"}).status_code == 302
    recall = EnforcementAction.objects.get(kind="recall")
    assert (recall.decision, recall.decided_by) == ("agreed", spo)
    assert recall.requested_at is not None
    assert timezone.localtime(recall.requested_at).strftime("%H:%M") == "09:30"


def test_there_is_no_recall_for_a_community_order(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    page = client.post(
        "/cases/X123456/events/1/recall/", {"recall_type": "standard", "rationale": "x"}
    ).content.decode()
    assert "Only someone on licence or post-sentence supervision can be recalled" in page
    assert not EnforcementAction.objects.exists()


def test_a_breach_outcome_from_court_is_recorded(client: Client, officer, community_order) -> None:
    breach = EnforcementAction.objects.create(
        event=community_order, kind="breach", on=date(2026, 2, 18), aware_on=date(2026, 2, 10)
    )
    client.force_login(officer.user)
    url = f"/cases/X123456/breaches/{breach.pk}/outcome/"
    page = client.post(url, {"on_0": "1", "on_1": "2", "on_2": "2026", "court_outcome": "Fine"}).content.decode()
    assert "must be on or after 18 February 2026, when breach was initiated" in page
    assert (
        client.post(
            url, {"on_0": "3", "on_1": "3", "on_2": "2026", "court_outcome": "Order varied: more RAR days"}
        ).status_code
        == 302
    )
    breach.refresh_from_db()
    assert breach.resolved_on == date(2026, 3, 3)

"""Parallel posts cannot make duplicates where a record is once-only by its nature (issue 20, item 9): one open
referral per service per event, one open recall per event; the database refuses a second whichever way it comes,
and the services, under the case's lock, answer the losers with a GOV.UK message."""

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cases.enforcement import services as enforcement
from cases.models import EnforcementAction, Event
from interventions.models import Referral, Service
from interventions.referrals import services as referrals


def at_once(action: Callable[[], object], times: int = 4) -> list[str]:
    """Run the action in parallel threads; the outcome of each: "ok" or the refusal's message."""
    start = threading.Barrier(times)
    outcomes: list[str] = []

    def run() -> None:
        try:
            start.wait()
            action()
            outcomes.append("ok")
        except ValidationError as refused:
            outcomes.append(refused.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.fixture
def housing(team) -> Service:
    return Service.objects.create(
        name="Housing Options", provider="Council", area="accommodation", region=team.pdu.region
    )


@pytest.mark.django_db(transaction=True)
def test_four_parallel_referrals_to_one_service_make_one(officer, community_order, housing) -> None:
    outcomes = at_once(
        lambda: referrals.refer(
            event=community_order, user=officer.user, service=housing, reason="Sofa-surfing", on=date(2026, 1, 5)
        )
    )
    assert outcomes == ["There is already an open referral to this service"] * 3 + ["ok"]
    assert Referral.objects.filter(event=community_order, service=housing).count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_parallel_recall_recommendations_make_one(officer, community_order) -> None:
    Event.objects.filter(pk=community_order.pk).update(type="licence", release_date=date(2025, 12, 22))
    community_order.refresh_from_db()
    outcomes = at_once(
        lambda: enforcement.recall_recommend(
            event=community_order, user=officer.user, recall_type="standard", rationale="Contact with the victim"
        )
    )
    assert outcomes == ["A recall is already open for this sentence: decide or withdraw it first"] * 3 + ["ok"]
    assert EnforcementAction.objects.filter(event=community_order, kind="recall").count() == 1


def test_the_database_refuses_a_second_open_referral_or_recall(officer, community_order, housing) -> None:
    Referral.objects.create(
        event=community_order, service=housing, reason="x", referred_on=date(2026, 1, 5), status_on=date(2026, 1, 5)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            event=community_order, service=housing, reason="y", referred_on=date(2026, 1, 6), status_on=date(2026, 1, 6)
        )
    Referral.objects.filter(event=community_order).update(status="completed")
    Referral.objects.create(  # once the first is closed, a new referral to the service is fine
        event=community_order, service=housing, reason="z", referred_on=date(2026, 3, 2), status_on=date(2026, 3, 2)
    )
    recall = {"event": community_order, "kind": "recall", "on": date(2026, 1, 5), "recall_type": "standard"}
    EnforcementAction.objects.create(**recall)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnforcementAction.objects.create(**recall)
    EnforcementAction.objects.update(decision="not_agreed")
    EnforcementAction.objects.create(**recall)

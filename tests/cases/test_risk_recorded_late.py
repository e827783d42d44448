"""Recorded late for the risk facts (issue 18, DOMAIN.md "Dates people enter"): a RoSH assessment, its RoSH and
tier history, a predictor score and a flag carry the clock's stamp from the service that records them, and the
risk page and the case overview tag one recorded more than 2 working days after its date. An imported fact
(no stamp) is never tagged."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Predictor, Registration, RiskLevel, RoshAssessment
from cases.person import services as person_services
from cases.record import services as record

pytestmark = pytest.mark.today("2026-11-25")

URL = "/cases/X123456"
FRIDAY = date(2026, 11, 20)
TAG = "Recorded late</strong>"


def at(day: date, hour: int = 16) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.mark.parametrize(
    ("recorded", "late"),
    [
        (date(2026, 11, 24), False),  # Friday, recorded Tuesday across the weekend: 2 working days
        (date(2026, 11, 25), True),  # Wednesday: 3
    ],
)
def test_a_rosh_assessment_recorded_more_than_2_working_days_after_its_date_is_tagged(
    client: Client, officer, community_order, time_machine, recorded: date, late: bool
) -> None:
    time_machine.move_to(at(recorded), tick=False)
    assessment = person_services.rosh_assessment_record(
        person=community_order.person, user=officer.user, assessed_on=FRIDAY, levels={"community_public": "high"}
    )
    assert assessment.recorded_at == at(recorded)
    assert RiskLevel.objects.get(person=community_order.person).recorded_at == at(recorded)
    client.force_login(officer.user)
    risk = client.get(f"{URL}/risk/full/").content.decode()
    overview = client.get(f"{URL}/").content.decode()
    # The assessment's caption and its line in the RoSH and tier history; the overview's history.
    assert (risk.count(TAG), overview.count(TAG)) == ((2, 1) if late else (0, 0))
    if late:
        assert "recorded 25 November 2026, more than 2 working days after the assessment" in risk


@pytest.mark.parametrize(("recorded", "late"), [(date(2026, 11, 24), False), (date(2026, 11, 25), True)])
def test_a_flag_recorded_more_than_2_working_days_after_it_started_is_tagged(
    client: Client, officer, community_order, time_machine, recorded: date, late: bool
) -> None:
    time_machine.move_to(at(recorded), tick=False)
    flag = record.registration_add(
        person=community_order.person, user=officer.user, type=Registration.Type.STALKING, from_date=FRIDAY
    )
    assert flag.recorded_at == at(recorded)
    client.force_login(officer.user)
    risk = client.get(f"{URL}/risk/full/").content.decode()
    overview = client.get(f"{URL}/").content.decode()
    assert (risk.count(TAG), overview.count(TAG)) == ((1, 1) if late else (0, 0))
    if late:
        assert "more than 2 working days after the flag started" in overview


def test_a_predictor_score_recorded_late_is_tagged(client: Client, officer, community_order, time_machine) -> None:
    time_machine.move_to(at(date(2026, 11, 25)), tick=False)
    score = person_services.predictor_record(
        person=community_order.person, user=officer.user, name="OGRS3", score=None, band="high", on=FRIDAY
    )
    assert score.recorded_at == at(date(2026, 11, 25))
    client.force_login(officer.user)
    assert client.get(f"{URL}/risk/full/").content.decode().count(TAG) == 1


def test_imported_risk_facts_with_no_stamp_are_never_tagged(
    client: Client, officer, community_order, time_machine
) -> None:
    time_machine.move_to(at(date(2026, 11, 25)), tick=False)
    person = community_order.person
    person_services.rosh_assessment_record(
        person=person, user=officer.user, assessed_on=date(2026, 9, 1), levels={"community_public": "high"}
    )
    person_services.predictor_record(
        person=person, user=officer.user, name="RSR", score=None, band="medium", on=date(2026, 9, 1)
    )
    record.registration_add(
        person=person, user=officer.user, type=Registration.Type.STALKING, from_date=date(2026, 9, 1)
    )
    client.force_login(officer.user)
    assert client.get(f"{URL}/risk/full/").content.decode().count(TAG) == 4  # stamped: all late
    for model in (RoshAssessment, RiskLevel, Predictor, Registration):
        assert model.objects.filter(person=person).update(recorded_at=None) >= 1  # as the importer leaves them
    assert TAG not in client.get(f"{URL}/risk/full/").content.decode()
    assert TAG not in client.get(f"{URL}/").content.decode()

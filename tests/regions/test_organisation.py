from decimal import Decimal

import pytest
from django.db import IntegrityError

from regions.models import StaffMember, Team
from tests.factories import PDUFactory, StaffMemberFactory


def test_a_staff_member_in_a_team_is_in_its_pdu_and_region(team: Team) -> None:
    staff = StaffMemberFactory.create(team=team)
    staff.refresh_from_db()
    assert staff.pdu == team.pdu
    assert staff.region == team.pdu.region


def test_moving_a_staff_member_to_another_pdus_team_moves_their_pdu_and_region(team: Team) -> None:
    staff = StaffMemberFactory.create(team=team)
    elsewhere = PDUFactory.create(region__code="YH")
    staff.team = Team.objects.create(code="YH-X-T1", name="Elsewhere", pdu=elsewhere)
    staff.save()
    staff.refresh_from_db()
    assert (staff.pdu, staff.region) == (elsewhere, elsewhere.region)


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("48.5")])
def test_contracted_hours_must_be_more_than_0_and_at_most_48(team: Team, hours: Decimal) -> None:
    with pytest.raises(IntegrityError):
        StaffMemberFactory.create(team=team, contracted_hours=hours)


def test_a_team_cannot_be_recorded_without_its_pdu(team: Team) -> None:
    staff = StaffMemberFactory.create(team=team)
    with pytest.raises(IntegrityError):
        StaffMember.objects.filter(pk=staff.pk).update(pdu=None)
